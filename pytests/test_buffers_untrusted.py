"""Buffers and arrays never trap on what Python passes (fixture fx_buffers).

Every case here once killed the interpreter (segfault, stack overflow,
SIGABRT, SIGILL); each must now raise the exception NumPy or CPython would
raise, with a message that names the parameter.  Cases that crashed run in
a fresh interpreter (``outcomes``), so a regression fails one test instead
of ending the session; the rest, and the leak checks, run in-process.
"""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import HERE, build_fixtures, load_fixture

np = pytest.importorskip("numpy")
fx = load_fixture("fx_buffers")

# Items whose conversion changes the list that holds them.
EVIL = textwrap.dedent("""
    class Emptier:
        def __init__(self, victim): self.victim = victim
        def __float__(self): self.victim.clear(); return 1.0
        def __index__(self): self.victim.clear(); return 1
    class Grower:
        def __init__(self, victim): self.victim = victim
        def __float__(self): self.victim.append(2.0); return 1.0
    def emptied():
        victim = []
        victim.extend([Emptier(victim), 1.0, 2.0, 3.0])
        return victim
    def emptied_inner():
        inner = []
        inner.extend([Emptier(inner), 1.0])
        return [inner, [1.0, 2.0]]
    def grown():
        victim = []
        victim.extend([Grower(victim), 1.0])
        return victim
    def nested(depth, leaf=1.0):
        x = leaf
        for _ in range(depth):
            x = [x]
        return x
""")


def outcomes(*exprs: str, setup: str = "") -> list[tuple[str, str]]:
    """Evaluates each expression in one fresh interpreter, in order, and
    returns (exception class name, message) or ("ok", repr(result)) for
    each.  A crash fails the test and names the expression that caused it."""
    code = textwrap.dedent(f"""
        import json, sys
        import numpy as np
        import fx_buffers as fx
        exec({EVIL!r})
        exec({setup!r})
        results = []
        for src in {list(exprs)!r}:
            print("evaluating:", src, file=sys.stderr, flush=True)
            try:
                results.append(("ok", repr(eval(src))))
            except BaseException as e:
                results.append((type(e).__name__, str(e)))
        print(json.dumps(results))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(build_fixtures())), cwd=HERE)
    last = r.stderr.strip().splitlines()[-1:] if r.stderr.strip() else []
    assert r.returncode == 0, f"interpreter died (rc {r.returncode}) at {last}:\n{r.stderr[-3000:]}"
    return [tuple(x) for x in json.loads(r.stdout.strip().splitlines()[-1])]


# -- item 1: copying conversions of lists ---------------------------------------------

def test_list_emptied_by_an_items_float_is_an_error_not_a_read_past_the_end():
    got = outcomes("fx.copy_f32(emptied())", "fx.copy_i32(emptied())", "fx.or_copy_f32(emptied())",
                   "fx.copy_f32(emptied_inner())", "fx.copy_f32(grown())")
    assert got[0] == ("RuntimeError", "copy_f32() argument 'data': list changed size during conversion (from 4 to 0 items)")
    assert got[1] == ("RuntimeError", "copy_i32() argument 'data': list changed size during conversion (from 4 to 0 items)")
    assert got[2] == ("RuntimeError", "or_copy_f32() argument 'data': list changed size during conversion (from 4 to 0 items)")
    assert got[3] == ("RuntimeError", "copy_f32() argument 'data': list changed size during conversion (from 2 to 0 items at item [0])")
    assert got[4] == ("RuntimeError", "copy_f32() argument 'data': list changed size during conversion (from 2 to 3 items)")


def test_nesting_is_capped_at_64_dimensions_like_numpy():
    got = outcomes("fx.copy_ndim(nested(64))", "fx.copy_ndim(nested(65))", "fx.copy_ndim(nested(10_000))",
                   "fx.copy_ndim(nested(100_000))", "fx.or_copy_f32(nested(100_000))",
                   "fx.copy_ndim(nested(100_000, leaf=[]))")
    assert got[0] == ("ok", "64")
    message = "argument 'data': the nested sequence has more than 64 dimensions (the most an array may have)"
    assert got[1] == ("ValueError", f"copy_ndim() {message}")
    assert got[2] == got[3] == got[5] == got[1]
    assert got[4] == ("ValueError", f"or_copy_f32() {message}")
    with pytest.raises(ValueError):           # NumPy agrees on the limit
        np.array(_evil_namespace()["nested"](65))


def _evil_namespace() -> dict:
    ns: dict = {}
    exec(EVIL, ns)
    return ns


def test_list_that_contains_itself_is_a_value_error():
    got = outcomes("fx.copy_f32(loop)", setup="loop = []\nloop.append(loop)")
    assert got == [("ValueError", "copy_f32() argument 'data': the nested sequence has more than 64 dimensions "
                                  "(the most an array may have)")]


def test_ragged_lists_in_every_arrangement_are_value_errors():
    for bad, detail in [
        ([[1, 2], [3]], "expected 2 items at item [1], got 1"),
        ([1, [2]], "expected a number at item [1], got a sequence"),
        ([[1], 2], "expected a sequence at item [1], got a number"),
        ([[[]], [1]], "expected a sequence at item [1][0], got a number"),
        ([[1], [[2]]], "expected a number at item [1][0], got a sequence"),
    ]:
        with pytest.raises(ValueError) as e:
            fx.copy_f32(bad)
        assert str(e.value) == f"copy_f32() argument 'data': ragged nested sequence: {detail}", bad
    assert fx.copy_f32([[], []]) == ([], [2, 0])
    assert fx.copy_f32(((1, 2), [3, 4])) == ([1, 2, 3, 4], [2, 2])


def test_element_errors_name_the_full_position():
    with pytest.raises(TypeError, match=r"^copy_f32\(\) argument 'data' item \[1\]\[0\] must be float, not str$"):
        fx.copy_f32([[1], ["x"]])


def test_uint64_above_int64_max_converts():
    assert fx.copy_u64([2**64 - 1, 0]) == ([2**64 - 1, 0], [2])
    with pytest.raises(OverflowError):
        fx.copy_u64([-1])


# -- item 1: copying conversions of buffers -------------------------------------------

def test_copy_that_cannot_be_allocated_is_a_memory_error_not_an_abort():
    got = outcomes("fx.copy_f32(np.broadcast_to(np.float32(1), (2**30, 2**30)))",
                   "fx.or_copy_f32(np.broadcast_to(np.float32(1), (2**30, 2**30)))",
                   "fx.copy_f32(np.broadcast_to(np.uint8(1), (2**31, 2**31)))")
    assert got[0] == ("MemoryError", "copy_f32() argument 'data': unable to allocate 4.00 EiB for an array with "
                                     "shape (1073741824, 1073741824) and data type float32")
    assert got[1][0] == "MemoryError" and got[1][1].startswith("or_copy_f32() argument 'data': unable to allocate")
    # 2**62 float32 elements: the byte count does not fit in an int at all.
    assert got[2] == ("ValueError", "copy_f32() argument 'data': array is too big: shape (2147483648, 2147483648) "
                                    f"of float32 is more than {2**63 - 1} bytes")


def test_broadcast_copy_of_a_reasonable_size_still_works():
    values, shape = fx.copy_f32(np.broadcast_to(np.float64(2), (3, 4)))
    assert values == [2.0] * 12 and shape == [3, 4]


# -- item 2: NDArray initialisers with numbers from Python ------------------------------

def test_ndarray_initialisers_raise_what_numpy_raises():
    got = outcomes("fx.full_f64([-1])", "fx.full_f64([2, -3])", "fx.full_f64([2**40, 2**40])", "fx.full_f64([2**62])",
                   "fx.full_f64([2**59])", "fx.zeros_f32([2**60])", "fx.reshape_f64([1.0, 2.0], [3])",
                   "fx.reshape_f64([1.0], [-1])", "fx.full_f64([1] * 65)", "fx.filled_i64([2**40, 2**40])",
                   "fx.filled_i64([-5])", "fx.eye(-1)", "fx.ramp_shaped(2**40, 2**40)", "fx.zeros_u8(-1)")
    too_big = f"is more than {2**63 - 1} bytes"
    assert got == [
        ("ValueError", "NDArray: negative dimensions are not allowed, got shape (-1,)"),
        ("ValueError", "NDArray: negative dimensions are not allowed, got shape (2, -3)"),
        ("ValueError", f"NDArray: array is too big: shape (1099511627776, 1099511627776) of float64 {too_big}"),
        ("ValueError", f"NDArray: array is too big: shape (4611686018427387904,) of float64 {too_big}"),
        ("MemoryError", "NDArray: unable to allocate 4.00 EiB for an array with shape (576460752303423488,) and data type float64"),
        ("MemoryError", "NDArray: unable to allocate 4.00 EiB for an array with shape (1152921504606846976,) and data type float32"),
        ("ValueError", "NDArray: 2 values do not fill shape (3,)"),
        ("ValueError", "NDArray: negative dimensions are not allowed, got shape (-1,)"),
        ("ValueError", "NDArray: maximum supported dimension for an array is 64, found 65"),
        ("ValueError", f"NDArray: array is too big: shape (1099511627776, 1099511627776) of int64 {too_big}"),
        ("ValueError", "NDArray: negative dimensions are not allowed, got shape (-5,)"),
        ("ValueError", "NDArray: negative dimensions are not allowed, got shape (-1, -1)"),
        ("ValueError", f"NDArray: array is too big: shape (1099511627776, 1099511627776) of int32 {too_big}"),
        ("ValueError", "NDArray: negative dimensions are not allowed, got shape (-1,)"),
    ]
    # The same cases in NumPy: the same classes.
    for shape, error in [([-1], ValueError), ([2**40, 2**40], ValueError), ([2**62], ValueError)]:
        with pytest.raises(error):
            np.empty(shape)


def test_ndarray_initialisers_still_make_arrays():
    assert np.asarray(fx.full_f64([2, 3], 1.5)).tolist() == [[1.5] * 3] * 2
    assert np.asarray(fx.full_f64([0, 2**40])).shape == (0, 2**40)     # no element: nothing to allocate
    assert np.asarray(fx.full_f64([])).tolist() == 1.0                 # 0-d
    assert np.asarray(fx.zeros_f32([4])).tolist() == [0.0] * 4
    assert np.asarray(fx.reshape_f64([1.0, 2.0, 3.0, 4.0], [2, 2])).tolist() == [[1, 2], [3, 4]]
    assert np.asarray(fx.filled_i64([2, 3])).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert np.asarray(fx.eye(2)).tolist() == [[1, 0], [0, 1]]
    assert np.asarray(fx.eye(0)).shape == (0, 0)
    assert np.asarray(fx.full_f64([1] * 64)).ndim == 64


def test_zeroed_array_comes_from_the_allocator():
    # calloc'd memory: 256 MiB of zeros, read at both ends only.
    a = np.asarray(fx.zeros_f32([1 << 26]))
    assert a.nbytes == 1 << 28 and a[0] == 0 and a[-1] == 0


# -- item 4: the rest of Buffers/ ----------------------------------------------------

def test_fixture_ramps_check_their_size():
    got = outcomes("fx.ramp_f32(-1)", "fx.ramp_u8(-3)")
    assert got == [("ValueError", "ramp_f32() argument 'n' must be >= 0, not -1"),
                   ("ValueError", "ramp_u8() argument 'n' must be >= 0, not -3")]


def test_pythonbytes_negative_count_is_a_value_error():
    got = outcomes("fx.new_bytes(-1)", "fx.new_bytes(3)")
    assert got == [("ValueError", "PythonBytes: count must be >= 0, not -1"), ("ok", "b'\\x07\\x07\\x07'")]


def test_non_contiguous_bytes_argument_names_the_parameter():
    strided = np.arange(10, dtype=np.uint8)[::2]
    with pytest.raises(ValueError) as e:
        fx.bytes_len(strided)
    assert str(e.value) == ("bytes_len() argument 'data': needs a C-contiguous buffer, but this numpy.ndarray has "
                            "shape (5,) and strides (2,) (pass bytes(x) or numpy.ascontiguousarray(x))")
    with pytest.raises(ValueError, match=r"^bytes_len\(\) argument 'data': needs a C-contiguous buffer"):
        fx.bytes_len(memoryview(bytes(range(10)))[::3])
    assert fx.bytes_len(np.ascontiguousarray(strided)) == 5
    assert fx.bytes_len(b"abc") == 3


def test_strided_view_of_a_broadcast_array():
    # 2**60 elements of stride 0: the count fits, no memory behind it is needed.
    big = np.broadcast_to(np.uint8(1), (2**30, 2**30))
    assert fx.strided_count(big) == 2**60


# -- no leaks on the error paths ------------------------------------------------------

def test_error_paths_leak_no_references():
    ns = _evil_namespace()
    sentinel = 1.5
    items = [[sentinel, sentinel], [sentinel]]                   # ragged
    deep = ns["nested"](70, leaf=sentinel)
    strided = np.arange(10, dtype=np.uint8)[::2]

    def run():
        for _ in range(2000):
            for call in (lambda: fx.copy_f32(items), lambda: fx.copy_f32(deep), lambda: fx.copy_f32(ns["emptied"]()),
                         lambda: fx.full_f64([-1]), lambda: fx.bytes_len(strided),
                         lambda: fx.copy_f32([[sentinel], ["x"]])):
                try:
                    call()
                except (ValueError, RuntimeError, TypeError):
                    pass
                else:
                    raise AssertionError("expected an error")
    run()                                                         # warm up
    gc.collect()
    before = (sys.getrefcount(sentinel), sys.getrefcount(strided), fx.live_exports())
    run()
    gc.collect()
    assert (sys.getrefcount(sentinel), sys.getrefcount(strided), fx.live_exports()) == before


def test_docs_eye_example_is_the_tested_one():
    # docs/buffers.md's eye(n) is compiled as fx_buffers.eye; eye(-1) must be a
    # ValueError there too (it used to die in NDArray's precondition).
    doc = (HERE.parent / "docs" / "buffers.md").read_text()
    fixture = (HERE / "fixtures" / "Sources" / "fx_buffers" / "fx_buffers.swift").read_text()
    start = doc.index('m.def("eye(n)")')
    block = doc[start:doc.index("\n}\n", start) + 2]
    lines = [line.strip() for line in block.splitlines()]
    fixture_lines = [line.strip() for line in fixture.splitlines()]
    at = fixture_lines.index(lines[0])
    assert fixture_lines[at:at + len(lines)] == lines
    with pytest.raises(ValueError, match=r"^NDArray: negative dimensions are not allowed, got shape \(-1, -1\)$"):
        fx.eye(-1)


def test_checked_element_access_raises_index_error_like_numpy():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert fx.nd_get(a, 2, 1) == 9.0
    fx.nd_set(a, 0, 3, 7.5)
    assert a[0, 3] == 7.5
    d = np.arange(12.0).reshape(3, 4)
    assert fx.strided_get(d.T, 3, 1) == d.T[3, 1]
    fx.strided_set(d.T, 3, 1, -1.0)
    assert d[1, 3] == -1.0
    assert (fx.eye_get(3, 1, 1), fx.eye_get(3, 0, 2)) == (1.0, 0.0)
    for call, message in [
        (lambda: fx.nd_get(a, 3, 0), "index 3 is out of bounds for axis 0 with size 3"),
        (lambda: fx.nd_get(a, 0, -1), "index -1 is out of bounds for axis 1 with size 4"),
        (lambda: fx.nd_set(a, 2**62, 0, 1.0), f"index {2**62} is out of bounds for axis 0 with size 3"),
        (lambda: fx.nd_get(np.zeros(3, np.float32), 0, 0), "wrong number of indices for array: array is 1-dimensional, but 2 were indexed"),
        (lambda: fx.strided_get(d.T, 4, 0), "index 4 is out of bounds for axis 0 with size 4"),
        (lambda: fx.strided_set(d[:, ::2], 0, 2, 1.0), "index 2 is out of bounds for axis 1 with size 2"),
        (lambda: fx.eye_get(2, 0, 5), "index 5 is out of bounds for axis 1 with size 2"),
    ]:
        with pytest.raises(IndexError) as e:
            call()
        assert str(e.value) == message
    with pytest.raises(IndexError):          # NumPy raises the same class
        a[3, 0]
