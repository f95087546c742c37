"""Exceptions: which except catches what, raise, finally, custom exceptions."""


def case_index_error():
    try:
        [1, 2][5]
    except IndexError:
        print("IndexError caught")


def case_key_error_is_lookup_error():
    try:
        {}["x"]
    except LookupError:
        print("LookupError caught")


def case_exception_catches_key_error():
    try:
        {}["x"]
    except Exception:
        print("Exception caught")


def case_value_error():
    try:
        raise ValueError("bad value")
    except ValueError as error:
        print("caught", error)


def case_raise_and_message():
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        print(str(error))


def case_finally():
    try:
        print("try")
    finally:
        print("finally")


def case_else():
    try:
        x = 1
    except ValueError:
        print("no")
    else:
        print("else", x)


def case_custom_exception():
    class TooBig(Exception):
        pass
    try:
        raise TooBig("too big")
    except TooBig as error:
        print("caught", error)


def case_custom_exception_subclass():
    class GameError(Exception):
        pass

    class OutOfLives(GameError):
        pass
    try:
        raise OutOfLives("none left")
    except GameError:
        print("GameError caught")


def case_multiple_excepts():
    for value in ["3", "x"]:
        try:
            print(int(value))
        except (TypeError, ValueError):
            print("bad", value)


def case_type_error_on_str_plus_int():
    try:
        "a" + 1
    except TypeError:
        print("TypeError caught")


def case_exception_catches_zero_division():
    try:
        1 / 0
    except Exception:
        print("Exception caught")


def case_error_type_name():
    try:
        raise ValueError("v")
    except Exception as error:
        print(type(error).__name__)


def case_reraise():
    try:
        try:
            raise ValueError("inner")
        except ValueError:
            print("handling")
            raise
    except ValueError:
        print("outer")


def case_attribute_error_caught():
    try:
        (5).no_such_method()
    except AttributeError:
        print("AttributeError caught")


def case_method_missing_caught_by_exception():
    try:
        "abc".no_such_method()
    except Exception:
        print("Exception caught")


def case_assert():
    try:
        assert 1 == 2, "one is not two"
    except AssertionError as error:
        print("AssertionError", error)


def case_uncaught_value_error():
    int("x")


def case_name_error():
    try:
        print(undefined_name_here)
    except NameError:
        print("NameError caught")


def case_number_plus_none():
    try:
        print(1 + None)
    except TypeError:
        print("TypeError caught")
