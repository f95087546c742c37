"""The browser runtime's model loading: weights fetched through the Cache API with their sha256
checked, the registry's models and a learner's own (``find_model``), ``tf.loadLayersModel``.

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``loading_cpython.py``.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.core.images_browser import describe_type
from ml5py.core.pending_browser import config, _mark, show_status, type_of
from ml5py.core.tensors_browser import ensure_backend, read

CACHE_NAME = "ml5py-models-v1"

# ---------------------------------------------------------------- fetching weights

_expected_sha256 = {}


def _hex(buffer):
    return "".join([("0" + byte.toString(16)).slice(-2) for byte in Array.prototype.slice.call(
        __new__(Uint8Array(buffer)))])


def _verify(url, response):
    """Check a downloaded file's sha256 against the registry (when the registry knows it)."""
    expected = _expected_sha256[url]
    if not expected or not (window.crypto and window.crypto.subtle):
        return Promise.resolve(response)

    def compare(digest):
        actual = _hex(digest)
        if actual != expected:
            raise ValueError("The downloaded file " + url + " is corrupt: its sha256 is " +
                             actual + " but should be " + expected + ". Reload the page to try again.")
        return response

    return response.clone().arrayBuffer().then(
        lambda buffer: window.crypto.subtle.digest("SHA-256", buffer)).then(compare)


def _keep(cache, url, response):
    """Put a checked download in the cache, and hand it on without waiting for the disk."""
    def failed(error):
        console.warn("ml5py: could not keep " + url + " in the browser's cache (" + str(error) + ")")

    cache.put(url, response.clone()).then(_say_kept, failed)
    return response


_said_kept = False


def _say_kept(ignored):
    """Tell later visits' ``ml5py-page.js`` that the cache holds weights (once per page): it
    looks there first only then (a new profile opens its Cache API slowly: 14-22 ms traced
    here, about 150 ms seen under load)."""
    global _said_kept
    if _said_kept:
        return
    _said_kept = True
    try:
        window.localStorage.setItem("ml5py-kept:" + CACHE_NAME, "1")
    except:  # noqa: E722 (a JavaScript SecurityError when storage is off)
        pass  # (no storage: the next visit downloads its early files again)


def _blocked(url, error):
    """The error for a file the browser would not fetch: for another site's file, why and what to do."""
    target = __new__(URL(url, self.location.href))
    if target.origin == self.location.origin:
        return error
    isolated = ""
    if self.crossOriginIsolated:
        isolated = (" (this page is cross-origin isolated, so TensorFlow.js can use every core: "
                    "other sites' files load only when their server allows it)")
    return ValueError("Could not fetch " + target.href + ": the browser refused it (" + str(error) +
                      "). Its server must allow other pages to read it, with the header "
                      "'Access-Control-Allow-Origin: *' (CORS)" + isolated + ". Or put the model's "
                      "folder beside your sketch (it is published with the site) and give its "
                      "folder name instead.")


def _explained_fetch(url, init=None):
    """``fetch``, with a refused cross-origin file explained (``_blocked``)."""
    def refused(error):
        raise _blocked(str(url), error)

    return fetch(url, init).catch(refused)


def _checked(url, response):
    """A fresh download, its sha256 checked, kept in the cache (without waiting for it)."""
    def kept(checked):
        if window.caches:
            copy = checked.clone()
            window.caches.open(CACHE_NAME).then(lambda cache: _keep(cache, url, copy), lambda error: None)
        return checked

    if not response.ok:
        return Promise.resolve(response)
    return _verify(url, response).then(kept)


def cached_fetch(url, init=None):
    """``fetch`` through the Cache API: the second visit loads the weights with no network.

    A file the page started fetching at once (``ml5py-page.js``: the models the sketch names)
    is taken from there: a cache hit as it is, a download checked and kept as here."""
    url = str(url)
    started = window.ml5py.takeWeights(url) if window.ml5py and window.ml5py.takeWeights else None
    if started:
        return started.then(lambda got: got.response if got.cached else _checked(url, got.response),
                            lambda error: _through_cache(url, init))
    return _through_cache(url, init)


def _through_cache(url, init):
    if not window.caches:
        return _explained_fetch(url, init).then(lambda response: _verify(url, response))

    def with_cache(cache):
        def found(hit):
            if hit:
                return hit

            def store(response):
                if not response.ok:
                    return response
                return _verify(url, response).then(lambda checked: _keep(cache, url, checked))

            return _explained_fetch(url, init).then(store)

        return cache.match(url).then(found)

    def no_cache(error):
        return _explained_fetch(url, init).then(lambda response: _verify(url, response))

    return window.caches.open(CACHE_NAME).then(with_cache, no_cache)


# ---------------------------------------------------------------- models

def _looks_like_location(text):
    return text.indexOf("/") >= 0 or text.endsWith(".json") or text.startswith(".")


def _model_base(source):
    if config["models_url"]:
        return config["models_url"] + source["id"] + "/"
    return source["upstream"]


def _user_model(location):
    """Describe a user's TF.js layers model folder/URL (a Teachable Machine export)."""
    entry = "model.json"
    base = location
    if location.endsWith(".json"):
        cut = location.lastIndexOf("/") + 1
        entry = location.slice(cut)
        base = location.slice(0, cut)
    elif not location.endsWith("/"):
        base = location + "/"

    def labelled(metadata):
        if not metadata or not metadata.labels:
            raise ValueError("The model at '" + location + "' has no labels: its folder needs a "
                             "metadata.json with a 'labels' list (Teachable Machine exports have one).")
        task = "classification"
        if metadata.ml5py and metadata.ml5py.task:
            task = metadata.ml5py.task
        return {"id": None, "title": location, "base": base, "entry": entry,
                "labels": metadata.labels, "task": task, "softmax": False, "files": {},
                "preprocessing": {"input_size": None, "scale": 1 / 127.5, "offset": -1,
                                  "align_corners": True, "gray": None}}

    def fetched(response):
        if not response.ok:
            raise ValueError("Could not read " + base + "metadata.json (HTTP " + str(response.status) +
                             "). A Teachable Machine export keeps it beside model.json.")
        return response.json()

    return _explained_fetch(base + "metadata.json").then(fetched).then(labelled)


def _page_task(task):
    """What the page knows of one registry task (``tooling/page_config.py``): names, aliases, sources."""
    tasks = config["tasks"] or {}
    return tasks[task] or {"names": [], "aliases": {}, "sources": {}}


def _page_source(task, name):
    """A copy of the page's facts about the model ``name`` (any of its names, any case) of
    ``task``, or None when the page has none."""
    known = _page_task(task)
    key = name.toLowerCase()
    if not Object.prototype.hasOwnProperty.call(known["aliases"], key):
        return None
    return Object.assign({}, known["sources"][known["aliases"][key]])


def find_model(name_or_path):
    """A promise of the model's description: registry facts, or a user's model folder/URL."""
    if type_of(name_or_path) != "string":
        return Promise.reject(TypeError("A model is named by a string such as 'MobileNet', or the "
                                        "folder/URL of a TF.js model; got a " +
                                        describe_type(name_or_path) + "."))
    source = _page_source("image-classifier", name_or_path)  # a registry id may contain a slash
    if not source and _looks_like_location(name_or_path):
        return _user_model(name_or_path)
    if not source:
        return _folder_or_unknown(name_or_path)
    source["base"] = _model_base(source)
    return Promise.resolve(source)


def _folder_or_unknown(name):
    """A promise of the model in the folder ``name/`` (say a saved ``"pets"``) if the page has
    one; else it rejects with the unknown-model error listing the valid names."""
    def unknown(ignored):
        raise ValueError("Unknown model '" + name + "'. Valid names are: " +
                         ", ".join(_page_task("image-classifier")["names"]) +
                         ". There is no folder '" + name + "/' with a model.json beside the page "
                         "either. You can also give the folder or URL of a TF.js model with a "
                         "metadata.json.")

    def checked(response):
        if not response.ok:
            unknown(None)
        return _user_model(name)

    return fetch(name + "/model.json").then(checked, unknown)


def load_layers_model(source, title):
    """A promise of a TF.js LayersModel, with loading progress shown on the page."""
    return _load_checked(tf.loadLayersModel, source, source["entry"], title)


def _load_checked(loader, source, filename, title):
    """A promise of ``loader(url)`` (tf.loadLayersModel / tf.loadGraphModel) for ``filename``
    of ``source``: every file's sha256 checked, cached, progress shown on the page."""
    url = source["base"] + filename
    for name in Object.js_keys(source["files"]):
        _expected_sha256[source["base"] + name] = source["files"][name]["sha256"]

    def progress(fraction):
        show_status("Loading " + title + ": " + str(Math.round(fraction * 100)) + "%")

    def loaded(model):
        _mark(title + " built")
        show_status(title + " is ready (TensorFlow.js " + tf.getBackend() + ")")
        return model

    # The files download now, while TF.js starts its backend (downloading needs none); the
    # loader turns them into tensors once the backend is up.
    show_status("Loading " + title + "...")
    files = tf.io.http(url, {"onProgress": progress, "fetchFunc": cached_fetch}).load()
    files.catch(lambda error: None)  # (a failed download reaches the sketch through the loader)
    files.then(lambda artifacts: _mark(title + " weights downloaded"), lambda error: None)

    def load(backend_name):
        return loader({"load": lambda: files}).then(loaded)

    return ensure_backend().then(load)


def model_input_size(model):
    shape = model.inputs[0].shape
    return [shape[1], shape[2]]


def model_output_size(model):
    """How many numbers the model gives per picture (its output's last axis)."""
    shape = model.outputs[0].shape
    return shape[len(shape) - 1]


def embedding(tensor):
    """A promise of the embedding in a 1 x n tensor: a list (JS Array) of n numbers.

    The tensor is freed. ``embedding.tolist()`` gives a copy, as numpy's does in CPython.
    """
    def listed(values):
        values.tolist = lambda: values.slice()
        return values

    return read(tensor).then(listed)
