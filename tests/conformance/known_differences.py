"""Cases that print something else in the browser, on purpose, and why (the README's table).

Each entry is ``"group.case": reason``. The conformance test fails when a case listed here
prints the same in both runtimes (the table must stay true) and when a case not listed
prints something else.
"""

DIFFERENCES = {
}
