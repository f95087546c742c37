"""``import time`` in a browser sketch (the build swaps it in; only Transcrypt compiles it).

What learners use: ``time.time()`` (seconds since 1970, a float), ``time.perf_counter()``
and ``time.monotonic()`` (seconds from the page's clock, for measuring), ``time.time_ns()``,
``time.localtime()`` / ``time.gmtime()`` (a ``struct_time`` with ``tm_year``... and its
tuple's fields), ``time.strftime(format)`` and ``time.ctime()``. ``time.sleep()`` is refused
by the build (it would freeze the page): p5's ``millis()`` or ``window.setTimeout`` instead.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')

from ml5py.browser_python.datetime import datetime, _strftime


def time():
    """Seconds since 1 January 1970 (UTC), with milliseconds."""
    return Date.now() / 1000


def time_ns():
    return Math.round(Date.now() * 1000000)


def perf_counter():
    """Seconds from the page's high-resolution clock: subtract two readings."""
    return window.performance.now() / 1000


def monotonic():
    return window.performance.now() / 1000


def process_time():
    return window.performance.now() / 1000


class struct_time:
    """The fields of a moment, by name (``tm_year``...) and by index, as Python's."""

    def __init__(self, moment, utc):
        if utc:
            fields = [moment.getUTCFullYear(), moment.getUTCMonth() + 1, moment.getUTCDate(),
                      moment.getUTCHours(), moment.getUTCMinutes(), moment.getUTCSeconds(),
                      (moment.getUTCDay() + 6) % 7]
        else:
            fields = [moment.getFullYear(), moment.getMonth() + 1, moment.getDate(), moment.getHours(),
                      moment.getMinutes(), moment.getSeconds(), (moment.getDay() + 6) % 7]
        self.tm_year, self.tm_mon, self.tm_mday, self.tm_hour, self.tm_min, self.tm_sec, self.tm_wday = fields
        start = __new__(Date(self.tm_year, 0, 1))
        self.tm_yday = Math.floor((__new__(Date(self.tm_year, self.tm_mon - 1, self.tm_mday)) - start) / 86400000) + 1
        self.tm_isdst = -1
        self._fields = fields + [self.tm_yday, self.tm_isdst]

    def __getitem__(self, index):
        return self._fields[index]

    def __len__(self):
        return 9


def _moment(seconds):
    return __new__(Date()) if seconds == None else __new__(Date(seconds * 1000))


def localtime(seconds=None):
    return struct_time(_moment(seconds), False)


def gmtime(seconds=None):
    return struct_time(_moment(seconds), True)


def strftime(form, moment=None):
    """``time.strftime("%H:%M:%S")``: now (or a ``struct_time``) written by ``form``."""
    if moment == None:
        return datetime.now().strftime(form)
    return _strftime(datetime(moment.tm_year, moment.tm_mon, moment.tm_mday, moment.tm_hour,
                              moment.tm_min, moment.tm_sec), form)


def ctime(seconds=None):
    moment = localtime(seconds)
    return strftime("%a %b %d %H:%M:%S %Y", moment).replace(" 0", "  ", 1) if moment.tm_mday < 10 \
        else strftime("%a %b %d %H:%M:%S %Y", moment)
