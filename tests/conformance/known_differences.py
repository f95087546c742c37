"""Cases that print something else in the browser, on purpose, and why (the README's table).

Each entry is ``"group.case": reason``. The conformance test fails when a case listed here
prints the same in both runtimes (the table must stay true) and when a case not listed
prints something else. Each reason is a row of the README's table, word for word.
"""

FLOAT = ("A whole-number float prints without `.0` (`3.0` and `6 / 3` print `3` and `2`): "
         "JavaScript has one kind of number, so the page cannot tell `3.0` from `3`.")
TUPLE = ("Tuples print as lists (`[('a', 1)]` prints `[['a', 1]]`): in the browser a tuple is a "
         "JavaScript array.")
LOOP_VARIABLE = ("After `for i in range(n)`, `i` is `n` in the browser, `n - 1` in CPython: the loop "
                 "becomes a JavaScript counting loop, for speed.")
MUTABLE_DEFAULT = ("A `def`'s default value (`bag=[]`) is made anew at each call in the browser; "
                   "CPython makes it once and shares it.")
LOG_DIGITS = ("`math.log10` and `math.log(x, base)` may differ in the last digit (`2.9999999999999996` "
              "for `3.0`): round what you print.")

DIFFERENCES = {
    "numbers.float_whole_number": FLOAT,
    "numbers.true_division": FLOAT,
    "numbers.average": FLOAT,
    "modules.math_functions": FLOAT,
    "modules.math_trig": FLOAT,
    "modules.math_hypot_atan2": FLOAT,
    "modules.math_degrees": FLOAT,
    "modules.datetime_difference": FLOAT,
    "modules.math_log": LOG_DIGITS,
    "dicts.items_pairs_printed": TUPLE,
    "loops.loop_variable_after_loop": LOOP_VARIABLE,
    "functions.mutable_default_shared": MUTABLE_DEFAULT,
}
