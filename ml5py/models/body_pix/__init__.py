"""BodyPix: which pixels are a person, and which body part each one is."""
