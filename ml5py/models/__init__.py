"""One package per model: its class (written once), its two runtime twins, what only it uses."""
