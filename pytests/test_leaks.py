"""Reference and memory leaks: every bound function of the foundation
fixtures called 100,000 times leaves its arguments' reference counts
unchanged and the process's memory bounded."""
import gc
import sys

import pytest

from conftest import load_fixture, rss_bytes

f = load_fixture("fx_functions")
c = load_fixture("fx_conversions")
e = load_fixture("fx_errors")

N = 100_000


def raises(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception:
        return True
    return False


# (name, call) pairs.  Each call uses the objects in ARGS so their reference
# counts can be checked afterwards; error paths are included.
TEXT = "héllo \U0001F600"
LIST = list(range(100))
DICT = {"a": 1.5, "b": 2.5}
NESTED = [{"k": [1, 2, 3]}]
BYTES = b"some bytes"
TUPLE = (1, "a", 2.5)
SET = {1, 2, 3}
OBJ = object()
BAD = "not a number"
ARGS = [TEXT, LIST, DICT, NESTED, BYTES, TUPLE, SET, OBJ, BAD]

CALLS = [
    ("noop", lambda: f.noop()),
    ("add", lambda: f.add(1, 2)),
    ("add kw", lambda: f.add(a=1, b=2)),
    ("kw", lambda: f.kw(1, b=2, c=3)),
    ("greet", lambda: f.greet(TEXT, greeting=TEXT)),
    ("varargs", lambda: f.varargs(1, 2, 3)),
    ("varkw", lambda: f.varkw(1, x=2)),
    ("passthrough", lambda: f.passthrough(OBJ, LIST, k=DICT)),
    ("string", lambda: c.string(TEXT)),
    ("bytes", lambda: c.bytes_(BYTES)),
    ("list", lambda: c.list_int(LIST)),
    ("dict", lambda: c.dict_(DICT)),
    ("nested", lambda: c.nested(NESTED)),
    ("tuple", lambda: c.tuple_(TUPLE)),
    ("set", lambda: c.set_(SET)),
    ("object", lambda: c.object_(OBJ)),
    ("point", lambda: c.point((1.0, 2.0))),
    ("optional", lambda: c.optional_int(None)),
    ("wrong type", lambda: raises(f.add, BAD, 1)),
    ("overflow", lambda: raises(c.int8, 1000)),
    ("missing arg", lambda: raises(f.add, 1)),
    ("bad keyword", lambda: raises(f.kw, 1, d=BAD)),
    ("nested error", lambda: raises(c.nested, [{"k": [1, BAD]}])),
    ("custom exception", lambda: raises(e.raise_custom, BAD)),
    ("callback", lambda: e.call(len, LIST)),
    ("callback raises", lambda: raises(e.call, int, BAD)),
]


@pytest.mark.parametrize("name, call", CALLS, ids=[n for n, _ in CALLS])
def test_no_reference_leak(name, call):
    for _ in range(100):
        call()
    gc.collect()
    before = [sys.getrefcount(a) for a in ARGS]
    for _ in range(N):
        call()
    gc.collect()
    after = [sys.getrefcount(a) for a in ARGS]
    assert after == before, f"{name}: reference counts changed {before} -> {after}"


def test_memory_bounded_over_all_calls():
    for _, call in CALLS:
        for _ in range(2_000):
            call()
    gc.collect()
    start = rss_bytes()
    for _, call in CALLS:
        for _ in range(20_000):
            call()
    gc.collect()
    grown = rss_bytes() - start
    # 520,000 calls; a leak of even 16 bytes per call would show as > 8 MB.
    assert grown < 4 * 1024 * 1024, f"RSS grew by {grown / 1e6:.1f} MB"
