"""print() and everyday values: None, booleans, truthiness, type()."""


def case_print_several():
    print("a", 1, 2.5, True, None)


def case_print_sep_end():
    print("a", "b", sep="-", end="!\n")


def case_print_empty_line():
    print()
    print("after")


def case_none_checks():
    x = None
    print(x is None, x is not None, x == None)


def case_truthiness():
    print(bool(0), bool(""), bool([]), bool({}), bool([0]), bool("0"))


def case_if_empty_list():
    items = []
    if not items:
        print("empty")


def case_and_or_values():
    print(0 or "default", 3 and 4, None or 0)


def case_type_names():
    print(type(1).__name__, type("a").__name__, type([]).__name__, type({}).__name__)


def case_str_of_bool_and_none():
    print(str(True) + str(None))


def case_print_nested_list():
    print([[1, 2], ["a"]])


def case_input_free_conversions():
    print(list("abc"), tuple([1, 2]) == (1, 2))


def case_conditional_expression():
    n = 5
    print("big" if n > 3 else "small")


def case_chained_string_methods():
    print(" Hello World ".strip().lower().replace(" ", "_"))


def case_multiline_string():
    text = """line one
line two"""
    print(text)


def case_escape_sequences():
    print("tab\there", "quote\"s", len("\n"))


def case_print_end_joins_lines():
    for i in range(3):
        print(i, end=" ")
    print("done")
