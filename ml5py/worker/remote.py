"""A model whose network runs in a dedicated web worker, with the API the sketch already uses.

Browser only (Transcrypt). ``placed(cls, name)`` is what a page's ``ml5py_page_models``
offers instead of each class: called like the class, it makes the real model on the page's
main thread, or, when the sketch asks for it (``StyleTransfer("wave", worker=True)``, or the
page-wide ``?worker=1`` / the config's ``worker``), a proxy whose model lives in
``ml5py-worker.js``. The proxy sends each picture there as an ``ImageBitmap`` (transferred,
never copied through JSON), and makes the answers the same objects again (pictures and masks
as p5 images or canvases). A live loop (``transfer_start``) takes the next frame on the page
and asks the worker, one frame at a time, so ``draw()`` never waits for the network.
``model.where()`` says "worker" or "main thread". Without module workers or OffscreenCanvas
the model stays on the main thread.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')

from ml5py.runtime import rt

__pragma__ ('js', '{}', """
// The methods a worker model answers: per class, its one-shot methods and their live loops.
var IN_WORKER = {
    ImageClassifier: {classify: 'classify_start'},
    StyleTransfer: {transfer: 'transfer_start'},
    BodyPix: {segment: 'segment_start'}
};
var worker = null, pending = {}, next_id = 1;

function worker_possible () {
    return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' &&
        typeof createImageBitmap !== 'undefined';
}

function host () {
    if (worker) return worker;
    var config = self.ML5PY_CONFIG || {};
    worker = new Worker (config.worker_script || 'ml5py-worker.js', {type: 'module'});
    worker.onmessage = function (event) {
        var reply = event.data, waiting = pending [reply.id];
        if (!waiting) return;
        delete pending [reply.id];
        if (reply.error) {
            var error = new Error (reply.error.message);
            error.name = reply.error.name;
            waiting.reject (error);
        } else {
            waiting.resolve (rebuilt (reply.value));
        }
    };
    worker.onerror = function (event) {
        var error = new Error ('The model worker stopped: ' + (event.message || 'it could not start'));
        Object.keys (pending).forEach (function (id) { pending [id].reject (error); delete pending [id]; });
    };
    worker.postMessage ({op: 'init', id: 0, config: config, query: location.search});
    return worker;
}

function ask (message, transfer) {
    var id = next_id++;
    message.id = id;
    return new Promise (function (resolve, reject) {
        pending [id] = {resolve: resolve, reject: reject};
        host ().postMessage (message, transfer || []);
    });
}

function element_of (value) {
    if (value && value.elt && !(value instanceof Element)) return value.elt;  // a p5 element
    if (value && value.canvas && value.canvas instanceof HTMLCanvasElement && value.width !== undefined &&
        !(value instanceof Element) && !(value instanceof ImageData)) return value.canvas;  // a p5 image
    return value;
}

function is_picture (value) {
    var found = element_of (value);
    return found instanceof HTMLVideoElement || found instanceof HTMLImageElement ||
        found instanceof HTMLCanvasElement || found instanceof ImageData ||
        found instanceof ImageBitmap || (typeof OffscreenCanvas !== 'undefined' && found instanceof OffscreenCanvas);
}

function picture_ready (value) {
    var found = element_of (value);
    if (found instanceof HTMLImageElement && !found.complete) {
        return new Promise (function (resolve, reject) {
            found.addEventListener ('load', function () { resolve (found); });
            found.addEventListener ('error', function () { reject (new Error ('Could not load the image ' + found.src)); });
        });
    }
    if (found instanceof HTMLVideoElement && found.readyState < 2) {
        return new Promise (function (resolve) { found.addEventListener ('loadeddata', function () { resolve (found); }); });
    }
    return Promise.resolve (found);
}

function as_bitmap (value) {
    // a picture -> {bitmap} (transferred); a BrowserImage of load_image -> its <img>
    if (value && value.elt && value.ready && value.elt instanceof HTMLImageElement) value = value.elt;
    return picture_ready (value).then (function (found) {
        if (found instanceof HTMLVideoElement) {
            // the size the sketch gave the video (p5's video.size), as the main thread reads it
            var width = found.width || found.videoWidth, height = found.height || found.videoHeight;
            return createImageBitmap (found, {resizeWidth: width, resizeHeight: height, resizeQuality: 'high'});
        }
        return createImageBitmap (found);
    }).then (function (bitmap) { return {ml5py_bitmap: bitmap}; });
}

function rebuilt (value) {
    // the worker's answer -> today's objects (pictures as p5 images or canvases)
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray (value)) return value.map (rebuilt);
    if (value.ml5py_bitmap) return picture (value.ml5py_bitmap);
    if (value.ml5py_listable) return listable (value.ml5py_listable, value.width, value.height);
    if (value instanceof ImageData || ArrayBuffer.isView (value)) return value;
    var copy = {};
    Object.keys (value).forEach (function (key) { copy [key] = rebuilt (value [key]); });
    return copy;
}

function listable (values, width, height) {
    // one number per pixel, row by row; .tolist() gives the rows, as on the main thread
    values.width = width;
    values.height = height;
    values.tolist = function () {
        var rows = [];
        for (var y = 0; y < height; y++) rows.push (Array.prototype.slice.call (values, y * width, (y + 1) * width));
        return rows;
    };
    return values;
}

function picture (bitmap) {
    var made, canvas;
    if (self.p5 && self.p5.instance) {
        made = self.p5.instance.createImage (bitmap.width, bitmap.height);
        canvas = made.canvas;
    } else {
        made = canvas = document.createElement ('canvas');
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
    }
    canvas.getContext ('2d').drawImage (bitmap, 0, 0);
    bitmap.close ();
    if (made.setModified) made.setModified (true);
    return made;
}

function next_frame (media) {
    var found = element_of (media);
    return new Promise (function (resolve) {
        if (found instanceof HTMLVideoElement && found.requestVideoFrameCallback) found.requestVideoFrameCallback (function () { resolve (); });
        else requestAnimationFrame (function () { resolve (); });
    });
}

export function placed (cls, name) {
    if (self.ml5pyInWorker) return cls;  // the worker makes the real models
    var methods = IN_WORKER [name];
    var make = function () {
        var args = Array.prototype.slice.call (arguments);
        var options = args.length && args [args.length - 1] && args [args.length - 1].hasOwnProperty ('__kwargtrans__') ?
            args [args.length - 1] : null;
        var asked = options && options.hasOwnProperty ('worker') ? options.worker : undefined;
        if (options) delete options.worker;
        var config = self.ML5PY_CONFIG || {};
        var query = new URLSearchParams (location.search).get ('worker');
        var wanted = asked !== undefined ? !!asked : query !== null ? query === '1' : !!config.worker;
        if (!wanted || !methods || !worker_possible ()) {
            if (wanted && !methods) console.warn ('ml5py: ' + name + ' runs on the main thread (it has no worker version yet)');
            var model = cls.apply (null, args);
            model.where = function () { return 'main thread'; };
            return model;
        }
        return remote (name, args, methods);
    };
    Object.setPrototypeOf (make, cls);  // StyleTransfer.styles() and the other statics
    return make;
}

function remote (name, args, methods) {
    var callback = null, plain = [], options = {};
    args.forEach (function (arg) {
        if (typeof arg === 'function') callback = arg;
        else if (arg && arg.hasOwnProperty ('__kwargtrans__')) {
            Object.keys (arg).forEach (function (key) { if (key !== '__kwargtrans__' && key !== 'constructor') options [key] = arg [key]; });
        } else plain.push (arg);
    });
    var model = {};
    var created = ask ({op: 'create', name: name, args: plain, options: options});
    model.where = function () { return 'worker'; };
    model.ready = rt.deliver (created.then (function (id) { model.id = id; return model; }), callback);
    model.tensors = function () { return created.then (function (id) { return ask ({op: 'memory', model: id}); }); };
    var loops = {};
    Object.keys (methods).forEach (function (method) {
        var call = function (picture, rest) {
            return Promise.all ([created, as_bitmap (picture)]).then (function (both) {
                return ask ({op: 'call', model: both [0], method: method, args: [both [1]].concat (rest)}, [both [1].ml5py_bitmap]);
            });
        };
        model [method] = function () {
            var given = Array.prototype.slice.call (arguments), done = null, rest = [];
            given.slice (1).forEach (function (arg) { if (typeof arg === 'function') done = arg; else rest.push (rest_option (arg)); });
            return rt.deliver (call (given [0], rest), done);
        };
        var start = methods [method], stop = start.replace ('_start', '_stop');
        model [start] = function (media, done) {
            var rest = Array.prototype.slice.call (arguments, 2).map (rest_option);
            var run = {on: true};
            if (loops [start]) loops [start].on = false;
            loops [start] = run;
            var step = function () {
                if (!run.on) return;
                next_frame (media).then (function () { return call (media, rest); }).then (function (value) {
                    if (!run.on) return;
                    rt.call_back (done, value, null);
                    step ();
                }, function (error) {
                    if (!run.on) return;
                    run.on = false;
                    rt.call_back (done, null, rt.python_error (error));
                });
            };
            step ();
        };
        model [stop] = function () { if (loops [start]) loops [start].on = false; loops [start] = null; };
    });
    return model;
}

function rest_option (arg) {
    // keyword options (parts=True) travel as a plain object
    if (arg && arg.hasOwnProperty && arg.hasOwnProperty ('__kwargtrans__')) {
        var plain = {ml5py_options: true};
        Object.keys (arg).forEach (function (key) { if (key !== '__kwargtrans__') plain [key] = arg [key]; });
        return plain;
    }
    return arg;
}
""")
