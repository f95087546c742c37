"""The page's line to the model worker (``web/ml5py-worker.js``): messages in order, callbacks, errors.

Browser only (Transcrypt). ``send(message)`` posts a request once its pictures are
``ImageBitmap``s and answers a promise of the worker's reply, made today's objects again
(``remote.rebuilt``). Requests leave in the order they were asked for, so ``add_data`` then
``train()`` reach the model in that order, as on the main thread. Arguments travel as:

- pictures (a video, canvas, image...): a transferred ``ImageBitmap`` (``remote.as_bitmap``);
- functions (callbacks such as ``while_training``): an id; the worker calls them back through
  a ``callback`` message and the page calls the function with the same arguments;
- keyword options (Transcrypt's ``__kwargtrans__``) and dicts: their fields, converted too;
- a stand-in (``proxy.py``) given back to its worker: its id; a promise (``features.infer(video)``):
  its value, once there;
- numbers, text, lists and typed arrays: as they are.

An error raised in the worker comes back as the same Python exception class (``ValueError``...)
with the stack of the sketch's call kept, so the page's error box names the learner's line.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')

from ml5py.worker.remote import as_bitmap, is_picture, picture, rebuilt

_KINDS = {"ValueError": ValueError, "TypeError": TypeError, "KeyError": KeyError, "IndexError": IndexError,
          "AttributeError": AttributeError, "NotImplementedError": NotImplementedError,
          "AssertionError": AssertionError}


def python_exception(kind, text, call_site):
    """The worker's error as a Python exception of the same class (others: ``Exception``)."""
    if kind in _KINDS:
        made = _KINDS[kind](text)
    elif kind == "Error" or kind == "Exception":
        made = Exception(text)
    else:
        made = Exception(kind + ": " + text)  # a JavaScript error's own name (RangeError...)
    if call_site:
        made.ml5py_call_site = call_site
    return made


__pragma__ ('js', '{}', """
var worker = null, pending = {}, next_id = 1, queue = Promise.resolve ();
var callbacks = new Map (), by_id = {}, next_callback = 1;
export var handles = {};   // the page's proxies by id (proxy.py fills it)
export var makers = {};    // makers.handle (proxy.py): a proxy for an object the worker made
var objects = {next: 1};   // ids the page gives the objects it asks for

export function new_id () { return objects.next++; }

export function worker_possible () {
    // a module worker with OffscreenCanvas and createImageBitmap (else: the main thread)
    if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined' ||
        typeof createImageBitmap === 'undefined') return false;
    var module = false;
    try {
        new Worker ('data:text/javascript,', {get type () { module = true; return 'module'; }}).terminate ();
    } catch (error) {}
    return module;
}

function host () {
    if (worker) return worker;
    var config = self.ML5PY_CONFIG || {};
    worker = new Worker (config.worker_script || 'ml5py-worker.js', {type: 'module'});
    worker.onmessage = function (event) { heard (event.data); };
    worker.onerror = function (event) {
        var error = new Error ('The model worker stopped: ' + (event.message || 'it could not start'));
        Object.keys (pending).forEach (function (id) { pending [id].reject (error); delete pending [id]; });
    };
    worker.postMessage ({op: 'init', id: 0, config: config, query: location.search});
    return worker;
}

function heard (reply) {
    if (reply.op === 'print') { console.log.apply (console, reply.args); return; }
    if (reply.op === 'download') { download (reply.href, reply.name); return; }
    if (reply.state) update (reply.state);
    if (reply.op === 'callback') {
        var entry = by_id [reply.callback];
        if (!entry) return;
        var call = pending [reply.call] || {site: entry.site, pictures: {}};
        var args = reply.args.map (function (item) { return from_worker (item, call); });
        entry.call.apply (null, args);  // an error in the sketch's callback: the page shows it
        return;
    }
    var waiting = pending [reply.id];
    if (!waiting) return;
    delete pending [reply.id];
    var made = handles [waiting.target] && handles [waiting.target].ml5py_created;
    if (reply.error && reply.error.unmade && made) {  // a call on a model that could not be made: that error (shown once)
        made.then (null, waiting.reject);
    } else if (reply.error) waiting.reject (python_exception (reply.error.name, reply.error.message, waiting.site));
    else waiting.resolve (from_worker (reply.value, waiting));
}

function update (state) {
    var proxy = handles [state.id];
    if (!proxy) return;
    proxy.ml5py_answers = state.answers;
    Object.keys (state.fields).forEach (function (key) {
        if (typeof proxy [key] !== 'function') proxy [key] = rebuilt (state.fields [key]);
    });
}

function download (href, name) {
    var link = document.createElement ('a');
    link.href = href;
    link.download = name;
    document.body.appendChild (link);
    link.click ();
    document.body.removeChild (link);
}

function from_worker (value, waiting) {
    // the worker's answer -> today's objects; handles -> the page's proxies; errors -> exceptions
    return rebuilt (value, function (item) {
        if (item.ml5py_error) return python_exception (item.ml5py_error.name, item.ml5py_error.message, waiting && waiting.site);
        if (item.ml5py_handle) return handles [item.ml5py_handle] || makers.handle (item);
        if (item.ml5py_list) {
            var list = item.ml5py_list.map (function (entry) { return from_worker (entry, waiting); });
            list.tolist = function () { return list.slice (); };
            return list;
        }
        if (item.ml5py_seen) return waiting.pictures [item.ml5py_seen];
        if (item.ml5py_bitmap && item.token) {
            waiting.pictures [item.token] = picture (item.ml5py_bitmap);
            return waiting.pictures [item.token];
        }
        return undefined;
    });
}

function to_worker (value, transfer, waiting) {
    // the page's argument -> what the worker rebuilds (a promise: pictures become bitmaps)
    if (typeof value === 'function') return Promise.resolve ({ml5py_callback: callback_id (value, waiting)});
    if (value === null || typeof value !== 'object') return Promise.resolve (value);
    if (value.ml5py_id !== undefined && handles [value.ml5py_id] === value) return Promise.resolve ({ml5py_handle: value.ml5py_id});
    if (typeof value.then === 'function') {  // head.add_image(features.infer(video), "cat"): its value
        return Promise.resolve (value).then (function (found) { return to_worker (found, transfer, waiting); });
    }
    if (is_picture (value) || (value.elt && value.ready && value.elt instanceof HTMLImageElement)) {
        return as_bitmap (value).then (function (sent) { transfer.push (sent.ml5py_bitmap); return sent; });
    }
    if (value instanceof ArrayBuffer || ArrayBuffer.isView (value)) return Promise.resolve (value);
    if (Array.isArray (value)) {
        return Promise.all (value.map (function (item) { return to_worker (item, transfer, waiting); }));
    }
    var keys = Object.keys (value).filter (function (key) { return key !== '__kwargtrans__' && key !== 'constructor'; });
    return Promise.all (keys.map (function (key) { return to_worker (value [key], transfer, waiting); })).then (function (items) {
        var plain = value.hasOwnProperty ('__kwargtrans__') ? {ml5py_options: true} : {};
        keys.forEach (function (key, index) { plain [key] = items [index]; });
        return plain;
    });
}

function callback_id (callback, waiting) {
    // one id per function (a sketch passes the same got_results again and again)
    var id = callbacks.get (callback);
    if (id === undefined) {
        id = next_callback++;
        callbacks.set (callback, id);
    }
    by_id [id] = {call: callback, site: waiting.site};
    return id;
}

export function send (message, args) {
    // post ``message`` with ``args`` converted, after every earlier request; a promise of the answer
    var waiting = {site: window.ml5py && window.ml5py.callSite ? window.ml5py.callSite () : null, pictures: {},
                   target: message.target};
    var answer = new Promise (function (resolve, reject) { waiting.resolve = resolve; waiting.reject = reject; });
    var transfer = [];
    queue = queue.then (function () { return to_worker (args || [], transfer, waiting); }).then (function (plain) {
        var id = next_id++;
        pending [id] = waiting;
        message.id = id;
        message.args = plain;
        host ().postMessage (message, transfer);
    }, function (error) { waiting.reject (error); });
    return answer;
}
""")
