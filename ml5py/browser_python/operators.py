"""Python's semantics for a sketch's operators, loops and missing keys (only Transcrypt compiles this).

Transcrypt compiles a sketch's ``a / b`` to ``__truediv__(a, b)``, ``d[k]`` to
``__getitem__(d, k)``, ``for x in xs`` to a loop over ``__i__(xs)``..., functions its runtime
gives every module. A module that imports a function under that name uses it instead, and
``ml5py build`` makes the sketch (and only the sketch: ``tooling/sketch_python.py``) import
these under those names (``_py_truediv as __truediv__``), so the library's hot paths keep
the runtime's own. Each one does what the
runtime does, plus what Python does and JavaScript does not:

- ``1 / 0``, ``1 // 0``, ``1 % 0`` raise ``ZeroDivisionError``;
- ``"score: " + 5`` raises ``TypeError`` (as does ``5 + "x"``);
- ``d["missing"]`` raises ``KeyError`` on a dict (``LookupError`` catches it, and ``IndexError``);
- ``{1} | {2}``, ``&``, ``-``, ``^`` on sets; ``==`` on dicts compares their items;
- ``"%d%%" % x`` formats as Python does (``%s %r %d %i %f %e %g %x %o %c %%``, widths, flags);
- ``print`` honours ``sep`` and ``end``;
- ``for`` walks a dict's keys, and generators (one item at a time, so an endless one is
  fine), ``enumerate``, ``zip`` and other iterators.

Also the exceptions Transcrypt's runtime lacks: ``ArithmeticError``, ``ZeroDivisionError``,
``LookupError`` (above ``KeyError`` and ``IndexError``), ``RuntimeError``, ``NameError``.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')
# __pragma__ ('noiconv')


class ArithmeticError(Exception):
    pass


class ZeroDivisionError(ArithmeticError):
    pass


class LookupError(Exception):
    pass


class RuntimeError(Exception):
    pass


class NameError(Exception):
    pass


__pragma__ ('js', '{}', """
KeyError.__bases__ = [LookupError];
IndexError.__bases__ = [LookupError];

function _zero (op) { return ZeroDivisionError (op); }
function _type_name (value) {
    var type = py_typeof (value);
    return value === null || value === undefined ? 'NoneType' : (type && type.__name__) || typeof value;
}
function _no_mix (a, b, op) {
    return py_TypeError ("unsupported operand type(s) for " + op + ": '" + _type_name (a) + "' and '" +
                         _type_name (b) + "'", new Error ());
}
function _is_dict (value) { return value !== null && typeof value == 'object' && value.__class__ === dict; }
function _is_set (value) { return value !== null && typeof value == 'object' && value.__class__ === set; }

export function _py_add (a, b) {
    if (typeof a == 'object' && a !== null && '__add__' in a) return a.__add__ (b);
    if (typeof b == 'object' && b !== null && '__radd__' in b) return b.__radd__ (a);
    var ta = typeof a, tb = typeof b;
    if (ta == tb && (ta == 'number' || ta == 'string')) return a + b;
    if ((ta == 'number' || ta == 'boolean') && (tb == 'number' || tb == 'boolean')) return a + b;
    if (ta == 'string') {
        throw py_TypeError ('can only concatenate str (not "' + _type_name (b) + '") to str', new Error ());
    }
    if (tb == 'string' || a === null || b === null || a === undefined || b === undefined) throw _no_mix (a, b, '+');
    return a + b;
}
export function _py_iadd (a, b) {
    if (typeof a == 'object' && a !== null && '__iadd__' in a) return a.__iadd__ (b);
    return _py_add (a, b);
}
export function _py_sub (a, b) {
    if (typeof a == 'object' && a !== null && '__sub__' in a) return a.__sub__ (b);
    if (typeof b == 'object' && b !== null && '__rsub__' in b) return b.__rsub__ (a);
    if (_is_set (a)) return a.difference (b);
    return a - b;
}
export function _py_truediv (a, b) {
    if (typeof a == 'object' && a !== null && '__truediv__' in a) return a.__truediv__ (b);
    if (typeof b == 'object' && b !== null && '__rtruediv__' in b) return b.__rtruediv__ (a);
    if (b === 0 || b === false) throw _zero ('division by zero');
    return a / b;
}
export function _py_floordiv (a, b) {
    if (typeof a == 'object' && a !== null && '__floordiv__' in a) return a.__floordiv__ (b);
    if (typeof b == 'object' && b !== null && '__rfloordiv__' in b) return b.__rfloordiv__ (a);
    if (b === 0 || b === false) throw _zero ('integer division or modulo by zero');
    return Math.floor (a / b);
}
export function _py_mod (a, b) {
    if (typeof a == 'string') return _percent (a, b);
    if (typeof a == 'object' && a !== null && '__mod__' in a) return a.__mod__ (b);
    if (typeof b == 'object' && b !== null && '__rmod__' in b) return b.__rmod__ (a);
    if (b === 0 || b === false) throw _zero ('integer division or modulo by zero');
    return ((a % b) + b) % b;
}
export function _py_getitem (container, key) {
    if (_is_dict (container)) {
        var found = container.__getitem__ (key);
        if (found === undefined && !Object.prototype.hasOwnProperty.call (container, key)) {
            throw KeyError (repr (key), new Error ());
        }
        return found;
    }
    return __getitem__ (container, key);
}
export function _py_eq (a, b) {
    if (_is_dict (a) && _is_dict (b)) {
        var keys = a.py_keys ();
        if (keys.length != b.py_keys ().length) return false;
        for (var i = 0; i < keys.length; i++) {
            if (!Object.prototype.hasOwnProperty.call (b, keys [i]) || !_py_eq (a [keys [i]], b [keys [i]])) return false;
        }
        return true;
    }
    if (a instanceof Array && b instanceof Array && !_is_set (a)) return _array_eq (a, b);
    if (typeof a == 'object' && a !== null && '__eq__' in a) return a.__eq__ (b);
    return a == b;
}
export function _py_ne (a, b) { return !_py_eq (a, b); }
function _array_eq (a, b) {
    if (a.length != b.length) return false;
    for (var i = 0; i < a.length; i++) { if (!_py_eq (a [i], b [i])) return false; }
    return true;
}
export function _py_delitem (container, key) {
    if (_is_dict (container)) {
        if (!Object.prototype.hasOwnProperty.call (container, key)) throw KeyError (repr (key), new Error ());
        delete container [key];
    }
    else if (container instanceof Array) {
        var at = key < 0 ? container.length + key : key;
        if (at < 0 || at >= container.length) throw IndexError ('list assignment index out of range', new Error ());
        container.splice (at, 1);
    }
    else if (typeof container == 'object' && container !== null && '__delitem__' in container) container.__delitem__ (key);
    else delete container [key];
}
export function _py_getattr (object, name, otherwise) {
    if (object === null || object === undefined) {
        if (arguments.length > 2) return otherwise;
        throw AttributeError ("'NoneType' object has no attribute '" + name + "'", new Error ());
    }
    if (name in Object (object)) return object [name];
    if ('py_' + name in Object (object)) return object ['py_' + name];
    if (arguments.length > 2) return otherwise;
    throw AttributeError ("'" + _type_name (object) + "' object has no attribute '" + name + "'", new Error ());
}
export function _py_list (iterable) {
    return list (_is_dict (iterable) ? iterable.py_keys () : iterable);
}
export function _py_tuple (iterable) {
    return tuple (_is_dict (iterable) ? iterable.py_keys () : iterable);
}
export function _py_or (a, b) {
    if (_is_set (a)) return a.union (b);
    if (typeof a == 'object' && a !== null && '__or__' in a) return a.__or__ (b);
    return a | b;
}
export function _py_and (a, b) {
    if (_is_set (a)) return a.intersection (b);
    if (typeof a == 'object' && a !== null && '__and__' in a) return a.__and__ (b);
    return a & b;
}
export function _py_xor (a, b) {
    if (_is_set (a)) return a.symmetric_difference (b);
    if (typeof a == 'object' && a !== null && '__xor__' in a) return a.__xor__ (b);
    return a ^ b;
}
export function _py_in (element, container) {
    if (_is_dict (container)) return Object.prototype.hasOwnProperty.call (container, element);
    return __in__ (element, container);
}
export function _py_iterable (any) {
    if (any === null || any === undefined) throw py_TypeError ("'NoneType' object is not iterable", new Error ());
    if (_is_dict (any)) return any.py_keys ();
    if (typeof any == 'string' || any instanceof Array) return any;
    if (typeof any.next == 'function' && typeof any [Symbol.iterator] == 'function') return new _Lazy (any);
    if (typeof any [Symbol.iterator] == 'function') return Array.from (any);
    return any;
}
// A generator walked by Transcrypt's loop (`i < len(it)`, then `it[i]`): each item is taken
// when the loop asks whether there is one more, just before the body that uses it, as
// Python's `for` does; an endless generator is fine.
function _Lazy (iterator) { this.iterator = iterator; this.items = []; this.done = false; }
_Lazy.prototype.__len__ = function () {
    if (!this.done) {
        var step = this.iterator.next ();
        if (step.done) this.done = true; else this.items.push (step.value);
    }
    return this.items.length;
};
_Lazy.prototype.__getitem__ = function (index) {
    var item = this.items [index];
    this.items [index] = undefined;  // walked once: let it go
    return item;
};

// f-strings (tooling/sketch_python.py): the parts joined, each value as str() writes it
export function _py_fjoin (parts) {
    var out = '';
    for (var i = 0; i < parts.length; i++) { out += typeof parts [i] == 'string' ? parts [i] : str (parts [i]); }
    return out;
}
// format(value, spec); ".2f" on a number straight from toFixed, with Python's ties to even
export function _py_format (value, spec) {
    var fixed = typeof value == 'number' && typeof spec == 'string' && isFinite (value) && /^\\.(\\d{1,2})f$/.exec (spec);
    if (fixed) {
        var digits = +fixed [1];
        if (value === 0 && 1 / value < 0) return '-' + (0).toFixed (digits);
        if (Math.abs (value) >= 1e21) return BigInt (value).toString () + (digits ? '.' + '0'.repeat (digits) : '');
        {
            var scaled = Math.abs (value) * Math.pow (10, digits);
            if (scaled - Math.floor (scaled) !== 0.5) return value.toFixed (digits);
            var down = Math.floor (scaled), even = down % 2 == 0 ? down : down + 1;
            return (value < 0 ? '-' : '') + (even / Math.pow (10, digits)).toFixed (digits);
        }
    }
    return format (value, spec);
}

// "%d%%" % x: Python's printf-style formatting
function _percent (template, values) {
    var args = values instanceof Array && py_typeof (values) !== list ? values : [values];
    var used = 0;
    var result = template.replace (/%([-+ 0#]*)(\\*|\\d+)?(?:\\.(\\d+))?([sdifeEgGxXorc%])/g,
        function (all, flags, width, precision, kind) {
            if (kind == '%') return '%';
            if (used >= args.length) throw py_TypeError ('not enough arguments for format string', new Error ());
            var value = args [used++];
            var spec = (flags.indexOf ('-') >= 0 ? '<' : '') + (flags.indexOf ('+') >= 0 ? '+' : '') +
                       (flags.indexOf (' ') >= 0 ? ' ' : '') + (flags.indexOf ('0') >= 0 && flags.indexOf ('-') < 0 ? '0' : '') +
                       (width || '') + (precision !== undefined ? '.' + precision : '');
            if (kind == 's') return format (str (value), spec.replace ('0', ''));
            if (kind == 'r') return format (repr (value), spec);
            if (kind == 'c') return typeof value == 'number' ? String.fromCharCode (value) : value;
            if (kind == 'i' || kind == 'd') {
                if (typeof value != 'number') throw py_TypeError ('%' + kind + ' format: a number is required, not ' + _type_name (value), new Error ());
                return format (Math.trunc (value), spec.replace (/\\.\\d+/, '') + 'd');
            }
            return format (value, spec + kind);
        });
    if (used < args.length) throw py_TypeError ('not all arguments converted during string formatting', new Error ());
    return result;
}
""")


_pending = {"text": "", "waiting": False}


def _flush():
    _pending["waiting"] = False
    if _pending["text"]:
        text = _pending["text"]
        _pending["text"] = ""
        console.log(text)


def _py_print(*args, sep=" ", end="\n", file=None, flush=False):
    """Python's ``print``: ``sep`` and ``end`` too (a line without its end waits for the next
    print, or for the end of the current task)."""
    text = _pending["text"] + sep.join([str(arg) for arg in args]) + ("" if end is None else end)
    if text.endswith("\n"):
        _pending["text"] = ""
        console.log(text[:-1])
        return
    _pending["text"] = text
    if not _pending["waiting"]:
        _pending["waiting"] = True
        window.setTimeout(_flush, 0)
