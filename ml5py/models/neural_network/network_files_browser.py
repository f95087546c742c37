"""The browser runtime, NeuralNetwork's model files: downloads, fetches, decoding.

Star-imported by this folder's ``runtime_browser.py``; only Transcrypt compiles it. Its
twin for CPython is ``network_files_cpython.py``. Saving downloads
ml5.js's three files; loading fetches them (or reads a ``FileList`` from a file input,
as ml5.js does) and decodes the weights with ``tf.io.decodeWeights``.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.models.neural_network.nn_model_files import joined, model_places
from ml5py.core.data_browser import download
from ml5py.core.images_browser import describe_type
from ml5py.core.loading_browser import _blocked
from ml5py.core.pending_browser import is_instance, python_error, type_of


def network_save(folder, texts, weights_file, weights):
    """Download the model files (put them in one folder: ``load(folder)`` reads it back).

    The page downloads ``model.json``, ``model_meta.json`` and ``model.weights.bin``, as
    ml5.js does. A promise of ``{file name: content}``.
    """
    total = 0
    for values in weights:
        total += values.length
    data = __new__(Float32Array(total))
    offset = 0
    for values in weights:
        data.set(values, offset)
        offset += values.length
    result = {}
    for name in Object.js_keys(texts):
        result[name] = texts[name]
        download(name, texts[name], "application/json")
    result[weights_file] = data.buffer
    download(weights_file, data.buffer, "application/octet-stream")
    return Promise.resolve(result)


def _fetched(place, what, kind):
    def checked(response):
        if not response.ok:
            raise ValueError("Could not load " + what + " from '" + place + "' (HTTP " + str(response.status) +
                             "). A saved network is a folder with model.json, model_meta.json and "
                             "model.weights.bin.")
        return response.arrayBuffer() if kind == "bytes" else response.text()

    def failed(error):
        explained = _blocked(place, error)  # another site's file without CORS: why, and what to do
        if explained is not error:
            raise explained
        raise ValueError("Could not load " + what + " from '" + place + "': " + str(python_error(error)) + ".")

    return fetch(place).then(checked, failed)


def _json(text, place):
    try:
        return JSON.parse(text)
    except:  # noqa: E722 (a JavaScript SyntaxError)
        raise ValueError("'" + place + "' is not valid JSON; the file is damaged. Save the network again.")


def _first_meta(places):
    """The first of the metadata places that loads (ml5.js's name_meta.json, then model_meta.json)."""
    def attempt_from(index):
        place = places[index]
        job = _fetched(place, "model_meta.json (ml5.js saves it beside model.json)", "text")
        if index + 1 < len(places):
            return job.then(lambda text: [text, place], lambda error: attempt_from(index + 1))
        return job.then(lambda text: [text, place])

    return attempt_from(0)


def _from_files(files):
    """``{name: File}`` of a FileList (``<input type="file" multiple>``), as ml5.js accepts."""
    found = {}
    for index in range(files.length):
        file = files[index]
        if file.js_name.endsWith(".bin"):
            found["weights"] = file
        elif file.js_name.endsWith("_meta.json"):
            found["meta"] = file
        elif file.js_name.endsWith(".json"):
            found["model"] = file
    for key in ["model", "meta", "weights"]:
        if key not in found:
            raise ValueError("load() was given files without a " + {"model": "model.json", "meta":
                             "model_meta.json", "weights": "model.weights.bin"}[key] + "; choose all three.")
    return found


def network_load(location):
    """A promise of a saved network's files: ``{"model", "meta", "weights": {name: numbers}, "where",
    "model_name", "meta_name"}`` (from a folder or model.json URL, ml5.js's dict, or a FileList)."""
    if is_instance(location, window.FileList):
        try:
            files = _from_files(location)
        except Exception as error:
            return Promise.reject(error)
        texts = [files["model"].text(), files["meta"].text(), files["weights"].arrayBuffer()]
        return Promise.all(texts).then(lambda got: _decoded(got[0], got[1], [got[2]], files["model"].js_name,
                                                            files["meta"].js_name, ""))
    if type_of(location) == "string":
        places = model_places(location, None, None)
    elif location and type_of(location) == "object" and location.model:
        places = model_places(location.model, location.metadata or None, location.weights or None)
    else:
        return Promise.reject(TypeError("load() takes the folder (or model.json, or URL) of a saved network; "
                                        "got a " + describe_type(location) + "."))
    found = {}

    def with_model(text):
        found["model"] = text
        return _first_meta(places["meta"])

    def with_meta(text_and_place):
        found["meta"] = text_and_place
        model = _json(found["model"], places["model"])
        manifest = model.weightsManifest
        if not Array.isArray(manifest):
            raise ValueError("'" + places["model"] + "' has no weightsManifest: it is not a TF.js model.json.")
        reads = []
        for group in manifest:
            for path in group.paths:
                place = places["weights"] if places["weights"] else joined(places["base"], path)
                reads.append(_fetched(place, "the weights file", "bytes"))
        return Promise.all(reads)

    def with_weights(buffers):
        return _decoded(found["model"], found["meta"][0], buffers, places["model"], found["meta"][1],
                        places["base"])

    return _fetched(places["model"], "model.json", "text").then(with_model).then(with_meta).then(with_weights)


def _decoded(model_text, meta_text, buffers, model_name, meta_name, base):
    model = _json(model_text, model_name)
    meta = _json(meta_text, meta_name)
    if not Array.isArray(model.weightsManifest):
        raise ValueError("'" + model_name + "' has no weightsManifest: it is not a TF.js model.json.")
    total = 0
    for buffer in buffers:
        total += buffer.byteLength
    joined_bytes = __new__(Uint8Array(total))
    offset = 0
    for buffer in buffers:
        joined_bytes.set(__new__(Uint8Array(buffer)), offset)
        offset += buffer.byteLength
    specs = []
    for group in model.weightsManifest:
        for spec in group.weights:
            specs.append(spec)
    needed = 0
    for spec in specs:
        count = 1
        for size in spec.shape:
            count *= size
        stored = spec.quantization.dtype if spec.quantization else spec.dtype
        needed += count * (1 if stored == "uint8" or stored == "bool" else (
            2 if stored == "uint16" or stored == "float16" else 4))
    if needed != total:
        raise ValueError("The weights beside '" + model_name + "' hold " + str(total) + " bytes where the model "
                         "needs " + str(needed) + ": they are damaged or belong to another model. Save the "
                         "network again.")
    tensors = tf.io.decodeWeights(joined_bytes.buffer, specs)
    weights = {}
    for name in Object.js_keys(tensors):
        weights[name] = Array.prototype.slice.call(tensors[name].dataSync())
        tensors[name].dispose()
    return {"model": model, "meta": meta, "weights": weights, "where": base, "model_name": model_name,
            "meta_name": meta_name}
