"""Every formatting style: f-strings with specs, str.format, %."""


def case_fstring_plain():
    name = "Ada"
    print(f"hi {name}!")


def case_fstring_expression():
    x = 3
    print(f"{x} squared is {x * x}")


def case_fstring_fixed_point():
    x = 0.4677157
    print(f"{x:.1f} {x:.3f}")


def case_fstring_thousands():
    n = 1234567
    print(f"{n:,}")


def case_fstring_width_right():
    print(f"[{'ab':>8}]")


def case_fstring_width_left():
    print(f"[{'ab':<6}]")


def case_fstring_center():
    print(f"[{'ab':^6}]")


def case_fstring_zero_pad():
    print(f"{7:03d}")


def case_fstring_percent():
    print(f"{0.4567:.2%}")


def case_fstring_repr():
    word = "hi"
    print(f"{word!r}")


def case_fstring_width_and_precision():
    print(f"[{3.14159:8.2f}]")


def case_fstring_sign():
    print(f"{5:+d} {-5:+d}")


def case_fstring_nested_spec():
    width = 6
    print(f"[{'x':>{width}}]")


def case_fstring_dict_value():
    d = {"a": 1.5}
    print(f"a is {d['a']:.2f}")


def case_fstring_confidence():
    result = {"label": "robin", "confidence": 0.93812}
    print(f"{result['label']}: {result['confidence'] * 100:.1f}%")


def case_format_positional():
    print("{} and {}".format("a", "b"))


def case_format_fixed():
    print("{:.2f}".format(3.14159))


def case_format_numbered():
    print("{1} {0}".format("a", "b"))


def case_format_named():
    print("{name} is {age}".format(name="Ada", age=36))


def case_format_width():
    print("[{:>5}]".format(42))


def case_percent_d():
    print("%d apples" % 3)


def case_percent_d_percent():
    x = 42
    print("%d%%" % x)


def case_percent_tuple():
    print("%s is %d" % ("Ada", 36))


def case_percent_float():
    print("%.2f" % 3.14159)


def case_percent_width():
    print("[%5d]" % 42)


def case_hex_and_binary():
    print(f"{255:x} {5:b}", hex(255), bin(5))


def case_format_builtin():
    print(format(3.14159, ".3f"))


def case_fstring_equals_debug():
    x = 5
    print(f"{x=}")


def case_fixed_point_ties_and_signs():
    print(f"{0.125:.2f} {2.5:.0f} {-2.5:.0f} {1.005:.2f} {-0.04:.1f} {1e22:.1f} {-0.0:.1f}")
