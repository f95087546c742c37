"""How the browser runtime meets learners' habits: ml5.js's names on every model class, and ``ml5py.run``.

A part of ``ml5py/runtime_browser.py``; only Transcrypt compiles it. Its twin for CPython is
``habits_cpython.py``; ``core/ml5_names.py`` (written once) uses both. A Transcrypt class
keeps each method as a getter on the class object (which is its instances' prototype), so
an alias is a getter that reads the method's own name on the instance: bound, as usual.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')

__pragma__ ('js', '{}', """
function _define_alias (cls, alias, name) {
    Object.defineProperty (cls, alias, {enumerable: true, configurable: true,
        get: function () { return this [name]; }});
}
function snake_name (key, renames) {
    if (Object.prototype.hasOwnProperty.call (renames, key)) { return renames [key]; }
    return key.replace (/[A-Z]/g, function (letter) { return "_" + letter.toLowerCase (); });
}
function _accept_ml5_keywords (cls, name, renames) {
    var found = Object.getOwnPropertyDescriptor (cls, name);
    if (!found || !found.get || found.get.ml5_keywords) { return; }
    var original = found.get;
    var getter = function () {
        var method = original.call (this);
        if (typeof method != "function") { return method; }
        return function () {
            var last = arguments.length ? arguments [arguments.length - 1] : undefined;
            if (last && typeof last == "object" && Object.prototype.hasOwnProperty.call (last, "__kwargtrans__")) {
                Object.keys (last).forEach (function (key) {
                    if (key == "__kwargtrans__" || key == "constructor") { return; }
                    var snake = snake_name (key, renames);
                    if (snake != key) { last [snake] = last [key]; delete last [key]; }
                });
            }
            return method.apply (this, arguments);
        };
    };
    getter.ml5_keywords = true;
    Object.defineProperty (cls, name, {get: getter, enumerable: found.enumerable, configurable: true});
}
""")


def define_alias(cls, alias, name):
    """``cls.<alias>`` reads ``cls.<name>`` (on an instance: the bound method)."""
    _define_alias(cls, alias, name)


def accept_ml5_keywords(cls, name, renames):
    """Let ``cls.<name>`` take keyword options as ml5.js spells them (``modelType=`` for ``model_type=``)."""
    _accept_ml5_keywords(cls, name, renames)


def awaitable_objects(cls):
    """Nothing to do here: ``await`` takes any value in JavaScript."""
    return None


def run(main, *args):
    """Run the sketch's ``main(*args)``: for an ``async def``, a promise the build's top level waits for."""
    if not callable(main):
        raise TypeError("ml5py.run needs the function to run, as in ml5py.run(main); got " + str(main) + ".")
    return main(*args)
