"""Dictionaries: iteration, methods, missing keys, equality."""


def case_iterate_keys():
    ages = {"ada": 36, "bob": 7}
    for name in ages:
        print(name, ages[name])


def case_items():
    for key, value in {"x": 1, "y": 2}.items():
        print(key, value)


def case_keys_values_lists():
    d = {"x": 1, "y": 2}
    print(list(d.keys()), list(d.values()))


def case_get_default():
    d = {"x": 1}
    print(d.get("x"), d.get("z"), d.get("z", 0))


def case_missing_key_raises_key_error():
    d = {"x": 1}
    try:
        print(d["nope"])
    except KeyError:
        print("KeyError caught")


def case_missing_key_escapes():
    d = {}
    print(d["nope"])


def case_in_and_not_in():
    d = {"x": 1}
    print("x" in d, "y" in d, "y" not in d)


def case_len():
    print(len({"a": 1, "b": 2, "c": 3}))


def case_setdefault_and_count():
    counts = {}
    for word in ["a", "b", "a", "a"]:
        counts[word] = counts.get(word, 0) + 1
    print(counts["a"], counts["b"])


def case_update_and_pop():
    d = {"a": 1}
    d.update({"b": 2})
    print(d.pop("a"), sorted(d.keys()))


def case_del():
    d = {"a": 1, "b": 2}
    del d["a"]
    print(list(d))


def case_equality():
    print({"a": 1} == {"a": 1}, {"a": 1} == {"a": 2})


def case_print_dict():
    print({"a": 1, "b": "two"})


def case_items_pairs_printed():
    print(list({"a": 1}.items()))


def case_dict_comprehension():
    squares = {n: n * n for n in range(4)}
    print(squares[3], len(squares))


def case_int_keys():
    d = {1: "one", 2: "two"}
    print(d[1], d.get(2))


def case_nested_dicts():
    people = {"ada": {"age": 36}}
    people["ada"]["age"] += 1
    print(people["ada"]["age"])


def case_dict_from_zip():
    d = dict(zip(["a", "b"], [1, 2]))
    print(d["b"])


def case_sorted_by_value():
    d = {"a": 3, "b": 1, "c": 2}
    print(sorted(d, key=lambda k: d[k]))


def case_keys_in_insertion_order():
    d = {}
    d["zebra"] = 1
    d["apple"] = 2
    print(list(d))
