"""Lists: slicing, sorting with keys, methods, copying, tuples."""


def case_append_extend_insert():
    xs = [1]
    xs.append(2)
    xs.extend([3, 4])
    xs.insert(0, 0)
    print(xs)


def case_pop_remove():
    xs = [1, 2, 3, 2]
    print(xs.pop(), xs.pop(0))
    xs.remove(2)
    print(xs)


def case_index():
    print(["a", "b", "c"].index("b"))


def case_index_missing():
    try:
        [1, 2].index(5)
    except ValueError:
        print("ValueError caught")


def case_count():
    print([1, 2, 1, 1].count(1))


def case_negative_index():
    xs = [1, 2, 3]
    print(xs[-1], xs[-2])


def case_slices():
    xs = list(range(10))
    print(xs[2:5], xs[:3], xs[7:], xs[::3], xs[-3:])


def case_slice_assignment():
    xs = [1, 2, 3, 4]
    xs[1:3] = [9]
    print(xs)


def case_sorted():
    print(sorted([3, 1, 2]), sorted([3, 1, 2], reverse=True))


def case_sort_in_place_with_key():
    words = ["pear", "fig", "banana"]
    words.sort(key=len)
    print(words)


def case_sort_dicts_by_key():
    results = [{"label": "a", "confidence": 0.2}, {"label": "b", "confidence": 0.7}]
    best = sorted(results, key=lambda r: r["confidence"], reverse=True)
    print(best[0]["label"])


def case_sort_numbers_not_text():
    print(sorted([10, 9, 100]))


def case_sort_tuples():
    print(sorted([(2, "b"), (1, "z"), (2, "a")]) == [(1, "z"), (2, "a"), (2, "b")])


def case_max_with_key():
    print(max(["aa", "b", "ccc"], key=len))


def case_reverse():
    xs = [1, 2, 3]
    xs.reverse()
    print(xs)


def case_copy_is_new():
    xs = [1, 2]
    ys = xs.copy()
    ys.append(3)
    print(len(xs), len(ys))


def case_list_equality():
    print([1, 2] == [1, 2], [1, 2] == [2, 1])


def case_in_list():
    print(3 in [1, 2, 3], 4 in [1, 2, 3])


def case_list_plus_and_times():
    print([1] + [2], [0] * 3)


def case_index_error_escapes():
    xs = [1]
    print(xs[3])


def case_tuple_unpacking():
    point = (3, 4)
    x, y = point
    print(x * y)


def case_print_tuple():
    print((1, 2))


def case_len_of_nested():
    print(len([[1, 2], [3]]))


def case_clear():
    xs = [1, 2]
    xs.clear()
    print(xs)


def case_del_item():
    xs = [1, 2, 3]
    del xs[0]
    print(xs)


def case_str_of_list():
    print(str([1, "a", None, True]))
