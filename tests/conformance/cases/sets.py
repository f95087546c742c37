"""Sets: building, membership, operators and methods."""


def case_set_from_list():
    print(sorted(set([3, 1, 3, 2])), len({1, 1, 2}))


def case_membership():
    seen = {1, 2}
    print(1 in seen, 5 in seen)


def case_add_discard():
    s = {1}
    s.add(2)
    s.discard(1)
    print(sorted(s))


def case_union_operator():
    print(sorted({1, 2} | {2, 3}))


def case_intersection_operator():
    print(sorted({1, 2} & {2, 3}))


def case_difference_operator():
    print(sorted({1, 2, 3} - {2}))


def case_symmetric_difference_operator():
    print(sorted({1, 2} ^ {2, 3}))


def case_union_method():
    print(sorted({1}.union({2})))


def case_intersection_method():
    print(sorted({1, 2}.intersection({2, 3})))


def case_issubset():
    print({1}.issubset({1, 2}), {3}.issubset({1, 2}))


def case_set_equality():
    print({1, 2} == {2, 1})


def case_remove_missing():
    try:
        {1}.remove(5)
    except KeyError:
        print("KeyError caught")


def case_unique_words():
    words = "the cat the hat".split()
    print(len(set(words)))


def case_update():
    s = {1}
    s.update([2, 3])
    print(sorted(s))


def case_empty_set():
    s = set()
    print(len(s))
