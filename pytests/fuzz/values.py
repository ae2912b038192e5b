"""Hostile argument values, as hypothesis strategies.

Every strategy builds its objects afresh for each case: several of them
mutate or empty the container they live in while the runtime converts it,
so nothing here may be shared between cases.  The evil objects are held
only by their container (never by the harness), so emptying the container
frees them while the runtime may still hold a borrowed pointer: that is
the use-after-free the sanitizer runs look for.

``describe(value)`` writes a case down before it runs without calling
anything the fixtures implement (a crash while describing would lose the
case).
"""
from __future__ import annotations

import array
import math
import sys

import numpy as np
from hypothesis import strategies as st


class Hostile(Exception):
    """Raised on purpose by the fuzzer's evil objects: fine to see."""


# -- numbers -----------------------------------------------------------------

EDGE_INTS = [0, 1, -1, 2, 7, 255, 256, -128, -129, 65535, 65536,
             2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32, 2**53 + 1,
             2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64 - 1, 2**64, -2**64,
             2**1000, -2**1000, True, False]
EDGE_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, math.nan, -math.nan, math.inf, -math.inf,
               5e-324, -5e-324, 2.2250738585072014e-308, 1e-310, sys.float_info.max,
               -sys.float_info.max, 3.4028235e38, 3.4028236e38, 1e39, 65504.0, 65520.0,
               2.0**63, 2.0**64, 9007199254740993.0]

ints = st.one_of(st.sampled_from(EDGE_INTS), st.integers(),
                 st.integers(-2**70, 2**70))
floats = st.one_of(st.sampled_from(EDGE_FLOATS), st.floats(allow_nan=True, allow_infinity=True,
                                                           allow_subnormal=True))


class IntSub(int):
    def __repr__(self):
        return f"IntSub({int(self)})"


class FloatSub(float):
    def __repr__(self):
        return f"FloatSub({float(self)})"


class StrSub(str):
    """A str subclass whose hash and equality raise (dict keys, sets)."""
    def __hash__(self):
        raise Hostile("StrSub.__hash__")

    def __eq__(self, other):
        raise Hostile("StrSub.__eq__")


class Evil:
    """One dunder that raises, lies or mutates; ``box`` is the container."""
    desc = "Evil"

    def __init__(self, kind, value=1, box=None):
        self.kind, self.value, self.box = kind, value, box
        self.desc = f"Evil({kind!r}, {describe(value)})"

    def _act(self, name):
        if self.kind == "raise":
            raise Hostile(name)
        if self.kind == "clear" and self.box is not None:
            box, self.box = self.box, None  # drop our own reference too
            box.clear()
        if self.kind == "mutate" and self.box is not None:
            self.box.append(self.box)       # grows (and recurses) while converted
        return self.value

    def __index__(self):
        v = self._act("__index__")
        return v if self.kind != "wrong" else "not an int"

    def __int__(self):
        return self.__index__()

    def __float__(self):
        v = self._act("__float__")
        if self.kind == "wrong":
            return "not a float"
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 2**1000 else 1.5

    def __bool__(self):
        self._act("__bool__")
        return True

    def __len__(self):
        v = self._act("__len__")
        return v if isinstance(v, int) else 3

    def __iter__(self):
        self._act("__iter__")
        return iter([1, 2, 3])

    def __getitem__(self, key):
        self._act("__getitem__")
        return self.value

    def __eq__(self, other):
        self._act("__eq__")
        return True

    def __hash__(self):
        self._act("__hash__")
        return 1

    def __repr__(self):
        self._act("__repr__")
        return "Evil()"

    __str__ = __repr__


class LyingSeq:
    """A sequence whose __len__ says one thing and __getitem__ another."""
    def __init__(self, claimed, real):
        self.claimed, self.real = claimed, real
        self.desc = f"LyingSeq(claims {claimed}, has {real})"

    def __len__(self):
        return self.claimed

    def __getitem__(self, i):
        if 0 <= i < self.real:
            return i
        raise IndexError(i)


class LyingList(list):
    """A list subclass whose __len__ and __iter__ disagree with its storage."""
    def __len__(self):
        return 1000

    def __iter__(self):
        raise Hostile("LyingList.__iter__")


class EvilIter:
    """An iterable that yields some items and then raises (never infinite)."""
    def __init__(self, n):
        self.n = n
        self.desc = f"EvilIter({n})"

    def __iter__(self):
        for i in range(self.n):
            yield i
        raise Hostile("EvilIter")


class EvilMapping:
    def __init__(self, kind):
        self.kind = kind
        self.desc = f"EvilMapping({kind!r})"

    def keys(self):
        if self.kind == "keys":
            raise Hostile("keys")
        return ["a", "b"]

    def items(self):
        raise Hostile("items")

    def __getitem__(self, k):
        raise Hostile("__getitem__")

    def __len__(self):
        return 2

    def __iter__(self):
        return iter(["a", "b"])


class FakeClass:
    """Claims to be an int through __class__ (isinstance() believes it)."""
    desc = "FakeClass()"

    @property
    def __class__(self):
        return int


def evil_in_list(kind, value, n, position, element_kind):
    """A list of n plain elements with one Evil at ``position``; the Evil
    holds the list and (kind='clear') empties it while it is converted."""
    box = [1.5 if element_kind == "float" else 1 for _ in range(n)]
    box.insert(min(position, n), Evil(kind, value, box))
    return box


def evil_in_nested(kind, value):
    inner = []
    inner.extend([1, Evil(kind, value, inner), 2])
    return [{"k": inner}]


def deep_list(depth, leaf):
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


def self_containing():
    a = [1, 2]
    a.append(a)
    return a


def bad_callable(kind):
    def callback(*args, **kwargs):
        if kind == "raise":
            raise Hostile("callback")
        if kind == "evil":
            return Evil("raise")
        if kind == "str":
            return "not what you wanted"
        if kind == "big":
            return 2**100
        return 1
    callback.desc = f"callback({kind!r})"
    return callback


# -- buffers and arrays --------------------------------------------------------

DTYPES = ["?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16",
          ">i2", ">i4", ">i8", ">u4", ">f4", ">f8", ">f2", "<f8", "O", "U3", "S3", "M8[s]",
          "V8", [("a", "i4"), ("b", "f8")]]
SHAPES = [(), (0,), (1,), (5,), (2, 3), (3, 2), (0, 3), (3, 0), (2, 3, 4), (1, 1, 1, 1, 1), (7, 1)]
VARIANTS = ["c", "fortran", "step2", "reversed", "readonly", "broadcast", "transposed", "byteswapped"]


def make_array(dtype, shape, variant, fill):
    n = int(np.prod(shape, dtype=np.int64)) if shape else 1
    base = np.arange(n * 2 + 2, dtype="f8") * fill
    try:
        if np.dtype(dtype).kind == "V" and not np.dtype(dtype).names:
            a = np.zeros(shape, dtype=dtype)
        else:
            a = np.resize(base, n).astype(dtype).reshape(shape)
    except (ValueError, TypeError, OverflowError):
        a = np.zeros(shape, dtype=dtype)
    if variant == "fortran":
        a = np.asfortranarray(a)
    elif variant == "step2" and a.ndim:
        a = np.repeat(a, 2, axis=0)[::2]
    elif variant == "reversed" and a.ndim:
        a = a[::-1]
    elif variant == "readonly":
        a.flags.writeable = False
    elif variant == "broadcast" and a.ndim:
        a = np.broadcast_to(a[:1], (3,) + a.shape[1:]) if a.shape[0] else a
    elif variant == "transposed":
        a = a.T
    elif variant == "byteswapped" and a.dtype.kind in "iufc":
        a = a.astype(a.dtype.newbyteorder())
    return a


def make_buffer(kind, data):
    if kind == "bytearray":
        return bytearray(data)
    if kind == "memoryview":
        return memoryview(bytes(data))
    if kind == "mv_step":
        return memoryview(bytearray(data))[::2]
    if kind == "mv_cast_d":
        return memoryview(bytes(data[: len(data) // 8 * 8])).cast("d")
    if kind == "mv_released":
        m = memoryview(bytes(data))
        m.release()
        return m
    if kind == "array_d":
        return array.array("d", [float(b) for b in data])
    if kind == "array_i":
        return array.array("i", list(data))
    return bytes(data)


def _const(v):
    return lambda: v


def _call(factory):
    return factory()


ARRAY_FACTORIES = [(lambda d=d, s=s, v=v: make_array(d, s, v, 1.0))
                   for d in DTYPES for s in SHAPES for v in VARIANTS]
ARRAY_FACTORIES += [lambda: make_array("f8", (3,), "c", 1e308), lambda: make_array("f4", (2, 2), "c", -1e30)]

BUFFER_KINDS = ["bytes", "bytearray", "memoryview", "mv_step", "mv_cast_d", "mv_released", "array_d", "array_i"]
BUFFER_FACTORIES = [(lambda k=k, b=b: make_buffer(k, b)) for k in BUFFER_KINDS
                    for b in [b"", b"a", b"abc", bytes(range(16)), bytes(64)]]

# -- text ------------------------------------------------------------------------

EDGE_STRINGS = ["", "\0", "a\0b", "\ud800", "\udfff", "x\udc80y", "\U0001F600", "é", "e\u0301",
                "\uffff", "\U0010ffff", "x" * 5000, "1", "-1", "1e5", "eur", "red", "low",
                "TypeError", "ValueError", "KeyError", "__class__", "area"]
texts = st.one_of(st.sampled_from(EDGE_STRINGS),
                  st.text(st.characters(blacklist_categories=()), max_size=20))

# -- everything ----------------------------------------------------------------------

EVIL_KINDS = ["raise", "clear", "wrong", "value", "mutate"]
EVIL_VALUES = [1, 0, -1, 2**31, 2**63, 2**64, 2**1000, -2**1000, 1.5, math.nan]

EVIL_FACTORIES = (
    [(lambda k=k, v=v: Evil(k, v)) for k in EVIL_KINDS for v in EVIL_VALUES]
    + [(lambda k=k, v=v, n=n, p=p, e=e: evil_in_list(k, v, n, p, e))
       for k in ["clear", "raise", "mutate", "value"] for v in EVIL_VALUES
       for n in [0, 1, 3] for p in [0, 1, 3] for e in ["int", "float"]]
    + [(lambda k=k, v=v: evil_in_nested(k, v)) for k in ["clear", "raise"] for v in EVIL_VALUES]
    + [(lambda c=c, r=r: LyingSeq(c, r)) for c in [-1, 0, 3, 10**6, 2**62] for r in [0, 1, 3]]
    + [lambda: LyingList([1, 2]), lambda: LyingList(), lambda: EvilMapping("keys"),
       lambda: EvilMapping("items"), FakeClass, self_containing]
    + [(lambda n=n: EvilIter(n)) for n in [0, 1, 5]]
    + [(lambda n=n, leaf=leaf: deep_list(n, leaf)) for n in [50, 1000, 30_000, 200_000] for leaf in [1, 1.5, "s"]]
    + [(lambda k=k: bad_callable(k)) for k in ["raise", "evil", "str", "big", "ok"]]
    + [(lambda t=t: StrSub(t)) for t in ["", "a", "x", "\ud800"]]
)

SCALAR_FACTORIES = [_const(v) for v in EDGE_INTS + EDGE_FLOATS + EDGE_STRINGS] + [
    _const(None), _const(b""), _const(b"\0\xff"), _const(1j), _const(complex(math.nan, math.inf)),
    lambda: IntSub(2**63), lambda: IntSub(-1), lambda: IntSub(5), lambda: FloatSub(math.nan), lambda: FloatSub(2.5),
    lambda: np.int64(3), lambda: np.float32(1.5), lambda: np.uint8(255), lambda: np.float16(math.inf),
    lambda: np.bool_(True), lambda: np.int8(-1), lambda: np.float64(math.nan), lambda: np.uint64(2**64 - 1),
    object, _const(type), _const(len), _const(print), _const(Ellipsis), _const(NotImplemented), _const(int),
    _const(float), _const(Hostile), lambda: Hostile("as a value"),
]

CONTAINER_FACTORIES = [
    list, lambda: [1, 2, 3], lambda: [1.5, math.nan, -0.0], lambda: ["a", "\ud800", ""], lambda: [None],
    lambda: [[]], lambda: [[1, 2], [3]], lambda: [[1.0, 2.0], [3.0, 4.0]], lambda: [[1.0, 2.0], [3.0]],
    lambda: [1, "a", 2.5], lambda: (1, "a", 2.5), lambda: (1.0, 2.0), lambda: (2**64, "x"), lambda: ("x", 1),
    tuple, lambda: (1,), lambda: (1, 2, 3, 4), lambda: {"a": 1.5, "b": math.inf}, lambda: {"k": [1, 2]},
    lambda: [{"k": [1, 2, 3]}], lambda: [{"k": [2**64]}], lambda: [{1: [1]}], lambda: {1: 2}, dict,
    lambda: {"a": "b"}, lambda: {"\ud800": 1.0}, lambda: {1, 2, 3}, set, lambda: frozenset({1, 2}),
    lambda: {2**64, -1}, lambda: list(range(1000)), lambda: [2**63] * 3, lambda: [True, False],
    lambda: [np.float32(1.5), np.int64(2)], lambda: [b"ab", bytearray(b"c")], lambda: deep_list(5, 1.0),
    lambda: range(5), lambda: iter([1, 2, 3]), lambda: (x for x in range(3)), lambda: {"a": 1}.keys(),
]


def hostile(extra=st.nothing()):
    """Any hostile value (a fresh object per draw); ``extra`` adds the
    fixture's own instances.  Each branch is one index drawn from a table of
    builders, which keeps hypothesis's cost per case low."""
    return st.one_of(
        st.sampled_from(SCALAR_FACTORIES).map(_call), st.sampled_from(CONTAINER_FACTORIES).map(_call),
        st.sampled_from(EVIL_FACTORIES).map(_call), st.sampled_from(BUFFER_FACTORIES).map(_call),
        st.sampled_from(ARRAY_FACTORIES).map(_call), ints, floats, texts, extra)


NON_INT = ([f for f in SCALAR_FACTORIES if not hasattr(f(), "__index__") or isinstance(f(), bool)]
           + CONTAINER_FACTORIES[:30] + BUFFER_FACTORIES + ARRAY_FACTORIES[::40]
           + [lambda: Evil("raise"), lambda: Evil("wrong")])


def bounded_int(lo, hi):
    """For parameters that size work (loops, allocations, sleeps): only small
    integers, but still every non-integer hostile value."""
    small = st.integers(lo, hi)
    return st.one_of(small, small.map(IntSub), st.sampled_from(NON_INT).map(_call))


TIMEOUTS = [0, 0.0, 0.001, 0.05, 1, 0.5, -1, -0.0, math.nan, -math.inf, 2.0**70, -2**63, None,
            "1", math.inf]
timeouts = st.sampled_from(TIMEOUTS)

# -- describing a case ------------------------------------------------------------

_PLAIN = (int, float, complex, bool, type(None), bytes, bytearray)


def describe(v, depth=0, limit=160):
    text = _describe(v, depth)
    return text if len(text) <= limit else text[: limit - 20] + f"...<{len(text)} chars>"


def _describe(v, depth):
    d = getattr(type(v), "desc", None)
    if isinstance(d, str) and isinstance(getattr(v, "desc", None), str):
        return v.desc
    if getattr(v, "desc", None) and callable(v):
        return v.desc
    t = type(v)
    if t in _PLAIN or t is str:
        r = repr(v)
        return r if len(r) < 120 else r[:100] + f"...<{len(r)} chars>"
    if isinstance(v, (IntSub, FloatSub)):
        return repr(v)
    if isinstance(v, StrSub):
        return f"StrSub({str.__repr__(v)[:40]})"
    if isinstance(v, np.ndarray):
        return (f"ndarray(dtype={v.dtype.str if v.dtype.names is None else v.dtype.descr}, "
                f"shape={v.shape}, strides={v.strides}, c={v.flags.c_contiguous}, "
                f"writeable={v.flags.writeable})")
    if isinstance(v, np.generic):
        return f"np.{type(v).__name__}({v!r})"
    if isinstance(v, memoryview):
        try:
            return f"memoryview(format={v.format!r}, shape={v.shape}, strides={v.strides})"
        except ValueError:
            return "memoryview(released)"
    if isinstance(v, array.array):
        return f"array({v.typecode!r}, len={len(v)})"
    if depth > 6:
        return f"<{t.__name__} nested deeper>"
    if t in (list, tuple, set, frozenset):
        items = list(v)[:6]
        if t is list and len(v) == 1 and isinstance(v[0], list):
            n, x = 0, v
            while type(x) is list and len(x) == 1 and n < 100_000:
                x, n = x[0], n + 1
            if n > 6:
                return f"deep_list({n}, {_describe(x, depth + 1)})"
        inner = ", ".join(_describe(x, depth + 1) if x is not v else "<self>" for x in items)
        more = ", ..." if len(v) > 6 else ""
        return {list: "[%s]", tuple: "(%s,)", set: "{%s}", frozenset: "frozenset({%s})"}[t] % (inner + more)
    if t is dict:
        inner = ", ".join(f"{_describe(k, depth + 1)}: {_describe(x, depth + 1)}"
                          for k, x in list(v.items())[:5])
        return "{" + inner + "}"
    if isinstance(v, type):
        return f"<class {v.__module__}.{v.__qualname__}>"
    name = getattr(v, "__name__", None)
    if callable(v) and isinstance(name, str):
        return f"<callable {name}>"
    return f"<{t.__module__}.{t.__qualname__} object>"
