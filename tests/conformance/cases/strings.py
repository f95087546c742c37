"""String methods."""


def case_upper_lower():
    print("Hello".upper(), "Hello".lower())


def case_strip():
    print("[" + "  hi  ".strip() + "]", "[" + "xxhixx".strip("x") + "]")


def case_split_join():
    words = "a b  c".split()
    print(words, "-".join(words))


def case_split_on_comma():
    print("1,2,3".split(","))


def case_replace():
    print("banana".replace("a", "o"))


def case_count():
    print("banana".count("a"))


def case_index():
    print("banana".index("n"))


def case_index_missing():
    try:
        "banana".index("z")
    except ValueError:
        print("ValueError caught")


def case_find():
    print("banana".find("n"), "banana".find("z"))


def case_startswith_endswith():
    print("sketch.py".endswith(".py"), "sketch.py".startswith("sk"))


def case_in():
    print("nan" in "banana", "x" in "banana")


def case_isdigit_isalpha():
    print("123".isdigit(), "abc".isalpha(), "a1".isdigit())


def case_title_capitalize():
    print("hello world".title(), "hello world".capitalize())


def case_center_ljust_rjust():
    print("[" + "ab".center(6) + "]", "[" + "ab".ljust(4) + "]", "[" + "ab".rjust(4, "*") + "]")


def case_zfill():
    print("7".zfill(3))


def case_multiply():
    print("ab" * 3, "-" * 10)


def case_len_and_index():
    word = "python"
    print(len(word), word[0], word[-1])


def case_reverse_slice():
    print("python"[::-1])


def case_ord_chr():
    print(ord("A"), chr(98))


def case_string_plus_number_raises():
    try:
        print("score: " + 5)
    except TypeError:
        print("TypeError caught")


def case_str_of_number():
    print("score: " + str(5))


def case_splitlines():
    print("a\nb\nc".splitlines())


def case_comparison():
    print("apple" < "banana", "a" == "a")


def case_repr_of_string():
    print(repr("hi"), repr(["hi"]))
