"""FeatureExtractor: a picture's embedding, and heads trained on it (classification, regression)."""
