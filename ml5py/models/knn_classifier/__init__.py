"""KNNClassifier: labels an embedding by its nearest stored examples."""
