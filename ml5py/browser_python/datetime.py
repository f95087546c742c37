"""``import datetime`` in a browser sketch (the build swaps it in; only Transcrypt compiles it).

What learners use, as Python's: ``datetime.now()`` / ``today()`` / ``fromtimestamp()``, a
``datetime(year, month, day, hour, minute, second)`` and its fields, ``strftime`` (``%Y %m
%d %H %M %S %y %I %p %B %b %A %a %j %f %%``), ``isoformat()``, printing, comparing, and
subtracting (a ``timedelta``, with ``total_seconds()``); ``date.today()``; ``timedelta``
added to a ``datetime``. Times are the page's local time (no time zones).
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _two(number):
    return ("0" + str(number))[-2:] if number < 10 else str(number)


def _strftime(moment, form):
    """``form`` with each %-directive replaced by ``moment``'s field (Python's names)."""
    hour12 = moment.hour % 12 or 12
    start = __new__(Date(moment.year, 0, 1))
    day_of_year = Math.floor((__new__(Date(moment.year, moment.month - 1, moment.day)) - start) / 86400000) + 1
    fields = {"Y": str(moment.year), "m": _two(moment.month), "d": _two(moment.day),
              "H": _two(moment.hour), "M": _two(moment.minute), "S": _two(moment.second),
              "y": _two(moment.year % 100), "I": _two(hour12), "p": "AM" if moment.hour < 12 else "PM",
              "B": MONTHS[moment.month - 1], "b": MONTHS[moment.month - 1][:3],
              "A": DAYS[moment.weekday()], "a": DAYS[moment.weekday()][:3],
              "j": ("00" + str(day_of_year))[-3:], "f": ("00000" + str(moment.microsecond))[-6:], "%": "%"}
    out, index = "", 0
    while index < len(form):
        letter = form[index]
        if letter == "%" and index + 1 < len(form) and form[index + 1] in fields:
            out += fields[form[index + 1]]
            index += 2
        else:
            out += letter
            index += 1
    return out


class timedelta:
    """A length of time: ``days``, ``seconds``, ``microseconds`` and ``total_seconds()``."""

    def __init__(self, days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0):
        total = (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds + \
            (milliseconds * 1000 + microseconds) / 1000000
        self._total = total
        self.days = Math.floor(total / 86400)
        rest = total - self.days * 86400
        self.seconds = Math.floor(rest)
        self.microseconds = Math.round((rest - self.seconds) * 1000000)

    def total_seconds(self):
        return self._total

    def __str__(self):
        seconds = self.seconds
        text = str(Math.floor(seconds / 3600)) + ":" + _two(Math.floor(seconds / 60) % 60) + ":" + _two(seconds % 60)
        if self.microseconds:
            text += "." + ("00000" + str(self.microseconds))[-6:]
        if self.days:
            text = str(self.days) + (" day, " if abs(self.days) == 1 else " days, ") + text
        return text

    def __add__(self, other):
        return timedelta(seconds=self._total + other._total)

    def __sub__(self, other):
        return timedelta(seconds=self._total - other._total)

    def __eq__(self, other):
        return isinstance(other, timedelta) and self._total == other._total

    def __lt__(self, other):
        return self._total < other._total

    def __gt__(self, other):
        return self._total > other._total


class datetime:
    """A moment in the page's local time, with Python's fields and methods."""

    def __init__(self, year, month=1, day=1, hour=0, minute=0, second=0, microsecond=0):
        self.year, self.month, self.day = year, month, day
        self.hour, self.minute, self.second, self.microsecond = hour, minute, second, microsecond

    def _date(self):
        return __new__(Date(self.year, self.month - 1, self.day, self.hour, self.minute, self.second,
                            self.microsecond / 1000))

    @staticmethod
    def _from(moment, microsecond=None):
        return datetime(moment.getFullYear(), moment.getMonth() + 1, moment.getDate(), moment.getHours(),
                        moment.getMinutes(), moment.getSeconds(),
                        moment.getMilliseconds() * 1000 if microsecond == None else microsecond)

    @staticmethod
    def now():
        return datetime._from(__new__(Date()))

    @staticmethod
    def today():
        return datetime._from(__new__(Date()))

    @staticmethod
    def fromtimestamp(seconds):
        return datetime._from(__new__(Date(seconds * 1000)), Math.round((seconds % 1) * 1000000))

    def timestamp(self):
        return self._date().getTime() / 1000

    def weekday(self):
        return (self._date().getDay() + 6) % 7

    def strftime(self, form):
        return _strftime(self, form)

    def isoformat(self, sep="T"):
        text = self.strftime("%Y-%m-%d") + sep + self.strftime("%H:%M:%S")
        return text + "." + self.strftime("%f") if self.microsecond else text

    def date(self):
        return date(self.year, self.month, self.day)

    def __str__(self):
        return self.isoformat(" ")

    def __repr__(self):
        return "datetime.datetime(" + ", ".join([str(self.year), str(self.month), str(self.day), str(self.hour),
                                                 str(self.minute), str(self.second)]) + ")"

    def _seconds(self):
        return self._date().getTime() / 1000 + (self.microsecond % 1000) / 1000000

    def __sub__(self, other):
        if isinstance(other, timedelta):
            return datetime.fromtimestamp(self._seconds() - other.total_seconds())
        return timedelta(seconds=self._seconds() - other._seconds())

    def __add__(self, other):
        return datetime.fromtimestamp(self._seconds() + other.total_seconds())

    def __eq__(self, other):
        return isinstance(other, datetime) and self._seconds() == other._seconds()

    def __lt__(self, other):
        return self._seconds() < other._seconds()

    def __gt__(self, other):
        return self._seconds() > other._seconds()

    def __le__(self, other):
        return self._seconds() <= other._seconds()

    def __ge__(self, other):
        return self._seconds() >= other._seconds()


class date(datetime):
    """A day: ``date.today()``, ``date(2024, 3, 5)``, its fields and ``strftime``."""

    def __init__(self, year, month=1, day=1):
        datetime.__init__(self, year, month, day)

    @staticmethod
    def today():
        now = datetime.now()
        return date(now.year, now.month, now.day)

    def isoformat(self):
        return self.strftime("%Y-%m-%d")

    def __str__(self):
        return self.isoformat()
