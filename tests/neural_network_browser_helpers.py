"""Shared by the NeuralNetwork browser tests: the colours they ask about, and the start of
every test sketch (console warnings kept, answers, the task read from task.json)."""
from __future__ import annotations

PROBES = [[240, 20, 30], [20, 220, 40], [30, 50, 230], [128, 128, 128]]

SKETCH_START = """
from ml5py import NeuralNetwork

__pragma__ ('js', '{}', 'window.nn_warnings = []; var warn = console.warn; console.warn = function () { ' +
            'window.nn_warnings.push (Array.prototype.join.call (arguments, " ")); return warn.apply (console, arguments); };')


def summary(results):
    return [[r.label, r.confidence] for r in results]


async def answers(nn, probes):
    found = []
    for probe in probes:
        results = await nn.classify(probe)
        found.append(summary(results))
    return found


async def load_task():
    response = await fetch("task.json")
    return await response.json()
"""
