"""Classes, inheritance, methods, properties, dunder methods."""


class Ball:
    count = 0

    def __init__(self, x, speed=2):
        self.x = x
        self.speed = speed
        Ball.count += 1

    def move(self):
        self.x += self.speed
        return self.x


class BouncyBall(Ball):
    def move(self):
        super().move()
        self.speed = -self.speed
        return self.x


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __str__(self):
        return f"Point({self.x}, {self.y})"

    def __repr__(self):
        return f"P({self.x}, {self.y})"

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y

    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)


def case_attributes_and_methods():
    ball = Ball(10)
    print(ball.move(), ball.move())


def case_default_argument_in_init():
    print(Ball(0, 5).speed, Ball(0).speed)


def case_class_variable():
    before = Ball.count
    Ball(1)
    Ball(2)
    print(Ball.count - before)


def case_inheritance_and_super():
    ball = BouncyBall(0)
    print(ball.move(), ball.speed)


def case_isinstance():
    ball = BouncyBall(0)
    print(isinstance(ball, Ball), isinstance(ball, BouncyBall), isinstance(Ball(0), BouncyBall))


def case_str_method():
    print(Point(1, 2))
    print(str(Point(3, 4)))


def case_repr_in_list():
    print([Point(1, 2)])


def case_eq_method():
    print(Point(1, 2) == Point(1, 2), Point(1, 2) == Point(2, 1))


def case_add_method():
    print(Point(1, 2) + Point(3, 4))


def case_class_name():
    print(type(Point(1, 2)).__name__, Point.__name__)


def case_property():
    class Circle:
        def __init__(self, r):
            self.r = r

        @property
        def diameter(self):
            return self.r * 2
    print(Circle(3).diameter)


def case_staticmethod_classmethod():
    class Tools:
        @staticmethod
        def double(x):
            return x * 2

        @classmethod
        def name(cls):
            return cls.__name__
    print(Tools.double(4), Tools.name())


def case_list_of_objects():
    balls = [Ball(i) for i in range(3)]
    for ball in balls:
        ball.move()
    print([ball.x for ball in balls])


def case_hasattr_getattr_setattr():
    ball = Ball(1)
    setattr(ball, "colour", "red")
    print(hasattr(ball, "colour"), getattr(ball, "colour"), getattr(ball, "size", 0))


def case_len_method():
    class Bag:
        def __init__(self):
            self.items = [1, 2, 3]

        def __len__(self):
            return len(self.items)
    print(len(Bag()))


def case_method_as_value():
    ball = Ball(0)
    step = ball.move
    step()
    print(step())


def case_object_in_dict():
    shelf = {"p": Point(1, 1)}
    print(shelf["p"].x + shelf["p"].y)
