"""Learner Python the build refuses, at its line, saying what to write instead.

Each entry: (name, the sketch, the line the message must name, words the message must hold).
These count as conformance cases: the browser never prints something else for them.
"""

REFUSED = [
    ("walrus_in_if", "data = [1, 2, 3, 4]\nif (n := len(data)) > 3:\n    print('long', n)\n", 2,
     "n = len(data)"),
    ("walrus_in_while", "items = [3, 2, 1]\nwhile (item := items.pop()) != 3:\n    print(item)\n", 2,
     "Assign on the line before"),
    ("walrus_in_function", "def f(xs):\n    return [y for x in xs if (y := x * 2) > 2]\n", 2, ":="),
    ("time_sleep", "import time\nprint('wait')\ntime.sleep(1)\nprint('done')\n", 3, "millis()"),
    ("time_sleep_alias", "import time as t\n\ndef setup():\n    t.sleep(0.5)\n", 4, "setTimeout"),
    ("from_time_import_sleep", "from time import sleep\nsleep(2)\n", 2, "millis()"),
    ("star_unpacking", "scores = [3, 1, 2]\nbest, *others = sorted(scores)\n", 2, "rest = items[1:]"),
    ("dict_merge_star_star", "a = {'x': 1}\nb = {**a, 'y': 2}\n", 2, "merged.update(b)"),
    ("match_statement", "command = 'go'\nmatch command:\n    case 'go':\n        print('going')\n", 2,
     "if / elif"),
]
