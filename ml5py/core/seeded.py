"""Seeded randomness that gives the same numbers in CPython and in the browser. Written once.

Used by the trainable heads (``ml5py/models/feature_extractor/trainable.py``) and
``NeuralNetwork`` (``ml5py/models/neural_network/``) for their starting weights, their
validation split and the order of their mini-batches, so both runtimes train alike.
"""
# __pragma__ ('noopov')

MODULUS = 2147483647  # the Park-Miller generator: exact in Python ints and JavaScript numbers


class SeededRandom:
    """A tiny random number generator that gives the same numbers in CPython and JavaScript."""

    def __init__(self, seed):
        self.state = seed % (MODULUS - 1) + 1

    def next_int(self):
        """The next whole number of the sequence, from 1 up to MODULUS - 1."""
        self.state = (self.state * 48271) % MODULUS
        return self.state

    def uniform(self):
        """A number in (0, 1)."""
        return self.next_int() / MODULUS

    def shuffled(self, items):
        """A shuffled copy of ``items`` (Fisher-Yates)."""
        result = items[:]
        position = len(result) - 1
        while position > 0:
            other = self.next_int() % (position + 1)
            keep = result[position]
            result[position] = result[other]
            result[other] = keep
            position -= 1
        return result


def uniform_values(random, count, limit):
    """``count`` numbers drawn uniformly in (-limit, limit)."""
    values = []
    for index in range(count):
        values.append((random.uniform() * 2.0 - 1.0) * limit)
    return values


def glorot_uniform(random, fan_in, fan_out):
    """A fan_in x fan_out kernel, row by row, uniform in +-sqrt(6 / (fan_in + fan_out))."""
    return uniform_values(random, fan_in * fan_out, (6.0 / (fan_in + fan_out)) ** 0.5)


def zeros(count):
    """A list of ``count`` zeros (the biases' starting values)."""
    values = []
    for index in range(count):
        values.append(0.0)
    return values


def initial_weights(sizes, seed):
    """[kernel1, bias1, kernel2, bias2] as flat lists, for a network of ``sizes``."""
    random = SeededRandom(seed)
    return [glorot_uniform(random, sizes[0], sizes[1]), zeros(sizes[1]),
            glorot_uniform(random, sizes[1], sizes[2]), zeros(sizes[2])]


def split_groups(random, groups, share):
    """[training, validation]: ``share`` of each group's items set aside, chosen at random.

    Each group (say, the examples of one label) gives ``share`` of its items, rounded (so
    30% of 10 is 3, and a group of one keeps it for training).
    """
    training = []
    validation = []
    for group in groups:
        shuffled = random.shuffled(group)
        kept = int(len(shuffled) * share + 0.5)  # rounded
        for position in range(len(shuffled)):
            if position < kept:
                validation.append(shuffled[position])
            else:
                training.append(shuffled[position])
    return [training, validation]
