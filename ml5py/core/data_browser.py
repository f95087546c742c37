"""The browser runtime's plain data: embeddings as lists of numbers, value checks, JSON, and
text files (downloaded by the page, fetched by URL).

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``data_cpython.py``.
"""
# __pragma__ ('noopov')
# JavaScript truthiness in this file (a Promise or a DOM element is true):
# __pragma__ ('notconv')

from ml5py.core.images_browser import BrowserImage, describe_type, _drawable
from ml5py.core.pending_browser import is_instance, python_error, type_of


# ---------------------------------------------------------------- plain data: embeddings as numbers, JSON, text files

__pragma__ ('js', '{}', """
export function parse_json_text (text) {
    try { return {value: JSON.parse (text), problem: null}; }
    catch (error) { return {value: null, problem: String (error.message)}; }
}
""")

def is_pending(value):
    """True for a promise (or any then-able): an embedding still being computed."""
    return value is not None and type_of(value) == "object" and type_of(value.then) == "function"


def is_image(value):
    """True for what ml5py reads as a picture (an element, ImageData, a p5 image, a file name)."""
    return type_of(value) == "string" or isinstance(value, BrowserImage) or _drawable(value) is not None


def _embedding_values(value):
    if is_instance(value, tf.Tensor):
        return value.dataSync()
    if value and type_of(value) == "object" and not Array.isArray(value) and value.tolist:
        return value.tolist()  # an embedding object that can list its numbers
    return value


def vector(value):
    """An embedding as a plain Array of numbers: from an Array, a typed array or a TF.js tensor.

    A 1 x n nested list counts as n numbers. Anything else is a TypeError saying what came.
    """
    data = _embedding_values(value)
    if Array.isArray(data) and data.length == 1 and Array.isArray(data[0]):
        data = data[0]
    if not (Array.isArray(data) or (ArrayBuffer.isView(data) and not is_instance(data, DataView))):
        raise TypeError("An embedding is a list of numbers; got a " + describe_type(value) +
                        " that is not one.")
    if data.length == 0:
        raise TypeError("An embedding is a list of numbers; got numbers shaped [0].")
    values = []
    for position in range(data.length):
        number = data[position]
        if type_of(number) != "number":
            if Array.isArray(number):
                raise TypeError("An embedding is a list of numbers; got a list of lists.")
            raise TypeError("An embedding is a list of numbers; got a list holding a " +
                            describe_type(number) + ".")
        if not isFinite(number):
            raise TypeError("An embedding holds numbers only; number " + str(position) + " is " +
                            str(number) + ".")
        values.append(number)
    return values


def is_number(value):
    """True for a JavaScript number (not for true/false)."""
    return type_of(value) == "number"


def is_sequence(value):
    """True for a list (JS Array) or a typed array."""
    return Array.isArray(value) or (ArrayBuffer.isView(value) and not is_instance(value, DataView))


def is_object(value):
    """True for a JSON object: a plain JS object or a Python dict (not a list, not null)."""
    return value is not None and type_of(value) == "object" and not Array.isArray(value) and not \
        ArrayBuffer.isView(value)


def object_keys(value):
    return Object.js_keys(value)


def parse_json(text):
    """Data from JSON text; a ValueError naming the problem if it is not JSON."""
    parsed = parse_json_text(text)
    if parsed.problem is not None:
        raise ValueError("it is not valid JSON (" + parsed.problem + ").")
    return parsed.value


def to_json(data):
    return JSON.stringify(data)


def download(name, content, kind):
    """The page downloads ``content`` (text, an ArrayBuffer or a typed array) as the file ``name``."""
    blob = __new__(Blob([content], {"type": kind}))
    link = document.createElement("a")
    link.href = URL.createObjectURL(blob)
    link.download = name
    document.body.appendChild(link)
    link.click()
    document.body.removeChild(link)
    url = link.href
    setTimeout(lambda: URL.revokeObjectURL(url), 10000)


def save_text(path, text, saver="save"):
    """Download ``text`` as a file named ``path`` (in CPython: write the file safely).

    ``saver`` names the method for CPython's messages (a file it may not replace)."""
    name = str(path)
    download(name.slice(name.lastIndexOf("/") + 1), text, "application/json")


def load_text(location):
    """A promise of the text at a URL (relative to the page, or absolute)."""
    location = str(location)

    def fetched(response):
        if not response.ok:
            raise ValueError("Could not load '" + location + "' (HTTP " + str(response.status) +
                             "). Check the name, and that the file sits next to your sketch.")
        return response.text()

    def failed(error):
        raise ValueError("Could not load '" + location + "': " + str(python_error(error)) + ".")

    return fetch(location).then(fetched, failed)
