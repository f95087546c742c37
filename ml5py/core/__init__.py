"""What every model stands on: the runtime core's twins and the written-once helpers."""
