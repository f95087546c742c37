"""The browser runtime's pending values (JavaScript promises), callbacks, result records, errors
as Python exceptions, and the page (its config, the status line); also the tiny JavaScript
helpers the other browser twins import (``is_instance``, ``type_of``, ``named_inputs``, ``define_lazy``).

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``pending_cpython.py``.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

# Tiny JavaScript helpers Python has no words for (``instanceof``, ``typeof``; a dict keyed
# by a variable; a field made when first read). Exported, so the other parts can import them.
__pragma__ ('js', '{}', """
export function is_instance (value, kind) { return !!kind && value instanceof kind; }
export function type_of (value) { return typeof value; }
export function named_inputs (name, tensor) { var feeds = {}; feeds [name] = tensor; return feeds; }
export function define_lazy (target, name, make) {
    var made = false, value;
    Object.defineProperty (target, name, {enumerable: true, configurable: true,
        get: function () { if (!made) { value = make (); made = true; } return value; },
        set: function (given) { value = given; made = true; }});
}
// A pending result: the promise, which also throws (through not_ready) when read as the
// results would be. ``await``, ``then`` and ml5py's own checks see the promise.
var REFUSED = {"length": 1, "__getitem__": 1, "__iter__": 1, "__len__": 1, "__str__": 1, "__repr__": 1,
    "__contains__": 1, "toString": 1, "py_get": 1, "py_items": 1, "py_keys": 1, "py_values": 1, "label": 1,
    "confidence": 1, "keypoints": 1, "box": 1, "score": 1, "mask": 1, "poses": 1};
export function pending_result (promise, not_ready) {
    return new Proxy (promise, {get: function (target, key) {
        if (key === "then" || key === "catch" || key === "finally") { return target [key].bind (target); }
        if (typeof key === "string" && (REFUSED [key] === 1 || /^[0-9]+$/.test (key))) { not_ready (key); }
        return Reflect.get (target, key);
    }});
}
""")

config = window.ML5PY_CONFIG or {}

NOT_READY = ("This is a model's result that is not ready yet (the browser is still working on it), and "
             "here ml5py cannot wait for it: inside draw() and other p5 functions, callbacks, lambdas, "
             "comprehensions and the arguments of a method call (items.append(...)): name "
             "the result first (results = ...) where you can. Give the method a callback instead, as in classifier.classify(video, "
             "got_results) with def got_results(results, error): ..., or use its *_start form "
             "(classify_start, detect_start, segment_start...) to get results for every frame.")


class NotReadyError(Exception):
    """A pending result read where the sketch cannot wait for it."""


def _not_ready(key):
    """Raised where a sketch reads a pending result as if it were there (``results[0]`` in draw())."""
    raise NotReadyError(NOT_READY)

# ---------------------------------------------------------------- pending values


def ready(value):
    """A promise of ``value`` (which may itself be a promise)."""
    return Promise.resolve(value)


def attempt(work):
    """A promise of ``work()``; an exception becomes a rejected promise."""
    return __new__(Promise(lambda resolve, reject: resolve(work())))


def after(pending, work):
    """When ``pending`` has its value, run ``work(value)``; errors skip ahead."""
    return Promise.resolve(pending).then(work)


def when_all(items):
    return Promise.all(items)


def call_back(callback, *args):
    """Call a user's callback (JavaScript ignores arguments it does not take)."""
    return callback(*args)


def deliver(pending, callback=None):
    """Hand the outcome to ``callback(value, error)`` and return a promise of the value.

    Without a callback an error rejects the promise (and the page shows it). The stack of
    the call that asked for the work is kept with a later error, so the page can point at
    the sketch's line even when the error comes long after (a model that failed to load).

    A callback that asks again (``classify`` from inside ``got_result``, the ml5.js habit)
    chains promise after promise on wasm, where nothing waits for a GPU, and the page would
    never get to draw. So when the page has not drawn a frame since the last callback, the
    callback runs in a task of its own (``_next_task``), which lets the browser draw first;
    otherwise at once (a live loop, which waits for the next video frame anyway, would
    lose classifications to the extra draws).
    """
    call_site = _call_site()

    def succeeded(value):
        if not callback:
            return value

        def hand_over():
            callback(value, None)
            return value
        return hand_over() if _page_drew_since_last_callback() else _next_task(hand_over)

    def failed(error):
        error = python_error(error)
        if call_site and not error.ml5py_call_site:
            error.ml5py_call_site = call_site
        if not callback:
            raise error
        return _next_task(lambda: callback(None, error))

    return pending_result(Promise.resolve(pending).then(succeeded, failed), _not_ready)


_frames = [-1, -1]  # [animation frames drawn so far (-1: not counted yet), that count at the last callback]


def _page_drew_since_last_callback():
    """True if the page drew an animation frame since the last callback ``deliver`` made."""
    if _frames[0] < 0:
        def count(now):
            _frames[0] += 1
            window.requestAnimationFrame(count)
        _frames[0] = 0
        window.requestAnimationFrame(count)
    drew = _frames[0] != _frames[1]
    _frames[1] = _frames[0]
    return drew


_waiting_tasks = []
_task_channel = None


def _next_task(work):
    """A promise of ``work()``'s value, run in a new task: the page may draw before it.

    A ``MessageChannel`` message, not ``setTimeout(0)``, which browsers slow to 4 ms once
    timers nest. Tasks run in the order they were asked for.
    """
    global _task_channel
    if not _task_channel:
        _task_channel = __new__(MessageChannel())
        _task_channel.port1.onmessage = lambda event: _waiting_tasks.shift()()

    def start(resolve):
        _waiting_tasks.push(lambda: resolve(attempt(work)))  # an error in work() rejects
        _task_channel.port2.postMessage(0)

    return __new__(Promise(start))


def _call_site():
    """The JS stack of the current call (the page maps it to the sketch's Python line)."""
    return window.ml5py.callSite() if window.ml5py and window.ml5py.callSite else None


def python_error(error):
    """An error thrown by TF.js or the browser, as a Python exception for the sketch.

    Sketches are compiled with Python truthiness, where a JavaScript ``Error`` (it has no
    enumerable fields) counts as false: ``if error:`` in a callback would miss it, and
    ``except Exception`` would not catch it. Python exceptions pass through unchanged.
    """
    if type_of(error) == "object" and error is not None and Object.prototype.hasOwnProperty.call(error, "__args__"):
        return error  # a Python exception (a sketch's page also gives JS errors a __class__)
    if type_of(error) == "object" and error is not None and error.message:
        text = str(error.message)
        if error.js_name and error.js_name != "Error" and error.js_name != "TypeError":
            text = error.js_name + ": " + text  # IndexSizeError, NetworkError, ...
    else:
        text = str(error)
    if type_of(error) == "object" and error is not None and error.js_name == "TypeError":
        return TypeError(text, error=error)  # error=: keep the JavaScript stack
    return Exception(text, error=error)


def record(fields):
    """A result item: a JS object, so ``item["label"]`` and ``item.label`` both work."""
    return fields


# ---------------------------------------------------------------- the page

def _element(element_id):
    return document.getElementById(element_id)


def show_status(text):
    """Write a short line about loading progress on the page (if it has the status box)."""
    box = _element("ml5py-status")
    if box:
        box.textContent = text


def _mark(what):
    """A User Timing mark ("ml5py: <what>"), seen in DevTools' Performance panel and read by
    bench/cold_start_bench.py: where a page's start-up time goes."""
    if self.performance and self.performance.mark:
        self.performance.mark("ml5py: " + what)


def _query_parameter(name):
    return __new__(URL(window.location.href)).searchParams.js_get(name)


def in_turn(count, step):
    """A promise that runs ``step(0)`` ... ``step(count - 1)``, each after the last one finished.

    Between steps the page gets a moment to draw (``setTimeout``), so a sketch stays live
    while it trains. An error (a rejected step) stops the steps and rejects the promise.
    """
    def pause(ignored):
        return __new__(Promise(lambda resolve: setTimeout(resolve, 0)))

    def go(number):
        if number >= count:
            return None
        return Promise.resolve(None).then(lambda ignored: step(number)).then(pause).then(
            lambda ignored: go(number + 1))

    return Promise.resolve(None).then(lambda ignored: go(0))
