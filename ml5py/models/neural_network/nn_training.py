"""NeuralNetwork's training loop: split, batches, epochs, progress. Written once.

``fit`` works out the metadata and the layers, starts the network (seeded weights) or goes
on with the one trained before, sets ``validation_split`` of the examples aside (per
label, for classifiers: ``seeded.split_groups``), and runs the epochs one after another
(``rt.in_turn``: the browser draws between them). Each epoch shuffles the training
examples into batches with the same seeded generator in both runtimes, so CPython and
the browser train on the very same batches and report the same losses. The split is the
same at every ``train()``; the shuffles go on, so ``train(2)`` then ``train(1)`` is ``train(3)``.
"""
# __pragma__ ('noopov')

from ml5py.models.neural_network.nn_layers import default_layers, initial_weights, layer_specs, same_layers
from ml5py.models.neural_network.nn_meta import REGRESSION, encoded_rows, label_indices, labels, scale_warning
from ml5py.runtime import rt
from ml5py.core.seeded import SeededRandom, split_groups


def inferred_task(kinds):
    """The task when none was given: a word among the outputs makes a classifier, numbers a regression."""
    for key in rt.object_keys(kinds):
        if key.startswith("outputs:") and kinds[key] == "string":
            return "classification"
    return REGRESSION if len(rt.object_keys(kinds)) > 0 else "classification"


def fit(nn, settings, while_training):
    """Train ``nn`` (a NeuralNetwork) for ``settings["epochs"]`` epochs; a pending history."""
    task = nn._training_task()
    nn._task = task
    data = nn._data
    if data.meta is None or data.changed:
        data.make_meta(task, nn.options["input_shape"])
    advice = scale_warning(data.meta)
    if advice is not None:
        rt.network_warning(advice)
    wanted = nn.options["layers"] or default_layers(task, nn.options["hidden_units"],
                                                    data.meta["isNormalized"])
    specs = layer_specs(wanted, data.meta["inputUnits"], data.meta["outputUnits"], task)
    if nn._net is not None and not same_layers(nn._layers, specs):
        nn._free_network()
    if nn._net is None:
        nn._start_network(specs, initial_weights(specs, nn.options["seed"]))
    rows = _encoded(nn, data, task)
    tensors = rt.network_data(nn._net, rows[0], rows[1])
    random = SeededRandom(nn.options["seed"] + 1)  # the same split at every train()
    groups = [list(range(len(rows[0])))]
    if task != REGRESSION:
        groups = []
        for label in labels(data.meta):
            groups.append([])
        indices = label_indices(data.meta, data.rows)
        for index in range(len(indices)):
            groups[indices[index]].append(index)
    parts = split_groups(random, groups, settings["validation_split"])
    history = {"loss": [], "val_loss": [], "acc": [], "val_acc": []}
    job = rt.in_turn(settings["epochs"], lambda epoch: _epoch(
        nn, epoch, tensors, parts, nn._shuffles, settings, history, while_training))
    return _always(rt.after(job, lambda ignored: rt.record(history)),
                   lambda: rt.network_data_dispose(tensors))


def _encoded(nn, data, task):
    """The examples as the network's numbers, worked out again only when they or the metadata changed."""
    kept = nn._encoded
    if kept is None or kept["meta"] is not data.meta or kept["version"] != data.version or kept["task"] != task:
        kept = {"meta": data.meta, "version": data.version, "task": task,
                "rows": encoded_rows(data.meta, data.rows, task)}
        nn._encoded = kept
    return kept["rows"]


def _epoch(nn, epoch, tensors, parts, random, settings, history, while_training):
    order = random.shuffled(parts[0]) if settings["shuffle"] else parts[0]
    batches = []
    start = 0
    while start < len(order):
        batches.append(order[start:start + settings["batch_size"]])
        start += settings["batch_size"]
    job = rt.when_all([rt.network_fit_epoch(nn._net, tensors, batches),
                       rt.network_evaluate(nn._net, tensors, parts[1])])
    return rt.after(job, lambda measured: _report(nn, epoch, measured, history, while_training))


def _report(nn, epoch, measured, history, while_training):
    loss = measured[0][0]
    if loss is None or loss - loss != 0:
        raise ValueError("Training went wrong at epoch " + str(epoch) + ": the loss is " + str(loss) +
                         " (the numbers grew too big). Call normalize_data() before train(), or use a "
                         "smaller learning_rate.")
    logs = {"loss": loss}
    if measured[1][0] is not None:
        logs["val_loss"] = measured[1][0]
    if nn._task != REGRESSION:
        logs["acc"] = measured[0][1]
        if measured[1][1] is not None:
            logs["val_acc"] = measured[1][1]
    for name in ["loss", "val_loss", "acc", "val_acc"]:
        history[name].append(logs[name] if name in logs else None)
    if nn.options["debug"]:
        print("epoch " + str(epoch) + ": loss " + str(loss))
    if while_training is not None:
        rt.call_back(while_training, epoch, rt.record(logs))


def _always(job, cleanup):
    """``job``, with ``cleanup()`` run once it is over, whether it worked or failed."""
    outcome = {"error": None}

    def noted(value, error):
        cleanup()
        outcome["error"] = error
        return value

    def passed_on(value):
        if outcome["error"] is not None:
            raise outcome["error"]
        return value

    return rt.after(rt.deliver(job, noted), passed_on)
