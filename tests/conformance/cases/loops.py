"""Loops: for, while, range, enumerate, zip, reversed, break / continue / else."""


def case_range_stop():
    for i in range(3):
        print(i)


def case_range_start_stop_step():
    print(list(range(2, 11, 3)))


def case_range_backwards():
    for i in range(5, 0, -2):
        print(i)


def case_enumerate():
    for i, name in enumerate(["ada", "bob"]):
        print(i, name)


def case_enumerate_start():
    for i, name in enumerate(["ada", "bob"], 1):
        print(i, name)


def case_enumerate_comprehension():
    print([i * x for i, x in enumerate([5, 6, 7])])


def case_zip():
    for a, b in zip([1, 2, 3], "xyz"):
        print(a, b)


def case_zip_shortest():
    print(len(list(zip([1, 2, 3], [4, 5]))))


def case_reversed():
    for x in reversed([1, 2, 3]):
        print(x)


def case_while_break():
    n = 0
    while True:
        n += 1
        if n > 4:
            break
    print(n)


def case_continue():
    for i in range(6):
        if i % 2 == 0:
            continue
        print(i)


def case_for_else():
    for i in range(3):
        if i == 10:
            break
    else:
        print("no break")


def case_nested_loops():
    total = 0
    for i in range(4):
        for j in range(i):
            total += i * j
    print(total)


def case_loop_over_string():
    for letter in "hey":
        print(letter)


def case_loop_over_tuple_pairs():
    for x, y in [(1, 2), (3, 4)]:
        print(x + y)


def case_enumerate_dict_items():
    scores = {"ada": 3, "bob": 5}
    for i, (name, score) in enumerate(scores.items()):
        print(i, name, score)


def case_iterate_generator_expression():
    for square in (n * n for n in range(4)):
        print(square)


def case_loop_variable_after_loop():
    for i in range(3):
        pass
    print(i)
