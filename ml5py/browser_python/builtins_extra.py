"""What Transcrypt's ``str`` and ``list`` lack, and JavaScript errors as Python exceptions.

Only Transcrypt compiles this file; ``ml5py build`` makes every sketch import it
(``tooling/sketch_python.py``). It adds methods (never replaces one the runtime has, except
``strip``/``lstrip``/``rstrip``, which now take Python's optional characters), all
non-enumerable, so nothing that walks an object's fields sees them:

- ``str``: ``count``, ``index`` / ``rindex`` (``ValueError`` when missing), ``title``,
  ``center``, ``ljust``, ``rjust``, ``zfill``, ``partition``, ``swapcase``;
- ``list``: ``count``, ``index`` raising ``ValueError`` when missing; a set's ``remove``
  raising ``KeyError``;
- functions: ``__name__`` (``greet.__name__`` is ``"greet"``, a lambda's ``"<lambda>"``);
- a JavaScript error (``TypeError: x.foo is not a function``, ``ReferenceError``,
  ``RangeError``) is a Python exception: ``except AttributeError`` / ``NameError`` /
  ``TypeError`` / ``ValueError`` / ``Exception`` catch it, ``str(error)`` is its message;
  TF.js's "backend not yet initialized" (the sketch's own ``tf`` while the backend starts) is a
  ``RuntimeError`` saying to wait for the model or ``tf.ready()``.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')
# __pragma__ ('noiconv')

from ml5py.browser_python.operators import NameError, RuntimeError

__pragma__ ('js', '{}', """
function _add (prototype, name, method, replace) {
    if (replace || !Object.prototype.hasOwnProperty.call (prototype, name)) {
        Object.defineProperty (prototype, name, {value: method, enumerable: false, writable: true, configurable: true});
    }
}
function _count (text, sub) {
    if (sub.length == 0) return text.length + 1;
    var n = 0, at = text.indexOf (sub);
    while (at >= 0) { n++; at = text.indexOf (sub, at + sub.length); }
    return n;
}
function _chars (chars) { return chars.replace (/[\\\\\\]\\[^$.|?*+(){}-]/g, '\\\\$&'); }
_add (String.prototype, 'count', function (sub, start, end) {
    return _count (this.slice (start || 0, end === undefined ? this.length : end), sub);
});
_add (String.prototype, 'index', function (sub, start) {
    var at = this.indexOf (sub, start || 0);
    if (at < 0) throw ValueError ('substring not found', new Error ());
    return at;
});
_add (String.prototype, 'rindex', function (sub) {
    var at = this.lastIndexOf (sub);
    if (at < 0) throw ValueError ('substring not found', new Error ());
    return at;
});
_add (String.prototype, 'title', function () {
    return this.toLowerCase ().replace (/(^|[^a-zA-Z])([a-z])/g, function (all, before, letter) {
        return before + letter.toUpperCase ();
    });
});
_add (String.prototype, 'swapcase', function () {
    return this.replace (/[a-zA-Z]/g, function (c) { return c == c.toUpperCase () ? c.toLowerCase () : c.toUpperCase (); });
});
function _fill (fill) { return fill === undefined ? ' ' : fill; }
_add (String.prototype, 'center', function (width, fill) {
    var total = width - this.length;
    if (total <= 0) return String (this);
    var left = Math.floor (total / 2) + (total & width & 1);
    return _fill (fill).repeat (left) + this + _fill (fill).repeat (total - left);
});
_add (String.prototype, 'ljust', function (width, fill) {
    return this.length >= width ? String (this) : this + _fill (fill).repeat (width - this.length);
});
_add (String.prototype, 'rjust', function (width, fill) {
    return this.length >= width ? String (this) : _fill (fill).repeat (width - this.length) + this;
});
_add (String.prototype, 'zfill', function (width) {
    var sign = this [0] == '-' || this [0] == '+' ? this [0] : '';
    var digits = this.slice (sign.length);
    return sign + (digits.length + sign.length >= width ? digits : '0'.repeat (width - digits.length - sign.length) + digits);
});
_add (String.prototype, 'partition', function (sep) {
    var at = this.indexOf (sep);
    return at < 0 ? tuple ([String (this), '', '']) : tuple ([this.slice (0, at), sep, this.slice (at + sep.length)]);
});
_add (String.prototype, 'strip', function (chars) {
    if (chars === undefined || chars === null) return this.trim ();
    var set = _chars (chars);
    return this.replace (new RegExp ('^[' + set + ']+|[' + set + ']+$', 'g'), '');
}, true);
_add (String.prototype, 'lstrip', function (chars) {
    if (chars === undefined || chars === null) return this.replace (/^\\s+/, '');
    return this.replace (new RegExp ('^[' + _chars (chars) + ']+'), '');
}, true);
_add (String.prototype, 'rstrip', function (chars) {
    if (chars === undefined || chars === null) return this.replace (/\\s+$/, '');
    return this.replace (new RegExp ('[' + _chars (chars) + ']+$'), '');
}, true);

_add (Array.prototype, 'count', function (item) {
    var n = 0;
    for (var i = 0; i < this.length; i++) { if (__eq__ (this [i], item)) n++; }
    return n;
});
_add (Array.prototype, 'index', function (item, start) {
    for (var i = start || 0; i < this.length; i++) { if (__eq__ (this [i], item)) return i; }
    throw ValueError (repr (item) + ' is not in list', new Error ());
}, true);

var _remove = Array.prototype.remove;  // a set's remove raises KeyError, a list's ValueError
_add (Array.prototype, 'remove', function (item) {
    if (this.__class__ === set && this.indexOf (item) < 0) throw KeyError (repr (item), new Error ());
    return _remove.call (this, item);
}, true);

Object.defineProperty (Function.prototype, '__name__', {configurable: true, enumerable: false,
    get: function () { return this.name && this.name != '__lambda__' ? this.name : '<lambda>'; },
    set: function (value) { Object.defineProperty (this, '__name__', {value: value, writable: true, configurable: true}); }});

// A JavaScript error as the Python exception Python would raise there
function _python_class (error) {
    var message = String (error.message);
    if (error.name == 'ReferenceError') return NameError;
    if (error.name == 'RangeError') return ValueError;
    if (/^Backend '[^']*' has not yet been initialized/.test (message)) return RuntimeError;
    if (error.name == 'TypeError') {
        return /is not a function|Cannot read propert|is not a constructor|has no attribute/.test (message) ? AttributeError : py_TypeError;
    }
    return Exception;
}
function _python_message (error) {
    var message = String (error.message);
    var missing = /^(\\S+) is not defined$/.exec (message);
    if (missing) return "name '" + missing [1] + "' is not defined";
    var none = /^Cannot (?:read|set) properties of (null|undefined) \\((?:reading|setting) '([^']*)'\\)$/.exec (message);
    if (none) return (none [1] == 'null' ? "'NoneType' object" : 'an undefined value') + " has no attribute '" + none [2] + "'";
    var starting = /^Backend '([^']*)' has not yet been initialized/.exec (message);
    if (starting) return "TensorFlow.js is still starting its '" + starting [1] + "' backend, so tf cannot be used yet: " +
        "use it once a model is ready (in its ready callback, or after 'await classifier.ready' in an async function), " +
        "or after 'await tf.ready()'";
    var method = /^(\\S+)\\.(\\w+) is not a function$/.exec (message);
    if (method) return "'" + method [1] + "' has no attribute '" + method [2] + "' (or it is not a function)";
    return message;
}
Object.defineProperty (Error.prototype, '__class__', {configurable: true, enumerable: false,
    get: function () { return _python_class (this); },
    set: function (value) { Object.defineProperty (this, '__class__', {value: value, writable: true, configurable: true}); }});
Object.defineProperty (Error.prototype, '__args__', {configurable: true, enumerable: false,
    get: function () { return [_python_message (this)]; },
    set: function (value) { Object.defineProperty (this, '__args__', {value: value, writable: true, configurable: true}); }});
_add (Error.prototype, '__str__', function () { return _python_message (this); });
""")
