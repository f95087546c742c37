"""Live loops: run a model on every new frame of a video, canvas or list of pictures.

Written once for CPython and the browser, on the runtime's ``loop``. Every model's
``*_start(media, callback)`` / ``*_stop()`` pair is a ``LiveLoop``::

    self._live = LiveLoop("classify")
    self._live.start(media, lambda frame: self._classify_job(frame, k), callback)
    self._live.stop()

- one piece of work at a time: the next frame is read only once the last results were
  handed to the callback (no pile-up of requests; p5's draw() keeps running in between);
- ``stop()`` is final at once: no callback runs after it returns, even for a frame that
  was being worked on; it may be called from inside the callback;
- ``start()`` again first stops the loop that was running;
- an error (say, the model could not load) goes to the callback as ``callback(None,
  error)`` once, and stops the loop.
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt


class _Run:
    """One started loop; ``on`` turns false for good when it stops."""

    def __init__(self):
        self.on = True


class LiveLoop:
    """The start/stop machinery behind ``classify_start`` / ``classify_stop``."""

    def __init__(self, verb, eager=False):
        self.verb = verb  # "classify": for messages
        self.eager = eager  # the work does not hold up the page (a worker's): no wait between frames
        self._run = None

    @property
    def running(self):
        return self._run is not None and self._run.on

    def start(self, media, work, callback):
        """Call ``callback(results, error)`` with ``work(frame)``'s results for each new frame.

        In CPython this returns when the frames run out or ``stop()`` was called; in the
        browser it returns at once and the loop runs on the page's frames.
        """
        if not callable(callback):
            raise TypeError(self.verb + "_start needs the function to call with each frame's "
                            "results, as in " + self.verb + "_start(video, got_results).")
        self.stop()
        run = _Run()
        self._run = run

        def hand_over(results, error):
            if not run.on:
                return  # stopped while this frame was being worked on
            run.on = False  # stays off if the callback raises (the error stops the loop)
            if error is not None:
                rt.call_back(callback, None, error)
                return
            rt.call_back(callback, results, None)
            run.on = self._run is run  # unless the callback called stop() or start()

        def step(frame):
            return rt.deliver(work(frame), hand_over)

        def finished(ignored):
            run.on = False
            return None

        rt.after(rt.loop(media, step, lambda: run.on, self.eager), finished)

    def stop(self):
        """Stop the loop; no callback runs after this returns."""
        if self._run is not None:
            self._run.on = False
        self._run = None
