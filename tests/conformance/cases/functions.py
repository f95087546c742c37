"""Functions: defaults, keywords, *args, closures, lambdas, __name__, walrus, recursion."""


def greet(name, greeting="Hello"):
    return f"{greeting}, {name}"


def case_default_argument():
    print(greet("Ada"), greet("Bob", "Hi"))


def case_keyword_argument():
    print(greet(greeting="Yo", name="Cy"))


def case_star_args():
    def total(*numbers):
        return sum(numbers)
    print(total(1, 2, 3))


def case_kwargs():
    def describe(**options):
        return sorted(options.items())
    print(len(describe(a=1, b=2)))


def case_closure():
    def make_counter():
        count = 0

        def step():
            nonlocal count
            count += 1
            return count
        return step
    counter = make_counter()
    counter()
    print(counter())


def case_closure_over_loop_variable_default():
    makers = []
    for i in range(3):
        makers.append(lambda i=i: i * 10)
    print([make() for make in makers])


def case_lambda():
    double = lambda x: x * 2
    print(double(4))


def case_lambda_with_default_callback():
    results = []
    for name in ["cat", "dog"]:
        callback = lambda r, e, name=name: results.append(name + str(r))
        callback(1, None)
    print(results)


def case_function_name():
    print(greet.__name__)


def case_lambda_name():
    f = lambda: 0
    print(f.__name__)


def case_recursion():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    print(fact(10))


def case_multiple_return_values():
    def min_max(xs):
        return min(xs), max(xs)
    lo, hi = min_max([3, 1, 4])
    print(lo, hi)


def case_function_as_argument():
    def apply(f, x):
        return f(x)
    print(apply(abs, -4), apply(str, 5))


def case_map_filter():
    print(list(map(lambda x: x + 1, [1, 2])), list(filter(lambda x: x > 1, [1, 2, 3])))


def case_mutable_default_shared():
    def add(item, bag=[]):
        bag.append(item)
        return len(bag)
    add(1)
    print(add(2))


def case_global_counter():
    global _conformance_total
    _conformance_total = 0
    for i in range(4):
        _conformance_total += i
    print(_conformance_total)


def case_docstring_function():
    def documented():
        """Says hello."""
        return "hello"
    print(documented())


def case_swap():
    a, b = 1, 2
    a, b = b, a
    print(a, b)
