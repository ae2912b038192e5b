"""Reference and memory leaks of every bound function of every fixture: a
simple valid call is derived for each (first success over a small table of
candidate arguments), then repeated FUZZ_LEAK_CALLS times (100,000 in `make
fuzz`, a few thousand in `make test`).  The arguments' reference counts must
not change, and Python-side (tracemalloc) and process (RSS) memory must stay
bounded.  test_leaks.py holds the hand-written table of the foundation
fixtures; this file covers the rest by derivation."""
import gc
import itertools
import os
import sys
import tracemalloc

import numpy as np
import pytest

from conftest import build_fixtures, rss_bytes
from fuzz import targets

build_fixtures()
N = int(os.environ.get("FUZZ_LEAK_CALLS", 3000))

# Accumulate by design (a leak check would only measure the fixture's list),
# block, or start threads per call: left out.
SKIP = {"fx_gil.wait_for_signal",  # spins up to `seconds` waiting for a signal (test_gil.py)
        "fx_classes.keep", "fx_inheritance.store", "fx_buffers.stash",
        "fx_classes.kept"}   # traps on an index past the list (see known_crashes.py)
SKIP_MODULES = {"fx_jobs"}   # a thread per call; test_jobs.py checks their lifetimes

CANDIDATES = [1, 2.5, "a", b"ab", [1, 2], [1.5], ["a"], (1, "a", 2.5), (1.0, 2.0), (1, "a"),
              {"a": 1.5}, [{"k": [1]}], {1, 2}, None, len, bytearray(b"ab"), np.zeros((2, 2), "f4")]
CANDIDATES += [np.zeros(4, dt) for dt in ["f8", "f4", "f2", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "?"]]
try:   # Arrow producers, for the Arrow views' parameters (fx_arrow)
    import pyarrow as pa
except ImportError:
    pass
else:
    _sales = {"key": pa.array([1, 2], pa.int64()), "value": pa.array([1.5, 2.5]), "s": pa.array(["a", "bc"])}
    CANDIDATES += [pa.array([1, 2], pa.int64()), pa.array([1.5, 2.5]), pa.array(["a", "bc"]),
                   pa.array([True, None]), pa.table(_sales), pa.record_batch(_sales)]


def _fixture_instances():
    out = []
    for qual in sorted(targets.FACTORIES):
        if qual.startswith("fx_"):
            try:
                out.append(targets.make_instance(qual))
            except Exception:
                pass
    return out


def derive(fn, params, extra):
    """The first argument tuple (over CANDIDATES and fixture instances) that
    ``fn`` accepts, or None."""
    required = [p for p in params if p.kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD") and not p.has_default]
    pool = CANDIDATES + extra
    for args in itertools.islice(itertools.product(pool, repeat=len(required)), 4000):
        if any(p.bound and not (isinstance(a, int) and p.bound[0] <= a <= p.bound[1])
               for p, a in zip(required, args)):
            continue
        try:
            fn(*args)
        except Exception:
            continue
        return args
    return None


def calls():
    extra = _fixture_instances()
    out = []
    for t in targets.collect():
        if t.kind != "call" or t.name in SKIP or t.module in SKIP_MODULES:
            continue
        try:
            fn = targets.resolve(t)
        except AttributeError:
            continue
        args = derive(fn, t.params, extra)
        if args is not None:
            out.append((t.name, fn, args))
    return out


CALLS = calls()


def test_a_valid_call_was_derived_for_most_functions():
    # The user's functions: not the runtime's own `_swiftbind_*` helpers
    # (the pickle reconstructor every module carries), which test_fuzz.py
    # still fuzzes.
    funcs = [t for t in targets.collect() if t.kind == "call" and t.module not in SKIP_MODULES
             and not t.name.split(".")[-1].startswith("_swiftbind_")]
    assert len(CALLS) >= 0.75 * len(funcs), sorted({t.name for t in funcs} - {c[0] for c in CALLS})


@pytest.mark.parametrize("name, fn, args", CALLS, ids=[c[0] for c in CALLS])
def test_no_reference_leak(name, fn, args):
    for _ in range(100):
        fn(*args)
    gc.collect()
    before = [sys.getrefcount(a) for a in args]
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    for _ in range(N):
        fn(*args)
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    after = [sys.getrefcount(a) for a in args]
    assert after == before, f"{name}{args!r}: reference counts {before} -> {after}"
    # one leaked object per call would be >= 16 bytes * N
    assert grown < max(64 * 1024, 4 * N), f"{name}: Python memory grew {grown} bytes over {N} calls"


def test_process_memory_bounded_over_all_calls():
    for _, fn, args in CALLS:
        for _ in range(200):
            fn(*args)
    gc.collect()
    start = rss_bytes()
    total = 0
    for _, fn, args in CALLS:
        for _ in range(N):
            fn(*args)
        total += N
    gc.collect()
    grown = rss_bytes() - start
    # 8 bytes leaked per call would show as total * 8
    assert grown < max(8 * 1024 * 1024, total * 2), f"RSS grew by {grown / 1e6:.1f} MB over {total} calls"
