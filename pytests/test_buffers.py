"""Zero-copy data: typed buffer views in, Swift memory out (fixture fx_buffers).

Covers every NumPy numeric dtype, the standard exporters (bytes, bytearray,
memoryview, array.array, mmap, PyArrow when installed), N-D and strided
layouts, the error messages for wrong dtype / read-only / non-contiguous
input, lifetimes in both directions, leaks over 100,000 calls and a lazily
zeroed 5 GiB array passed in without a copy.
"""
from __future__ import annotations

import array
import gc
import mmap
import sys
import threading
import weakref

import pytest

from conftest import load_fixture, rss_bytes

np = pytest.importorskip("numpy")
fx = load_fixture("fx_buffers")

DTYPES = {
    "f16": np.float16, "f32": np.float32, "f64": np.float64,
    "i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
    "u8": np.uint8, "u16": np.uint16, "u32": np.uint32, "u64": np.uint64,
    "bool": np.bool_,
}


# -- every dtype, in and out -------------------------------------------------

@pytest.mark.parametrize("name", DTYPES)
def test_view_of_every_dtype(name):
    a = np.ones(5, dtype=DTYPES[name])
    count, shape, strides, readonly, first = getattr(fx, f"info_{name}")(a)
    assert (count, shape, strides, readonly, first) == (5, [5], [a.itemsize], False, 1.0)


@pytest.mark.parametrize("name", DTYPES)
def test_mutable_view_of_every_dtype_writes_in_place(name):
    a = np.ones(4, dtype=DTYPES[name])
    getattr(fx, f"inc_{name}")(a)
    expected = np.zeros(4, dtype=bool) if name == "bool" else np.full(4, 2, dtype=DTYPES[name])
    assert np.array_equal(a, expected)


@pytest.mark.parametrize("name", DTYPES)
def test_export_of_every_dtype(name):
    r = getattr(fx, f"ramp_{name}")(3)
    a = np.asarray(r)
    assert a.dtype == np.dtype(DTYPES[name]) and a.shape == (3,)
    assert memoryview(r).format == memoryview(np.zeros(1, DTYPES[name])).format.lstrip("=<@") or name in ("i64", "u64")


@pytest.mark.parametrize("name", DTYPES)
def test_wrong_dtype_is_a_type_error_naming_both(name):
    other = np.float64 if name != "f64" else np.float32
    with pytest.raises(TypeError) as e:
        getattr(fx, f"info_{name}")(np.zeros(2, dtype=other))
    wanted = np.dtype(DTYPES[name]).name
    got = np.dtype(other).name
    assert f"info_{name}() argument 'data' must be a contiguous buffer of {wanted}" in str(e.value)
    assert f"not numpy.ndarray of {got}" in str(e.value)


def test_uint8_is_the_raw_byte_type():
    assert fx.info_u8(np.array([-1], dtype=np.int8))[4] == 255.0
    with pytest.raises(TypeError, match="not numpy.ndarray of uint8"):
        fx.info_i8(np.zeros(1, np.uint8))


def test_int64_matches_l_and_q_formats():
    assert fx.info_i64(array.array("l", [7, 8]))[4] == 7.0
    assert fx.info_i64(array.array("q", [9]))[4] == 9.0
    assert fx.info_i32(array.array("i", [5]))[4] == 5.0


def test_big_endian_is_refused():
    with pytest.raises(TypeError, match=r"not numpy.ndarray of float64 \(big-endian\) \(format '>d'\)"):
        fx.sum_f64(np.arange(3, dtype=">f8"))
    assert fx.sum_f64(np.arange(3, dtype="<f8")) == 3.0


def test_complex_and_structured_are_refused():
    with pytest.raises(TypeError, match="must be a contiguous buffer of float64"):
        fx.sum_f64(np.zeros(2, dtype=np.complex128))
    with pytest.raises(TypeError):
        fx.sum_f64(np.zeros(2, dtype=[("a", "f8")]))


def test_not_a_buffer_is_a_type_error():
    with pytest.raises(TypeError, match=r"sum_f64\(\) argument 'data' must be a contiguous buffer of float64 \(format 'd'\), not list"):
        fx.sum_f64([1.0, 2.0])
    with pytest.raises(TypeError, match="not str"):
        fx.byte_count("abc")


# -- the standard exporters ----------------------------------------------------

def test_bytes_bytearray_memoryview_array():
    assert fx.byte_count(b"abcd") == 4
    assert fx.byte_count(bytearray(7)) == 7
    assert fx.byte_count(memoryview(b"abcdef")[1:4]) == 3
    assert fx.sum_f64(array.array("d", [1.5, 2.5])) == 4.0
    assert fx.sum_f64(memoryview(array.array("d", [1.0, 2.0, 3.0]))) == 6.0
    b = bytearray(3)
    fx.fill_u8(b, 9)
    assert b == b"\x09\x09\x09"
    m = memoryview(bytearray(4))
    fx.fill_u8(m[1:3], 1)
    assert m.tobytes() == b"\x00\x01\x01\x00"


def test_mmap(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(16)))
    with open(path, "r+b") as f, mmap.mmap(f.fileno(), 0) as mm:
        assert fx.byte_count(mm) == 16
        fx.fill_u8(mm, 3)
        mm.flush()
    assert path.read_bytes() == b"\x03" * 16
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        assert fx.byte_count(mm) == 16
        with pytest.raises(ValueError, match="is read-only"):
            fx.fill_u8(mm, 1)


def test_pyarrow_buffer():
    pa = pytest.importorskip("pyarrow")
    buf = pa.py_buffer(b"abcdef")
    assert fx.byte_count(buf) == 6
    assert fx.xor_bytes(buf, 0) == b"abcdef"      # PyArrow exports raw bytes as 'b'
    with pytest.raises(TypeError, match="not pyarrow.lib.Buffer of int8"):
        fx.sum_f64(buf)
    floats = pa.array([1.0, 2.0, 3.5], type=pa.float64())
    values = np.frombuffer(floats.buffers()[1], dtype=np.float64)[:3]
    assert fx.sum_f64(values) == 6.5


# -- N-D, strides, contiguity, writability --------------------------------------

def test_nd_contiguous_view():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert fx.info_f32(a)[:3] == (12, [3, 4], [16, 4])
    assert fx.nd_get(a, 2, 1) == 9.0
    with pytest.raises(ValueError, match="needs a C-contiguous buffer, but this numpy.ndarray has shape \\(4, 3\\) and strides \\(4, 16\\)"):
        fx.info_f32(a.T)


def test_non_contiguous_rejected_with_advice():
    a = np.arange(10.0)
    with pytest.raises(ValueError) as e:
        fx.sum_f64(a[::2])
    assert str(e.value) == ("sum_f64() argument 'data': needs a C-contiguous buffer, but this numpy.ndarray "
                            "has shape (5,) and strides (16,) (pass numpy.ascontiguousarray(x))")


def test_strided_views():
    a = np.arange(12.0).reshape(3, 4)
    assert fx.strided_sum(a[:, ::2]) == float(a[:, ::2].sum())
    assert fx.strided_sum(a.T) == float(a.sum())
    assert fx.strided_get(a.T, 3, 1) == a.T[3, 1]
    assert fx.strided_get(a[::-1], 0, 0) == 8.0  # negative strides
    assert fx.strided_info(a[:, 1::2]) == ([3, 2], [32, 16], False)
    assert fx.strided_info(a)[2] is True
    b = np.arange(12.0).reshape(3, 4)
    fx.strided_scale(b[:, 1::2], 10.0)
    assert np.array_equal(b[:, 1::2], np.arange(12.0).reshape(3, 4)[:, 1::2] * 10)
    assert np.array_equal(b[:, ::2], np.arange(12.0).reshape(3, 4)[:, ::2])


def test_read_only_rejected():
    for ro in (b"abc", memoryview(bytearray(3)).toreadonly(), np.frombuffer(b"abc", dtype=np.uint8)):
        with pytest.raises(ValueError, match="needs a writable buffer of uint8, but this .* is read-only"):
            fx.fill_u8(ro, 1)
    a = np.zeros(3, dtype=np.uint8)
    a.flags.writeable = False
    with pytest.raises(ValueError, match="fill_u8\\(\\) argument 'data': needs a writable buffer"):
        fx.fill_u8(a, 1)
    assert fx.info_u8(a)[3] is True  # read-only views are fine


def test_misaligned_rejected():
    raw = np.zeros(8 * 4 + 1, dtype=np.uint8)
    mis = raw[1:].view(np.float64)
    with pytest.raises(ValueError, match="not aligned to 8 bytes"):
        fx.sum_f64(mis)


def test_optional_buffer():
    assert fx.optional_len() == -1
    assert fx.optional_len(None) == -1
    assert fx.optional_len(b"xy") == 2


def test_zero_dim_and_empty():
    assert fx.sum_f64(np.array(2.5)) == 2.5
    assert fx.sum_f64(np.zeros(0)) == 0.0
    assert fx.info_f64(np.zeros((0, 3)))[:2] == (0, [0, 3])


# -- the explicit copy -----------------------------------------------------------

def test_ndarray_parameter_copies_and_converts():
    assert fx.copy_f32([1, 2.5, True]) == ([1.0, 2.5, 1.0], [3])
    assert fx.copy_f32([[1, 2, 3], [4, 5, 6]]) == ([1, 2, 3, 4, 5, 6], [2, 3])
    assert fx.copy_f32(np.arange(6, dtype=np.int64).reshape(2, 3)[:, ::2]) == ([0, 2, 3, 5], [2, 2])
    assert fx.copy_i32(np.array([1.0, 2.0])) == ([1, 2], [2])
    assert fx.copy_i32(array.array("h", [-3])) == ([-3], [1])
    with pytest.raises(OverflowError, match="1.5 does not convert exactly to int32"):
        fx.copy_i32(np.array([1.5]))
    with pytest.raises(OverflowError, match="does not fit in int32"):
        fx.copy_i32(np.array([2**40]))
    with pytest.raises(ValueError, match="ragged"):
        fx.copy_f32([[1, 2], [3]])
    with pytest.raises(TypeError, match=r"copy_f32\(\) argument 'data' item \[1\] must be float, not str"):
        fx.copy_f32([1, "x"])
    with pytest.raises(TypeError, match="must be a buffer or a list of numbers"):
        fx.copy_f32(None)
    r = fx.copy_f64_roundtrip(np.arange(3.0)[::-1])
    assert np.array_equal(np.asarray(r), [2.0, 1.0, 0.0])


# -- Swift memory out --------------------------------------------------------------

def test_export_shares_swift_memory_without_copy():
    r, address = fx.address_kept(1000)
    a = np.asarray(r)
    assert a.ctypes.data == address           # numpy's array IS the Swift array's buffer
    assert np.shares_memory(a, np.asarray(r))
    a[0] = 7.0
    assert np.asarray(r)[0] == 7.0
    assert repr(r) == "swiftbind.NDArray(float32, shape=(1000,))"
    assert len(r) == 1000


def test_export_nd_shape_and_strides():
    e = fx.eye(3)
    m = memoryview(e)
    assert (m.format, m.shape, m.strides, m.readonly) == ("d", (3, 3), (24, 8), False)
    assert np.array_equal(np.asarray(e), np.eye(3))
    r = fx.ramp_shaped(2, 3)
    assert np.asarray(r).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert bytes(fx.ramp_u8(3)) == b"\x01\x02\x03"


def test_exporter_type_is_not_instantiable():
    with pytest.raises(TypeError):
        type(fx.eye(1))()


def test_numpy_return_is_an_ndarray_over_swift_memory():
    base = fx.live_exports()
    a = fx.ramp_numpy(5)
    assert isinstance(a, np.ndarray) and a.tolist() == [0, 1, 2, 3, 4]
    assert fx.live_exports() == base + 1
    del a
    gc.collect()
    assert fx.live_exports() == base


def test_storage_freed_with_last_reference():
    base = fx.live_exports()
    r = fx.ramp_f64(10)
    w = weakref.ref(r)
    a = np.asarray(r)
    m = memoryview(r)
    del r
    gc.collect()
    assert w() is not None                     # the numpy array and memoryview keep it
    assert fx.live_exports() == base + 1
    del a
    m.release()
    del m
    gc.collect()
    assert w() is None
    assert fx.live_exports() == base


def test_dlpack_numpy():
    base = fx.live_exports()
    r = fx.eye(4)
    assert r.__dlpack_device__() == (1, 0)
    d = np.from_dlpack(r)
    assert np.array_equal(d, np.eye(4))
    assert np.shares_memory(d, np.asarray(r))
    del r
    gc.collect()
    assert fx.live_exports() == base + 1        # the DLPack tensor keeps the storage
    assert d[2, 2] == 1.0
    del d
    gc.collect()
    assert fx.live_exports() == base
    cap = fx.ramp_i32(3).__dlpack__()           # an unconsumed capsule frees its tensor too
    assert type(cap).__name__ == "PyCapsule"
    del cap
    gc.collect()
    assert fx.live_exports() == base
    with pytest.raises(BufferError):
        fx.eye(1).__dlpack__(stream=1)


def test_dlpack_torch():
    torch = pytest.importorskip("torch")
    t = torch.from_dlpack(fx.ramp_f32(4))
    assert t.tolist() == [1.0, 2.0, 3.0, 4.0]


# -- lifetimes of views ---------------------------------------------------------------

def test_view_released_after_call():
    b = bytearray(10)
    fx.sum_f64(np.zeros(1))
    fx.byte_count(b)
    b.extend(b"x")                              # no export left: resizing works
    assert len(b) == 11


def test_stored_view_keeps_exporter_alive():
    a = np.full(8, 2, dtype=np.uint8)
    w = weakref.ref(a)
    fx.stash(a)
    del a
    gc.collect()
    assert w() is not None and fx.stash_sum() == 16
    fx.unstash()
    gc.collect()
    assert w() is None
    b = bytearray(b"ab")
    fx.stash(b)
    with pytest.raises(BufferError):
        b.extend(b"c")                          # exported: CPython refuses to resize
    fx.unstash()
    b.extend(b"c")


def test_gil_released_while_swift_works():
    big = bytearray(64 << 20)
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(1)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        for _ in range(5):
            fx.poke_every(big, 1, 1)
    finally:
        done.set()
        t.join()
    assert ticks  # the ticker ran at all (with the GIL held throughout it could still run between calls)
    assert big[12345] == 1


# -- leaks -------------------------------------------------------------------------------

def test_no_leaks_over_100k_calls():
    a = np.arange(16.0)
    b = bytearray(16)
    for _ in range(1000):                      # warm up allocator and caches
        fx.sum_f64(a); fx.fill_u8(b, 1); fx.ramp_f32(4); fx.xor_bytes(b)
    gc.collect()
    refs = (sys.getrefcount(a), sys.getrefcount(b))
    base_exports = fx.live_exports()
    rss0 = rss_bytes()
    for _ in range(100_000):
        fx.sum_f64(a)
        fx.fill_u8(b, 2)
        fx.ramp_f32(4)
        fx.xor_bytes(b)
        np.asarray(fx.ramp_i32(2))
    gc.collect()
    assert (sys.getrefcount(a), sys.getrefcount(b)) == refs
    assert fx.live_exports() == base_exports
    assert rss_bytes() - rss0 < 8 << 20
    for _ in range(2000):                      # errors leak nothing either
        with pytest.raises(TypeError):
            fx.sum_f64(b)
        with pytest.raises(ValueError):
            fx.fill_u8(b"x", 1)
    assert (sys.getrefcount(a), sys.getrefcount(b)) == refs


def test_pythonbytes_written_without_gil():
    assert fx.xor_bytes(b"\x00\x01\xff") == b"\x5a\x5b\xa5"
    assert fx.xor_bytes(np.arange(3, dtype=np.uint8), 1) == b"\x01\x00\x03"
    assert fx.xor_bytes(b"") == b""


# -- 5 GiB, lazily zeroed ------------------------------------------------------------------

@pytest.mark.skipif(sys.maxsize < 2**40, reason="needs a 64-bit address space")
def test_five_gib_lazy_array_passes_through_without_copy():
    n = 5 << 30
    try:
        a = np.zeros((n,), np.uint8)        # calloc -> mmap: no page is touched yet
    except MemoryError:
        pytest.skip("cannot reserve 5 GiB of address space")
    try:
        rss0 = rss_bytes()
        assert fx.byte_count(a) == n        # > 2**32: no 32-bit length anywhere
        step = 1 << 28                      # one write every 256 MiB
        written = fx.poke_every(a, step, 7)
        assert written == n // step + 1
        assert a[0] == 7 and a[step] == 7 and a[4 * step + step] == 7 and a[-1] == 7
        assert a[1] == 0 and a[n - 2] == 0
        assert fx.info_u8(a)[0] == n
        # a copy would have touched 5 GiB; the sparse writes touch a few pages
        # (2 MiB each with transparent huge pages)
        assert rss_bytes() - rss0 < 256 << 20
    finally:
        del a
        gc.collect()
