"""One epoch's mean loss (and accuracy) from its batches' measures.

Written once for both trainable heads and NeuralNetwork; plain Python that Transcrypt compiles.
"""


def epoch_means(values, sizes, classifying):
    """``[mean loss, mean accuracy or None]`` over batches of ``sizes`` examples.

    ``values`` holds, per batch, its mean loss and, when ``classifying``, its number of
    correct answers right after it.
    """
    step = 2 if classifying else 1
    total = 0.0
    correct = 0.0
    count = 0
    for index in range(len(sizes)):
        total += values[index * step] * sizes[index]
        if classifying:
            correct += values[index * step + 1]
        count += sizes[index]
    return [total / count, correct / count if classifying else None]
