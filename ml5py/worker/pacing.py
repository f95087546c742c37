"""Pacing a worker's live loop so that ``draw()`` keeps its own frame rate.

Browser only (Transcrypt). A model in a web worker never blocks the page, but on a machine
with few cores its network still takes CPU time the page needs to draw: on 2 cores, a
webcam sketch drew 30-48 frames a second instead of 60 while MobileNet or StyleTransfer ran
flat out in the worker. ``paced(step, keep)`` wraps a live loop's step (one request to the
worker) so that, over the last seconds, ``draw()`` runs at least ``keep`` times (0.9) as
often as it does while the worker rests:

- a watch counts the page's animation frames, each one as "busy" (a worker step was under
  way during it, even in part) or "resting"; old frames count less and less (``MEMORY_MS``);
- when busy frames come slower than ``keep`` times the resting rate, the loop rests after
  each step for as long as it takes to bring the mix back to ``keep`` (never less than
  ``LEAST_SHARE`` of the time working, so results keep coming); when they do not, there is
  no rest at all (a machine with cores to spare loses nothing but a short look now and then);
- with no recent resting frames to compare with, the loop rests once for ``LOOK_MS``.

The first step never waits. A hidden page (no animation frames) is not paced.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')

__pragma__ ('js', '{}', """
var MEMORY_MS = 8000;     // a frame seen this long ago counts 1/e as much as one seen now
var LOOK_MS = 300;        // a rest to see the page's own rate, when none was seen lately
var ENOUGH_MS = 100;      // this much of busy and of resting time (weighted) to compare rates
var LEAST_SHARE = 0.25;   // the worker works at least this share of the time
var watch = null;

function frames () {
    // the page-wide watch of animation frames: busy (a paced step under way) or resting
    if (watch === null) watch = {busy: 0, was_busy: false, last: null, on: false, used: 0,
                                 busy_frames: 0, busy_ms: 0, resting_frames: 0, resting_ms: 0};
    watch.used = performance.now ();
    if (!watch.on) { watch.on = true; watch.last = null; requestAnimationFrame (count); }
    return watch;
}

function count (now) {
    var w = watch;
    if (w.last !== null && now - w.last > 0 && now - w.last < 1000) {  // (a hidden page's gap says nothing)
        var gap = now - w.last, kept = Math.exp (-gap / MEMORY_MS);
        w.busy_frames *= kept; w.busy_ms *= kept; w.resting_frames *= kept; w.resting_ms *= kept;
        if (w.busy > 0 || w.was_busy) { w.busy_frames += 1; w.busy_ms += gap; }
        else { w.resting_frames += 1; w.resting_ms += gap; }
    }
    w.last = now;
    w.was_busy = w.busy > 0;  // (a frame during which a step ran, even in part, is busy)
    if (now - w.used < 10000) requestAnimationFrame (count);
    else w.on = false;  // no paced loop lately: the watch stops (and starts again with one)
}

function work_share (keep) {
    // the share of time the worker may work to keep draw() at `keep` x its resting rate; null: unknown yet
    var w = watch;
    if (w === null || w.busy_ms < ENOUGH_MS || w.resting_ms < ENOUGH_MS) return null;
    var resting = w.resting_frames / w.resting_ms, busy = w.busy_frames / w.busy_ms;
    if (busy >= keep * resting) return 1;
    return Math.max (LEAST_SHARE, Math.min (1, (1 - keep) * resting / (resting - busy)));
}

export function paced (step, keep) {
    // `step(frame)` (a promise) with rests between steps, so that draw() keeps `keep` of its rate
    if (!(keep > 0)) return step;
    var last = {ms: null, ended: 0};
    return function (frame) {
        var w = frames (), rest = 0;
        if (last.ms !== null) {
            var share = work_share (keep);
            rest = share === null ? LOOK_MS : last.ms * (1 - share) / share;
            rest -= performance.now () - last.ended;  // (time since the last answer is rest already)
        }
        var go = function () {
            w.busy += 1; w.was_busy = true;
            var began = performance.now ();
            var done = function () { w.busy -= 1; last.ended = performance.now (); last.ms = last.ended - began; w.used = last.ended; };
            return Promise.resolve (step (frame)).then (function (value) { done (); return value; },
                                                          function (error) { done (); throw error; });
        };
        if (rest <= 0) return go ();
        return new Promise (function (resolve) { setTimeout (resolve, rest); }).then (go);
    };
}

export function pace_watch () {
    // (tests) the watch's counts, and the share keep_draw=0.9 gives now
    return watch === null ? null : Object.assign ({share: work_share (0.9)}, watch);
}
""")
