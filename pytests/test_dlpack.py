"""Versioned DLPack both ways (fixture fx_dlpack).

Out: `swiftbind.NDArray.__dlpack__` honours max_version (versioned capsule
for >= (1, 0), legacy otherwise), copy, dl_device, stream and the read-only
flag; checked with real `numpy.from_dlpack` (NumPy 2 passes max_version)
and by reading the capsule's DLManagedTensorVersioned with ctypes.
In: `NDArrayView` takes any __dlpack__ producer (NumPy, pyarrow arrays,
torch CPU tensors when torch is installed, another swiftbind module),
checks dtype/device/read-only, renames the capsule and runs the deleter once.
Shape/order constraints (`Shape2<-1, 3>`, `COrder`, `FOrder`) and their messages.
"""
from __future__ import annotations

import array
import ctypes
import gc

import pytest

from conftest import load_fixture

np = pytest.importorskip("numpy")
fx = load_fixture("fx_dlpack")

_api = ctypes.pythonapi
_api.PyCapsule_IsValid.restype = ctypes.c_int
_api.PyCapsule_IsValid.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_GetName.restype = ctypes.c_char_p
_api.PyCapsule_GetName.argtypes = [ctypes.py_object]
_api.PyCapsule_GetPointer.restype = ctypes.c_void_p
_api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


class DLPackVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32)]


class ManagedVersionedHead(ctypes.Structure):
    """The first fields of DLManagedTensorVersioned (DLPack 1.0)."""
    _fields_ = [("version", DLPackVersion), ("manager_ctx", ctypes.c_void_p),
                ("deleter", ctypes.c_void_p), ("flags", ctypes.c_uint64)]


READ_ONLY, IS_COPIED = 1, 2
NP2 = int(np.__version__.split(".")[0]) >= 2


def capsule_name(cap) -> bytes:
    return _api.PyCapsule_GetName(cap)


def versioned_head(cap) -> ManagedVersionedHead:
    address = _api.PyCapsule_GetPointer(cap, b"dltensor_versioned")
    return ManagedVersionedHead.from_address(address)


# -- export ------------------------------------------------------------------------

def test_max_version_picks_the_capsule():
    r = fx.ramp_f64(4)
    assert capsule_name(r.__dlpack__()) == b"dltensor"
    assert capsule_name(r.__dlpack__(max_version=None)) == b"dltensor"
    assert capsule_name(r.__dlpack__(max_version=(0, 8))) == b"dltensor"
    cap = r.__dlpack__(max_version=(1, 0))
    assert capsule_name(cap) == b"dltensor_versioned"
    head = versioned_head(cap)
    assert (head.version.major, head.version.minor, head.flags) == (1, 0, 0)
    assert capsule_name(r.__dlpack__(max_version=(1, 3))) == b"dltensor_versioned"
    assert capsule_name(r.__dlpack__(max_version=(2, 0))) == b"dltensor_versioned"


@pytest.mark.skipif(not NP2, reason="NumPy 2 passes max_version")
def test_numpy_from_dlpack_shares_memory():
    base = fx.live_exports()
    g = fx.grid(3, 4)
    a = np.from_dlpack(g)
    assert a.tolist() == [[10 * i + j for j in range(4)] for i in range(3)]
    assert a.flags.writeable and np.shares_memory(a, np.asarray(g))
    a[1, 1] = -5
    assert g[1, 1] == -5
    del g
    gc.collect()
    assert a[2, 3] == 23 and fx.live_exports() == base + 1
    del a
    gc.collect()
    assert fx.live_exports() == base


@pytest.mark.skipif(not NP2, reason="copy= and device= of numpy.from_dlpack are NumPy 2")
def test_copy_and_device():
    r = fx.ramp_f64(5)
    copied = np.from_dlpack(r, copy=True)
    assert not np.shares_memory(copied, np.asarray(r))
    copied[0] = 99.0
    assert r[0] == 0.0
    head = versioned_head(r.__dlpack__(max_version=(1, 0), copy=True))
    assert head.flags == IS_COPIED
    shared = np.from_dlpack(r, copy=False)
    assert np.shares_memory(shared, np.asarray(r))
    assert np.from_dlpack(r, device="cpu").tolist() == [0, 1, 2, 3, 4]
    assert capsule_name(r.__dlpack__(dl_device=(1, 0))) == b"dltensor"
    with pytest.raises(BufferError, match=r"lives on the CPU \(1, 0\) and cannot be exported to device \(2, 0\)"):
        r.__dlpack__(dl_device=(2, 0))
    with pytest.raises(BufferError, match="stream must be None"):
        r.__dlpack__(stream=1)
    assert capsule_name(r.__dlpack__(stream=None)) == b"dltensor"


def test_bad_arguments_are_type_errors():
    r = fx.ramp_f64(2)
    with pytest.raises(TypeError, match="only keyword arguments"):
        r.__dlpack__(None)
    with pytest.raises(TypeError, match="unexpected keyword argument 'maxversion'"):
        r.__dlpack__(maxversion=(1, 0))
    with pytest.raises(TypeError, match="'max_version' must be a tuple of two ints, not str"):
        r.__dlpack__(max_version="1.0")
    with pytest.raises(TypeError, match="'copy' must be True, False or None, not int"):
        r.__dlpack__(copy=1)


@pytest.mark.skipif(not NP2, reason="the READ_ONLY flag is read by NumPy 2")
def test_read_only_export():
    t = fx.squares()
    assert t.readonly is True
    a = np.from_dlpack(t)
    assert a.tolist() == [i * i for i in range(16)]
    assert not a.flags.writeable                  # NumPy honours READ_ONLY
    with pytest.raises(ValueError):
        a[0] = 1
    assert versioned_head(t.__dlpack__(max_version=(1, 0))).flags == READ_ONLY
    with pytest.raises(BufferError, match="read-only, and an unversioned DLPack capsule cannot say so"):
        t.__dlpack__()
    assert not np.asarray(t).flags.writeable       # the buffer protocol too
    assert memoryview(t).readonly
    c = np.from_dlpack(t, copy=True)
    assert c.flags.writeable
    c[0] = 7
    assert fx.squares()[0] == 0                    # Swift's table is untouched
    assert versioned_head(t.__dlpack__(max_version=(1, 0), copy=True)).flags == IS_COPIED


def test_unconsumed_capsules_free_their_tensor():
    base = fx.live_exports()
    for _ in range(2000):
        r = fx.ramp_f32(8)
        r.__dlpack__()
        r.__dlpack__(max_version=(1, 0))
        r.__dlpack__(max_version=(1, 0), copy=True)
        np.from_dlpack(r)
    del r
    gc.collect()
    assert fx.live_exports() == base


# -- import ------------------------------------------------------------------------

def test_numpy_in_as_versioned_dlpack():
    a = np.arange(6.0).reshape(2, 3)
    assert fx.view_info(a) == ([2, 3], [24, 8], "DLPack 1.0" if NP2 else "DLPack (legacy)", False, 15.0)
    assert fx.view_info(a.T)[:2] == ([3, 2], [8, 24])     # any strides
    assert fx.view_info(a[:, ::-2])[4] == 2.0 + 0.0 + 5.0 + 3.0
    assert fx.get(a, 1, 2) == 5.0
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 1 with size 3"):
        fx.get(a, 0, 3)
    assert fx.sum_f32(np.ones(4, np.float32)) == 4.0
    assert fx.sum_i64(np.arange(5)) == 10
    assert fx.count_true(np.array([True, False, True])) == 2
    assert fx.view_info(np.zeros((0, 3)))[0] == [0, 3]
    assert fx.view_info(np.array(2.5))[0::4] == ([], 2.5)


def test_wrong_dtype_names_parameter_and_both_types():
    with pytest.raises(TypeError) as e:
        fx.view_info(np.zeros(3, np.float32))
    assert str(e.value) == "view_info() argument 'data' must be an array of float64, not numpy.ndarray of float32"
    with pytest.raises(TypeError, match="must be an array of float32, not numpy.ndarray of int64"):
        fx.sum_f32(np.arange(3))
    with pytest.raises(TypeError, match=r"an object with __dlpack__ or the buffer protocol\), not list"):
        fx.view_info([1.0, 2.0])


def test_buffer_fallback_for_objects_without_dlpack():
    assert fx.view_info(array.array("d", [1.0, 2.5]))[2:] == ("buffer", False, 3.5)
    assert fx.view_info(memoryview(array.array("d", [4.0])))[4] == 4.0
    assert fx.view_info(memoryview(array.array("d", [1.0])).toreadonly())[3] is True


def test_writes_in_place_and_read_only_is_refused():
    a = np.arange(4.0)
    fx.scale(a, 2.0)
    assert a.tolist() == [0, 2, 4, 6]
    fx.scale(a[::2], 10.0)
    assert a.tolist() == [0, 2, 40, 6]
    ro = np.arange(3.0)
    ro.flags.writeable = False
    if NP2:
        with pytest.raises(ValueError, match=r"scale\(\) argument 'data': needs a writable array of float64, but this numpy.ndarray is read-only \(its DLPack tensor has the READ_ONLY flag"):
            fx.scale(ro, 2.0)
    assert fx.view_info(ro)[3] is NP2                      # reading is fine


def test_swift_to_swift_runs_the_deleter_once():
    base = fx.live_exports()
    for _ in range(1000):
        assert fx.view_info(fx.ramp_f64(4))[2:] == ("DLPack 1.0", False, 6.0)
    gc.collect()
    assert fx.live_exports() == base                  # every tensor freed, none twice (that would crash)
    r = fx.ramp_f64(3)
    fx.stash(r)
    del r
    gc.collect()
    assert fx.live_exports() == base + 1              # a stored view keeps the tensor
    fx.unstash()
    gc.collect()
    assert fx.live_exports() == base


class OldProducer:
    """A producer written before DLPack 1.0: no max_version keyword."""

    def __init__(self, a):
        self.a = a
        self.capsules = []

    def __dlpack__(self, stream=None):
        cap = self.a.__dlpack__(stream=stream)
        self.capsules.append(cap)
        return cap

    def __dlpack_device__(self):
        return self.a.__dlpack_device__()


class DeviceProducer(OldProducer):
    """Says it lives on a CUDA device (2, 0)."""

    def __dlpack_device__(self):
        return (2, 0)


class NotACapsule:
    def __dlpack__(self, **kwargs):
        return 42


def test_old_producer_falls_back_and_capsule_is_renamed():
    p = OldProducer(np.arange(4.0))
    assert fx.view_info(p)[2:] == ("DLPack (legacy)", False, 6.0)
    assert capsule_name(p.capsules[-1]) == b"used_dltensor"      # consumed per protocol
    v = np.arange(3.0)
    fx.view_info(v)
    if NP2:
        class Recorder(OldProducer):
            def __dlpack__(self, **kwargs):
                cap = self.a.__dlpack__(**kwargs)
                self.capsules.append(cap)
                return cap
        q = Recorder(v)
        fx.view_info(q)
        assert capsule_name(q.capsules[-1]) == b"used_dltensor_versioned"


def test_non_cpu_and_bad_producers():
    with pytest.raises(BufferError, match=r"view_info\(\) argument 'data': needs a tensor on the CPU \(DLPack device \(1, 0\)\), but this DeviceProducer is on device \(2, 0\)"):
        fx.view_info(DeviceProducer(np.zeros(2)))
    with pytest.raises(TypeError, match=r"NotACapsule.__dlpack__\(\) returning int"):
        fx.view_info(NotACapsule())


def test_pyarrow_array_in():
    pa = pytest.importorskip("pyarrow")
    arr = pa.array([1.0, 2.0, 4.5])
    if not hasattr(arr, "__dlpack__"):
        pytest.skip(f"pyarrow {pa.__version__} arrays do not export DLPack")
    assert fx.view_info(arr)[0] == [3] and fx.view_info(arr)[4] == 7.5
    assert fx.view_info(arr)[3] is True or fx.view_info(arr)[2] == "DLPack (legacy)"


def test_torch_cpu_tensor_both_ways():
    torch = pytest.importorskip("torch", reason="torch is not installed: the torch DLPack checks are skipped")
    t = torch.arange(6, dtype=torch.float64).reshape(2, 3)
    assert fx.view_info(t)[0] == [2, 3] and fx.view_info(t)[4] == 15.0
    fx.scale(t, 2.0)
    assert t.tolist() == [[0, 2, 4], [6, 8, 10]]
    assert torch.from_dlpack(fx.ramp_f64(3)).tolist() == [0.0, 1.0, 2.0]


# -- shape and order constraints ---------------------------------------------------

def test_shape_pattern_and_c_order():
    pts = np.array([[0.0, 0, 0], [2, 4, 6]])
    assert fx.centroid(pts) == [1.0, 2.0, 3.0]
    assert fx.centroid(np.zeros((0, 3))) == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError) as e:
        fx.centroid(np.zeros((4, 2)))
    assert str(e.value) == ("centroid() argument 'points': expected an array of shape (*, 3), "
                            "but this numpy.ndarray has shape (4, 2)")
    with pytest.raises(ValueError, match=r"expected an array of shape \(\*, 3\), but this numpy.ndarray has shape \(3,\)"):
        fx.centroid(np.zeros(3))
    with pytest.raises(ValueError) as e:
        fx.centroid(np.zeros((3, 6))[:, ::2])
    assert str(e.value) == ("centroid() argument 'points': needs a C-contiguous array, but this numpy.ndarray "
                            "has shape (3, 3) and strides (48, 16) (pass numpy.ascontiguousarray(x))")
    with pytest.raises(TypeError) as e:
        fx.centroid(np.zeros((2, 3), np.float32))
    assert str(e.value) == ("centroid() argument 'points' must be a C-contiguous array of float64 with shape (*, 3), "
                            "not numpy.ndarray of float32")


def test_fortran_order_and_custom_pattern():
    m = np.asfortranarray(np.arange(9.0).reshape(3, 3))
    assert fx.fortran_trace(m) == 12.0
    assert fx.fortran_trace(np.arange(9.0).reshape(3, 3).T) == 12.0   # a C array's transpose is F
    with pytest.raises(ValueError, match=r"needs a Fortran-contiguous array, .* \(pass numpy.asfortranarray\(x\)\)"):
        fx.fortran_trace(np.arange(9.0).reshape(3, 3))
    assert fx.fortran_trace(np.zeros((1, 5))) == 0.0                  # one row is both C and F
    img = np.full((2, 2, 3), 30, np.uint8)
    assert fx.brightness(img) == 30.0
    with pytest.raises(ValueError, match=r"expected an array of shape \(\*, \*, 3\), but this numpy.ndarray has shape \(2, 2, 4\)"):
        fx.brightness(np.zeros((2, 2, 4), np.uint8))
    row = np.zeros(4, np.float32)
    fx.fill_row(row, 1.5)
    assert row.tolist() == [1.5] * 4
    with pytest.raises(ValueError, match=r"expected an array of shape \(4,\)"):
        fx.fill_row(np.zeros(5, np.float32), 1.0)


def test_deleter_runs_on_another_thread_without_the_gil():
    """A consumer may call the deleter anywhere: ctypes releases the GIL
    around a CFUNCTYPE call, made here from a second thread."""
    import threading
    _api.PyCapsule_SetName.restype = ctypes.c_int
    _api.PyCapsule_SetName.argtypes = [ctypes.py_object, ctypes.c_char_p]
    base = fx.live_exports()
    caps = [fx.ramp_f64(3).__dlpack__(max_version=(1, 0)) for _ in range(50)]
    caps += [fx.ramp_f64(3).__dlpack__(max_version=(1, 0), copy=True) for _ in range(50)]
    gc.collect()
    assert fx.live_exports() == base + 100
    tensors = []
    used = ctypes.c_char_p(b"used_dltensor_versioned")      # kept alive: the capsule keeps the pointer
    for cap in caps:
        address = _api.PyCapsule_GetPointer(cap, b"dltensor_versioned")
        assert _api.PyCapsule_SetName(cap, used) == 0        # taken, as a consumer does
        tensors.append((address, ManagedVersionedHead.from_address(address).deleter))

    def consume():
        for address, deleter in tensors:
            ctypes.CFUNCTYPE(None, ctypes.c_void_p)(deleter)(address)

    t = threading.Thread(target=consume)
    t.start()
    t.join()
    del caps
    gc.collect()
    assert fx.live_exports() == base                          # each tensor freed once
