"""``import random`` in a browser sketch: CPython's numbers (the build swaps it in; Transcrypt only).

CPython's generator (the Mersenne Twister, MT19937) and its way of turning its words into
numbers, written again here, so that after ``random.seed(42)`` a sketch draws the very
numbers ``python sketch.py`` draws: ``random()``, ``uniform``, ``randint``, ``randrange``,
``choice``, ``shuffle``, ``sample``, ``gauss``. Without ``seed`` it starts from the clock.
Seeds are whole numbers (up to 2**53) or text; seeding with text differs from CPython.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')
# __pragma__ ('noiconv')

__pragma__ ('js', '{}', """
var _state = new Uint32Array (624), _index = 625, _gauss_next = null;

function _init_genrand (s) {
    _state [0] = s >>> 0;
    for (var i = 1; i < 624; i++) {
        var prev = _state [i - 1] ^ (_state [i - 1] >>> 30);
        _state [i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
    _index = 624;
}
function _init_by_array (key) {
    _init_genrand (19650218);
    var i = 1, j = 0, k = Math.max (624, key.length);
    for (; k; k--) {
        var prev = _state [i - 1] ^ (_state [i - 1] >>> 30);
        _state [i] = ((_state [i] ^ (((((prev & 0xffff0000) >>> 16) * 1664525) << 16) + (prev & 0x0000ffff) * 1664525)) + key [j] + j) >>> 0;
        i++; j++;
        if (i >= 624) { _state [0] = _state [623]; i = 1; }
        if (j >= key.length) j = 0;
    }
    for (k = 623; k; k--) {
        var prev2 = _state [i - 1] ^ (_state [i - 1] >>> 30);
        _state [i] = ((_state [i] ^ (((((prev2 & 0xffff0000) >>> 16) * 1566083941) << 16) + (prev2 & 0x0000ffff) * 1566083941)) - i) >>> 0;
        i++;
        if (i >= 624) { _state [0] = _state [623]; i = 1; }
    }
    _state [0] = 0x80000000;
    _index = 624;
}
function _word () {
    if (_index >= 624) {
        if (_index == 625) _init_genrand (5489);
        for (var kk = 0; kk < 624; kk++) {
            var y = (_state [kk] & 0x80000000) | (_state [(kk + 1) % 624] & 0x7fffffff);
            _state [kk] = _state [(kk + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
        }
        _index = 0;
    }
    var y = _state [_index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
}
export function _seed (value) {
    _gauss_next = null;
    if (value === undefined || value === null) value = Date.now () * 1000 + Math.floor (Math.random () * 1000);
    if (typeof value == 'string') {
        var hash = 0;
        for (var c = 0; c < value.length; c++) hash = (hash * 31 + value.charCodeAt (c)) % 9007199254740881;
        value = hash;
    }
    value = Math.abs (Math.floor (value));
    var key = [];
    while (value > 0) { key.push (value % 4294967296); value = Math.floor (value / 4294967296); }
    _init_by_array (key.length ? key : [0]);
}
export function _random () {
    var a = _word () >>> 5, b = _word () >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
}
export function _getrandbits (k) {
    if (k <= 32) return _word () >>> (32 - k);
    var result = 0, scale = 1;
    while (k > 0) {
        var word = _word ();
        if (k < 32) word = word >>> (32 - k);
        result += word * scale;
        scale *= 4294967296;
        k -= 32;
    }
    return result;
}
export function _randbelow (n) {
    if (n <= 0) throw ValueError ('empty range for randrange()', new Error ());
    var k = n.toString (2).length, r = _getrandbits (k);
    while (r >= n) r = _getrandbits (k);
    return r;
}
export function _gauss (mu, sigma) {
    var z = _gauss_next;
    _gauss_next = null;
    if (z === null) {
        var x2pi = _random () * 2 * Math.PI, g2rad = Math.sqrt (-2 * Math.log (1 - _random ()));
        z = Math.cos (x2pi) * g2rad;
        _gauss_next = Math.sin (x2pi) * g2rad;
    }
    return mu + z * sigma;
}
_seed ();
""")


def seed(a=None):
    _seed(a)


def random():
    return _random()


def getrandbits(k):
    return _getrandbits(k)


def uniform(a, b):
    return a + (b - a) * _random()


def randrange(start, stop=None, step=1):
    if stop == None:
        return _randbelow(start)
    width = stop - start
    if step == 1:
        return start + _randbelow(width)
    count = Math.floor((width + step - 1) / step) if step > 0 else Math.floor((width + step + 1) / step)
    return start + step * _randbelow(count)


def randint(a, b):
    return a + _randbelow(b - a + 1)


def choice(seq):
    if len(seq) == 0:
        raise IndexError("Cannot choose from an empty sequence")
    return seq[_randbelow(len(seq))]


def shuffle(x):
    for i in range(len(x) - 1, 0, -1):
        j = _randbelow(i + 1)
        x[i], x[j] = x[j], x[i]


def sample(population, k):
    pool = list(population)
    n = len(pool)
    if k < 0 or k > n:
        raise ValueError("Sample larger than population or is negative")
    size = 21
    if k > 5:
        size += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4))
    result = []
    if n <= size:
        for i in range(k):
            j = _randbelow(n - i)
            result.append(pool[j])
            pool[j] = pool[n - i - 1]
    else:
        chosen = {}
        for i in range(k):
            j = _randbelow(n)
            while j in chosen:
                j = _randbelow(n)
            chosen[j] = True
            result.append(pool[j])
    return result


def gauss(mu=0.0, sigma=1.0):
    return _gauss(mu, sigma)
