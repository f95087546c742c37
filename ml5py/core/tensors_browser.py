"""The browser runtime's tensor ops (TF.js) and backends (WebGPU on a real GPU adapter, else WebGL
on a real GPU, else wasm, on every core when the page is cross-origin isolated, else cpu; a
backend's file loaded when it is chosen, if the page did not run it already).

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``tensors_cpython.py``.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.core.pending_browser import config, _mark, _query_parameter

# TF.js 4.22's wasm sizes its thread pool when the module starts, capped at
# navigator.hardwareConcurrency / 2 (it takes every two logical cores for one physical core), so
# on a 2-core machine it ran one thread whatever setThreadsCount asked. For that moment only the
# page shows it twice the count wanted; the count itself is set with setThreadsCount.
__pragma__ ('js', '{}', """
function start_with_threads (threads, start) {
    var nav = self.navigator;
    var RealWorker = self.Worker;
    var restore = function () { delete nav.hardwareConcurrency; if (RealWorker) self.Worker = RealWorker; };
    Object.defineProperty (nav, 'hardwareConcurrency', {value: threads * 2, configurable: true});
    if (RealWorker) self.Worker = few_pool_workers (RealWorker, threads);
    var started;
    try { started = start (); } catch (error) { restore (); throw error; }
    return started.then (function (ok) { restore (); return ok; },
                         function (error) { restore (); throw error; });
}

// TF.js 4.22's threaded wasm makes a pool of 8 web workers whatever the thread count, and its
// backend is ready only once all 8 have loaded the module: on 2 cores that held a page's start
// up by about 250 ms for workers that never run a thread. While the backend starts, the last
// `threads` pool workers made are real (the pool hands out its last ones first; its threads are
// the page's own and `threads` - 1 workers, so one is spare); the others answer "loaded" at once,
// and would become real workers only if a thread were started on one (never seen: the tests
// check it, because a thread waited for on the page's thread cannot start a new worker).
// `self.ml5pyWasmPool` counts them, for the tests.
function few_pool_workers (RealWorker, threads) {
    var made = [];
    var pool = self.ml5pyWasmPool = {real: 0, idle: 0, woken: 0};
    function PoolWorker (url, options) {
        if (options || !(String (url).indexOf ('blob:') == 0 || /worker\\.js$/.test (String (url))))
            return new RealWorker (url, options);  // (not the wasm pool's: a worker of its own)
        this.url = url; this.index = made.length; this.real = null; this.load = null;
        this.onmessage = null; this.onerror = null;
        made.push (this);
    }
    PoolWorker.prototype.wake = function () {
        var me = this;
        me.real = new RealWorker (me.url);
        me.real.onmessage = function (event) {
            if (me.load && event.data && event.data.cmd === 'loaded') return;  // (said already)
            if (me.onmessage) me.onmessage (event);
        };
        me.real.onerror = function (event) { if (me.onerror) me.onerror (event); };
    };
    PoolWorker.prototype.postMessage = function (message, transfer) {
        var me = this;
        var loading = message && message.cmd === 'load';
        if (!me.real && !me.load && loading && me.index >= made.length - threads) {
            me.wake ();
            pool.real += 1;
        }
        if (me.real) return me.real.postMessage (message, transfer);
        if (loading) {
            me.load = message;
            pool.idle += 1;
            setTimeout (function () { if (me.onmessage) me.onmessage ({data: {cmd: 'loaded'}}); }, 0);
            return;
        }
        me.wake ();  // a thread for an idle one after all: a real worker, given the module first
        pool.woken += 1;
        me.real.postMessage (me.load);
        me.real.postMessage (message, transfer);
    };
    PoolWorker.prototype.terminate = function () { if (this.real) this.real.terminate (); };
    return PoolWorker;
}

function load_script (url) {
    if (self.ml5pyInWorker) return import (url);  // (a module worker)
    return new Promise (function (resolve, reject) {
        var script = document.createElement ('script');
        script.src = url;
        script.onload = function () { resolve (true); };
        script.onerror = function () { reject (new Error ('could not load ' + url)); };
        document.head.appendChild (script);
    });
}
""")

BACKENDS = ["webgpu", "webgl", "wasm", "cpu"]
MAX_WASM_THREADS = 8  # the workers TF.js's threaded wasm starts with
SOFTWARE_RENDERERS = ["swiftshader", "llvmpipe", "softpipe", "software", "basic render"]

# ---------------------------------------------------------------- tensor ops

def tidy(work):
    return tf.tidy(work)


def dispose(tensor):
    tensor.dispose()


def read(tensor):
    """A promise of the tensor's values as a flat list of numbers (frees the tensor)."""
    def copied(data):
        tensor.dispose()
        return Array.prototype.slice.call(data)

    return tensor.data().then(copied)


def resize_bilinear(tensor, size, align_corners):
    if tensor.shape[0] == size[0] and tensor.shape[1] == size[1]:
        return tensor
    return tf.image.resizeBilinear(tensor, [size[0], size[1]], align_corners)


def scale_offset(tensor, scale, offset):
    return tf.add(tf.mul(tensor, tf.scalar(scale)), tf.scalar(offset))


def mean_round_channels(tensor):
    red = tf.slice(tensor, [0, 0, 0], [-1, -1, 1])
    green = tf.slice(tensor, [0, 0, 1], [-1, -1, 1])
    blue = tf.slice(tensor, [0, 0, 2], [-1, -1, 1])
    return tf.round(tf.div(tf.add(tf.add(red, green), blue), tf.scalar(3)))


def batch(tensor):
    return tf.expandDims(tensor, 0)


def softmax(tensor):
    return tf.softmax(tensor)


# ---------------------------------------------------------------- backends

_chosen_backend = None
_backend_ready = None


def _has_real_gpu():
    """True when WebGL exists and is not a software renderer (SwiftShader, llvmpipe)."""
    canvas = document.createElement("canvas")
    gl = canvas.getContext("webgl2") or canvas.getContext("webgl")
    if not gl:
        return False
    renderer = ""
    info = gl.getExtension("WEBGL_debug_renderer_info")
    if info:
        renderer = str(gl.getParameter(info.UNMASKED_RENDERER_WEBGL))
    else:
        renderer = str(gl.getParameter(gl.RENDERER))
    renderer = renderer.toLowerCase()
    for word in SOFTWARE_RENDERERS:
        if renderer.indexOf(word) >= 0:
            return False
    return True


def _backend_file(name):
    """The file of TF.js's ``name`` backend in ``lib/`` (the build's ``tf_backends``), or None."""
    files = config["tf_backends"] or {}
    return files[name] or None


_backend_loads = {}


def _backend_loaded(name):
    """A promise: True once TF.js's ``name`` backend can start. The page runs the backend it
    most likely starts (``tooling/page_scripts.py``); another one's file is loaded here, once,
    when it is chosen."""
    if tf.findBackendFactory(name):
        return Promise.resolve(True)
    if not _backend_file(name):
        return Promise.resolve(False)
    if not _backend_loads[name]:
        url = __new__(URL((config["lib_url"] or "lib/") + _backend_file(name), self.location.href)).href

        def loaded(ignored):
            _quiet_webgpu_priority()
            return tf.findBackendFactory(name) is not None

        _backend_loads[name] = load_script(url).then(loaded)
    return _backend_loads[name]


def _real_webgpu():
    """A promise: True when WebGPU offers an adapter that is a real GPU (not a fallback or
    software one such as SwiftShader)."""
    if not self.navigator.gpu or not (tf.findBackendFactory("webgpu") or _backend_file("webgpu")):
        return Promise.resolve(False)

    def judged(adapter):
        if not adapter or adapter.isFallbackAdapter:
            return False
        info = adapter.info or {}
        if info.isFallbackAdapter:
            return False
        described = (str(info.vendor or "") + " " + str(info.architecture or "") + " " +
                     str(info.device or "") + " " + str(info.description or "")).toLowerCase()
        for word in SOFTWARE_RENDERERS:
            if described.indexOf(word) >= 0:
                return False
        return True

    return self.navigator.gpu.requestAdapter().then(judged, lambda error: False)


def _quiet_webgpu_priority():
    """TF.js would start WebGPU by itself (its highest priority), software adapter or not, or
    wasm, which starts asynchronously: ml5py chooses (``_backend_order``), so both go last in
    TF.js's own order."""
    for name in ["webgpu", "wasm"]:
        entry = tf.engine().registryFactory[name] if window.tf else None
        if entry:
            entry.priority = 0


_quiet_webgpu_priority()  # at once: a sketch's own tf.tensor() before any model gets one at once (cpu; webgl when loaded)


def _try_backends(names):
    """Switch TF.js to the first of ``names`` that starts; a promise of its name."""
    if len(names) == 0:
        return Promise.reject(Exception("No TensorFlow.js backend could start in this browser."))
    name = names[0]

    def started(ok):
        if ok:
            _mark(name + " backend ready")
            return name
        return _try_backends(names[1:])

    def failed(error):
        console.warn("ml5py: the " + name + " backend did not start (" + str(error) + ")")
        return _try_backends(names[1:])

    def start(there):
        if not there:
            return failed("this page has no file for it")
        if name == "wasm" and tf.wasm and config["lib_url"]:
            tf.wasm.setWasmPaths(config["lib_url"])
        if name == "wasm" and tf.wasm and self.crossOriginIsolated:
            tf.wasm.setThreadsCount(_wasm_threads())
            return start_with_threads(_wasm_threads(), lambda: tf.setBackend(name)).then(started, failed)
        return tf.setBackend(name).then(started, failed)

    return _backend_loaded(name).then(start, failed)


def _wasm_threads():
    """How many threads TF.js's wasm runs on: one per logical core (at most 8; in a model worker
    one less) when the page is cross-origin isolated, else 1 (threads need SharedArrayBuffer). ``?wasm_threads=N`` in the
    page's address, or ``wasm_threads`` in its config, asks for N."""
    if not self.crossOriginIsolated:
        return 1
    wanted = _query_parameter("wasm_threads") or config["wasm_threads"]
    count = parseInt(wanted) if wanted else (self.navigator.hardwareConcurrency or 1)
    if self.ml5pyInWorker and not wanted:
        count = count - 1  # in a model worker: one core stays with the page, for draw()
    if not (count >= 1):  # (NaN too)
        return 1
    return min(count, MAX_WASM_THREADS)



def _backend_order():
    wanted = _chosen_backend or _query_parameter("backend") or config["backend"]
    if wanted:
        order = [wanted]
        for name in BACKENDS:
            if name != wanted and name != "webgpu":  # (WebGPU only when asked or real)
                order.append(name)
        return order
    if _has_real_gpu():
        return ["webgl", "wasm", "cpu"]
    return ["wasm", "webgl", "cpu"]


def _automatic_order():
    """A promise of the backends to try: the chosen one first, else WebGPU on a real adapter,
    else WebGL on a real GPU, else wasm; a software GPU never comes first by itself."""
    order = _backend_order()
    if _chosen_backend or _query_parameter("backend") or config["backend"]:
        return Promise.resolve(order)
    return _real_webgpu().then(lambda real: ["webgpu"] + order if real else order)


def ensure_backend():
    """Start the best backend once: WebGPU on a real GPU adapter, else WebGL on a real GPU,
    else wasm, else cpu."""
    global _backend_ready
    if _backend_ready is None:
        _quiet_webgpu_priority()
        _backend_ready = _automatic_order().then(_try_backends)
    return _backend_ready


def set_backend(name):
    """Choose the maths engine: 'webgpu', 'webgl', 'wasm' or 'cpu' (returns a promise)."""
    global _chosen_backend, _backend_ready
    if name not in BACKENDS:
        raise ValueError("Unknown backend '" + str(name) + "'. Valid backends are: " +
                         ", ".join(BACKENDS) + ".")
    _chosen_backend = name
    _quiet_webgpu_priority()
    _backend_ready = _try_backends([name])
    return _backend_ready


def get_backend():
    """The maths engine in use ('webgpu', 'webgl', 'wasm' or 'cpu'; None before the first model)."""
    return tf.getBackend() or None


def backend_ready():
    """A promise that resolves once TF.js's backend has started (tensors can be made)."""
    return ensure_backend()
