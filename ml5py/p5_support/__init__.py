"""p5.js global mode for sketches, and what the build needs to know about p5."""
