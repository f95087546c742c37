"""Comprehensions and generators."""


def case_list_comprehension():
    print([x * x for x in range(5)])


def case_comprehension_with_condition():
    print([x for x in range(10) if x % 3 == 0])


def case_nested_comprehension():
    print([(x, y) for x in range(2) for y in range(2)] == [(0, 0), (0, 1), (1, 0), (1, 1)])


def case_matrix():
    grid = [[0] * 3 for _ in range(2)]
    grid[0][1] = 5
    print(grid)


def case_set_comprehension():
    print(sorted({x % 3 for x in range(10)}))


def case_generator_function():
    def countdown(n):
        while n > 0:
            yield n
            n -= 1
    print(list(countdown(3)))


def case_generator_in_for():
    def evens(limit):
        for n in range(limit):
            if n % 2 == 0:
                yield n
    for n in evens(6):
        print(n)


def case_next_on_generator():
    def numbers():
        yield 1
        yield 2
    it = numbers()
    print(next(it), next(it))


def case_sum_of_generator():
    print(sum(x * x for x in range(4)))


def case_any_all():
    print(any(x > 2 for x in [1, 3]), all(x > 0 for x in [1, -1]))


def case_comprehension_over_dict():
    d = {"a": 1, "b": 2}
    print(sorted([k + str(v) for k, v in d.items()]))


def case_comprehension_over_dict_keys():
    d = {"a": 1, "b": 2}
    print(sorted([k for k in d]))


def case_list_of_strings_upper():
    print([word.upper() for word in ["a", "b"]])


def case_conditional_expression_in_comprehension():
    print(["even" if n % 2 == 0 else "odd" for n in range(3)])


def case_generator_stop_iteration():
    it = iter([1])
    next(it)
    try:
        next(it)
    except StopIteration:
        print("StopIteration caught")


def case_yield_from():
    def both():
        yield from [1, 2]
        yield from [3]
    print(list(both()))


def case_endless_generator_with_break():
    def naturals():
        n = 0
        while True:
            print("making", n)
            yield n
            n += 1
    for n in naturals():
        print("got", n)
        if n == 2:
            break
