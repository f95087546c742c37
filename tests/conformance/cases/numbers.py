"""Numbers and how they print; integer and float division; errors."""


def case_int_print():
    print(3, -7, 10 ** 6)


def case_float_print():
    print(3.5, 0.1 + 0.2)


def case_float_whole_number():
    print(3.0)


def case_true_division():
    print(7 / 2, 6 / 3)


def case_floor_division():
    print(7 // 2, -7 // 2)


def case_modulo():
    print(7 % 3, -7 % 3)


def case_power():
    print(2 ** 10, 2 ** -1)


def case_divide_by_zero():
    try:
        print(1 / 0)
    except ZeroDivisionError:
        print("ZeroDivisionError caught")


def case_floor_divide_by_zero():
    try:
        print(1 // 0)
    except ZeroDivisionError:
        print("ZeroDivisionError caught")


def case_modulo_by_zero():
    try:
        print(5 % 0)
    except ZeroDivisionError:
        print("ZeroDivisionError caught")


def case_int_conversion():
    print(int("42"), int(3.9), int(-3.9))


def case_int_bad_string():
    try:
        int("forty")
    except ValueError:
        print("ValueError caught")


def case_float_conversion():
    print(float("2.5"))


def case_round():
    print(round(3.14159, 2), round(2.5), round(3.5), round(7))


def case_abs_min_max():
    print(abs(-3), min(3, 1, 2), max([4, 9, 2]))


def case_sum():
    print(sum([1, 2, 3]), sum(range(101)))


def case_divmod():
    print(divmod(17, 5))


def case_big_int():
    print(2 ** 40)


def case_int_is_int():
    print(isinstance(3, int), isinstance("3", int))


def case_comparison_chain():
    x = 5
    print(1 < x < 10, 1 < x > 10)


def case_augmented_assignment():
    n = 10
    n += 5
    n -= 3
    n *= 2
    print(n)


def case_bool_arithmetic():
    print(True + True, int(False))


def case_str_of_float():
    print(str(2.5), str(10))


def case_average():
    scores = [3, 4, 5]
    print(sum(scores) / len(scores))
