"""A model whose network runs in a dedicated web worker, with the API the sketch already uses.

Browser only (Transcrypt). ``placed(cls, name)`` is what a page's ``ml5py_page_models``
offers instead of each class: called like the class, it makes the real model on the page's
main thread, or, when the sketch asks for it (``StyleTransfer("wave", worker=True)``, or the
page-wide ``?worker=1`` / the config's ``worker``), a stand-in whose model lives in
``web/ml5py-worker.js``. The stand-in has every public method of the class, by ml5py's and
ml5.js's names (``add_data`` / ``addData``); each call goes to the worker in order
(``channel.py``) and answers a promise, as the browser's methods do. Besides:

- a live loop (``classify_start``, ``detect_start``...) runs on the page: the next frame,
  one request at a time (``core/live.py``, as on the main thread), so ``draw()`` never waits;
  it is eager: when a new frame came while the worker worked, it goes at once; with
  ``keep_draw=0.9`` (or ``?keep_draw=`` / the config's ``keep_draw``) it rests between frames
  while its work slows the page's frames (``pacing.py``);
- a method that makes another model (``features.classification()``) answers a stand-in for
  it at once (the class lists them in ``_made_by_methods``);
- ``get_...()`` answers at once from what the worker reported last (``get_count()`` after
  each ``add_image``), and plain fields (``keypoint_names``) are copied over;
- ``model.where()`` says "worker" or "main thread".

``KNNClassifier`` stays on the page (``ON_PAGE``); without module workers, OffscreenCanvas
or ``createImageBitmap`` every model does.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')

from ml5py.core.live import LiveLoop
from ml5py.core.pending_browser import NotReadyError, pending_result
from ml5py.core.ml5_names import ml5_aliases
from ml5py.runtime import rt
from ml5py.worker.pacing import paced
from ml5py.worker.channel import handles, makers, new_id, send, worker_possible
from ml5py.worker.remote import is_picture, rebuilt

# Classes that always run on the page, and why.
ON_PAGE = {"KNNClassifier": "it has no network: it compares lists of numbers, and answers get_count() "
                            "and add_example() at once; its FeatureExtractor does the heavy work, in the worker"}


def public_methods(cls):
    """The public methods of ``cls`` (as ``core/ml5_names.py`` finds them)."""
    names = []
    for name in dir(cls):
        if not name.startswith("_") and callable(getattr(cls, name)):
            names.append(name)
    return names


def not_at_once(method):
    """What reading ``nn.classify_sync(...)``'s answer at once raises when the network is in a worker."""
    def refuse(key):
        raise NotReadyError(method + "() cannot answer at once when the model runs in a web worker: the page "
                            "cannot wait for it. Use " + method[:-5] + "(inputs, got_results) with def "
                            "got_results(results, error): ..., or await it (results = await model." + method +
                            "(...)), or make the model with worker=False.")
    return refuse


__pragma__ ('js', '{}', """
// Live loops whose frames need more than the one-shot method with the loop's options: BodyPose's
// smoothing and tracking read each frame's time (the page's: a video's own clock) and a new
// loop starts them afresh; BodyPix's parts=True segments with parts.
var LIVE_STEPS = {
    BodyPose: {detect_start: {begin: '_restart', step: '_job'}},
    BodyPix: {segment_start: {choose: function (options) {
        return option (options, 0, 'parts', false) ? 'segment_with_parts' : 'segment'; }}}
};

function option (options, index, name, otherwise) {
    // a live loop's option, given by position or as a keyword
    var last = options.length ? options [options.length - 1] : null;
    if (last && last.hasOwnProperty && last.hasOwnProperty ('__kwargtrans__')) {
        if (last.hasOwnProperty (name)) return last [name];
        options = options.slice (0, -1);
    }
    return index < options.length ? options [index] : otherwise;
}
// Methods that use the picture a model was made with when given none (ml5.js 0.x:
// ImageClassifier("MobileNet", video), features.classification(video), then classify(got)).
var OWN_PICTURE = {add_image: 1, classify: 1, predict: 1, transfer: 1, segment: 1, segment_with_parts: 1};
// Methods whose first argument is a picture, which may be a file name ("bird.jpg"): the page loads it.
var PICTURE_FIRST = {classify: 1, predict: 1, infer: 1, add_image: 1, detect: 1, segment: 1,
                     segment_with_parts: 1, transfer: 1, blur_background: 1, replace_background: 1};

var possible = null;
var KEEP_DRAW = 0;  // no pacing unless asked: keep_draw=0.9 keeps draw() at 0.9x its own rate (pacing.py)

function keep_draw (asked, config) {
    // the model's keep_draw=, else the page's ?keep_draw= or config, else KEEP_DRAW; checked
    var query = new URLSearchParams (location.search).get ('keep_draw');
    var value = asked !== undefined ? asked : query !== null ? Number (query) :
        config.hasOwnProperty ('keep_draw') ? config.keep_draw : KEEP_DRAW;
    if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
        throw ValueError ('keep_draw=' + (asked !== undefined ? repr (asked) : query !== null ? query : repr (value)) +
                          " cannot be used: give the share of draw()'s frame rate to keep while a model works in " +
                          'a web worker, a number from 0 (the default: no pacing, the model takes all the time it can) ' +
                          'to 0.99, as keep_draw=0.9.');
    }
    return value;
}

export function placed (cls, name) {
    if (self.ml5pyInWorker) return cls;  // the worker makes the real models
    var make = function () {
        var args = Array.prototype.slice.call (arguments);
        var options = args.length && args [args.length - 1] && args [args.length - 1].hasOwnProperty ('__kwargtrans__') ?
            args [args.length - 1] : null;
        var asked = options && options.hasOwnProperty ('worker') ? options.worker : undefined;
        var keep = options && options.hasOwnProperty ('keep_draw') ? options.keep_draw : undefined;
        if (options) { delete options.worker; delete options.keep_draw; }
        var config = self.ML5PY_CONFIG || {};
        var query = new URLSearchParams (location.search).get ('worker');
        var wanted = asked !== undefined ? !!asked : query !== null ? query === '1' : !!config.worker;
        keep = keep_draw (keep, config);
        if (asked && ON_PAGE [name]) console.info ('ml5py: ' + name + ' runs on the page: ' + ON_PAGE [name] + '.');
        if (!wanted || ON_PAGE [name] || !(possible === null ? (possible = worker_possible ()) : possible)) {
            var model = cls.apply (null, args);
            model.where = function () { return 'main thread'; };
            return model;
        }
        return made_in_worker (cls, name, args, keep);
    };
    Object.setPrototypeOf (make, cls);  // StyleTransfer.styles() and the other statics
    return make;
}

function made_in_worker (cls, name, args, keep) {
    // the ready callback and ml5.js 0.x's video (ImageClassifier("MobileNet", video)) stay on the page
    var callback = null, own = null, given = [];
    args.forEach (function (arg) {
        if (typeof arg === 'function' && callback === null) callback = arg;
        else if (own === null && is_picture (arg)) own = arg;
        else given.push (arg);
    });
    var proxy = stand_in (cls, name, new_id (), own, keep);
    var created = send ({op: 'create', target: proxy.ml5py_id, name: name}, given);
    proxy.ml5py_created = created;  // (a call on a model that could not be made fails with its error)
    rt.keep_sketch_waiting (created);  // made in a p5 preload(): setup() waits for it
    proxy.ready = rt.deliver (created.then (function () { return proxy; }), callback);
    proxy.tensors = function () { return send ({op: 'memory'}, []); };  // (tests: the worker's tensor count)
    return proxy;
}

function stand_in (cls, name, id, own_picture, keep) {
    var proxy = {ml5py_id: id, ml5py_answers: {}, ml5py_loops: [], ml5py_picture: own_picture,
                 ml5py_keep_draw: keep === undefined ? KEEP_DRAW : keep};
    handles [id] = proxy;
    proxy.where = function () { return 'worker'; };
    var made = cls._made_by_methods || {};
    var methods = public_methods (cls);
    methods.forEach (function (method) { proxy [method] = forwarding (proxy, name, method, made [method]); });
    methods.forEach (function (method) {
        var verb = method.slice (0, -'_start'.length);
        if (/_start$/.test (method) && methods.indexOf (verb + '_stop') >= 0) live (proxy, name, method, verb);
    });
    if (proxy.dispose) {
        var dispose = proxy.dispose;  // dispose() also stops the live loops, as on the main thread
        proxy.dispose = function () {
            proxy.ml5py_loops.forEach (function (loop) { loop.stop (); });
            return dispose.apply (null, arguments);
        };
    }
    ml5_aliases (cls).forEach (function (pair) { proxy [pair [0]] = proxy [pair [1]]; });
    return proxy;
}

makers.handle = function (item) {
    // an object the worker made that the page did not ask for by name: a stand-in from its methods
    var cls = {__name__: item.name};
    item.methods.forEach (function (method) { cls [method] = function () {}; });
    return stand_in (cls, item.name, item.ml5py_handle, null);
};

function forwarding (proxy, name, method, made_class) {
    return function () {
        var args = Array.prototype.slice.call (arguments);
        if (proxy.ml5py_picture && OWN_PICTURE [method] && uses_own_picture (method, args)) args.unshift (proxy.ml5py_picture);
        if (args [0] && typeof args [0] === 'string' && PICTURE_FIRST [method] && name !== 'NeuralNetwork') args [0] = loaded (args [0]);
        if (method.indexOf ('get_') === 0 && !args.length && proxy.ml5py_answers.hasOwnProperty (method)) {
            return rebuilt (proxy.ml5py_answers [method]);  // (a copy, as the real method gives)
        }
        var message = {op: 'call', target: proxy.ml5py_id, method: method};
        if (made_class) {  // features.classification(...): its stand-in now, the head in the worker
            var picture = null;
            if (typeof args [0] === 'string') args [0] = rt.load_image (args [0]);  // a picture's file name
            args = args.filter (function (arg) { if (is_picture (arg)) { picture = arg; return false; } return true; });
            var handle = stand_in (made_class, made_class.__name__, new_id (), picture, proxy.ml5py_keep_draw);
            message.handle = handle.ml5py_id;
            rt.deliver (send (message, args));  // an error shows on the page
            return handle;
        }
        var answer = send (message, args);
        rt.keep_sketch_waiting (answer);  // load() in a p5 preload(): setup() waits for it
        if (/_sync$/.test (method)) return pending_result (rt.deliver (answer), not_at_once (method));
        return rt.deliver (answer);
    };
}

function loaded (name) {
    // a picture's file name -> the picture, loaded on the page; if it cannot be, the name goes
    // as it is and the model's own error says so (as on the main thread)
    var image = rt.load_image (name);
    return image.ready.then (function () { return image; }, function () { return name; });
}

function uses_own_picture (method, args) {
    // add_image("cat") and classify(got) / classify() on a model made with a video use its frame
    var missing = function (value) { return value === undefined || value === null || typeof value === 'function'; };
    return method === 'add_image' ? missing (args [1]) : missing (args [0]);
}

function live (proxy, name, start, verb) {
    var spec = (LIVE_STEPS [name] || {}) [start];
    var loop = LiveLoop (verb, true);  // eager: a new frame goes as soon as the worker is free (and paced)
    proxy.ml5py_loops.push (loop);
    proxy [start] = function (media) {
        var paced_start = function (frames, step, callback) { loop.start (frames, paced (step, proxy.ml5py_keep_draw), callback); };
        var done = null, options = [];
        Array.prototype.slice.call (arguments, 1).forEach (function (arg) {
            if (typeof arg === 'function' && done === null) done = arg; else options.push (arg);
        });
        var ask = function (method, args) { return send ({op: 'call', target: proxy.ml5py_id, method: method}, args); };
        if (!spec || spec.choose) {
            var method = spec ? spec.choose (options) : verb, rest = spec ? [] : options;
            paced_start (media, function (frame) { return ask (method, [frame].concat (rest)); }, done);
            return;
        }
        var fps = option (options, 0, 'fps', 30), index = 0, begun = null;
        paced_start (media, function (frame) {
            var time = rt.frame_time_us (media, frame, index++, fps);  // the page's clock, as on the main thread
            return begun.then (function () { return ask (spec.step, [frame, time]); });
        }, done);
        begun = ask (spec.begin, [fps]);  // (the first frame comes later: after this)
    };
    proxy [verb + '_stop'] = function () { loop.stop (); };
}
""")
