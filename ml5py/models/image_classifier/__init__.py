"""ImageClassifier: labels for a picture (MobileNet, Darknet, DoodleNet, a learner's own model)."""
