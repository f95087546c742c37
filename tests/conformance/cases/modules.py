"""math, random (seeded), time, datetime, __name__."""
import datetime
import math
import random
import time


def case_math_constants():
    print(round(math.pi, 5), round(math.e, 5))


def case_math_functions():
    print(math.sqrt(16), math.floor(2.7), math.ceil(2.1))


def case_math_trig():
    print(round(math.sin(math.pi / 2), 6), round(math.cos(0), 6))


def case_math_hypot_atan2():
    print(math.hypot(3, 4), round(math.atan2(1, 1), 6))


def case_math_degrees():
    print(round(math.degrees(math.pi), 6), round(math.radians(180), 6))


def case_math_log():
    print(round(math.log(math.e), 6), math.log10(1000), math.log2(8))


def case_math_inf():
    print(math.inf > 10 ** 9, math.isnan(float("nan")))


def case_random_range():
    ok = True
    for i in range(100):
        if not 0 <= random.random() < 1:
            ok = False
    print(ok)


def case_randint_range():
    values = [random.randint(1, 6) for _ in range(200)]
    print(min(values) >= 1, max(values) <= 6)


def case_choice():
    print(random.choice(["a", "a"]))


def case_shuffle_keeps_items():
    xs = [1, 2, 3, 4]
    random.shuffle(xs)
    print(sorted(xs))


def case_uniform():
    x = random.uniform(2, 3)
    print(2 <= x <= 3)


def case_seeded_random():
    random.seed(42)
    print(random.random())


def case_time_time():
    start = time.time()
    print(start > 1600000000)


def case_perf_counter():
    start = time.perf_counter()
    total = 0
    for i in range(1000):
        total += i
    elapsed = time.perf_counter() - start
    print(elapsed >= 0, total)


def case_monotonic():
    print(time.monotonic() >= 0)


def case_datetime_now():
    now = datetime.datetime.now()
    print(now.year > 2020, 1 <= now.month <= 12)


def case_datetime_strftime():
    moment = datetime.datetime(2024, 3, 5, 14, 7, 9)
    print(moment.strftime("%Y-%m-%d %H:%M:%S"))


def case_datetime_fields():
    moment = datetime.datetime(2024, 3, 5, 14, 7, 9)
    print(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def case_datetime_difference():
    a = datetime.datetime(2024, 1, 1)
    b = datetime.datetime(2024, 1, 3, 12)
    print((b - a).total_seconds())


def case_module_name():
    print(__name__)


def case_seeded_randint_choice():
    random.seed(7)
    print([random.randint(1, 6) for _ in range(5)], random.choice(["rock", "paper", "scissors"]))


def case_seeded_shuffle_sample():
    random.seed(3)
    deck = list(range(10))
    random.shuffle(deck)
    print(deck, random.sample(range(50), 4))


def case_seeded_uniform_gauss():
    random.seed(11)
    print(random.uniform(-1, 1), random.gauss(0, 1), random.randrange(0, 100, 10))
