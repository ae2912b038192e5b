"""A returned swiftbind.NDArray behaves like an array (fixture fx_dlpack).

shape/dtype/ndim/size/tolist, integer indexing and iteration without
NumPy; __array__ and __array_interface__ for libraries that look for them;
pickling, so functions returning one work through multiprocessing.Pool,
concurrent.futures.ProcessPoolExecutor and Dask; and a module returning
NDArray imports and works with NumPy blocked.
"""
from __future__ import annotations

import concurrent.futures
import copy
import gc
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap

import pytest

from conftest import build_fixtures, load_fixture

fx = load_fixture("fx_dlpack")


def test_attributes_without_numpy_types():
    g = fx.grid(2, 3)
    assert (g.shape, g.ndim, g.size, g.dtype, g.itemsize, g.nbytes, g.readonly) == ((2, 3), 2, 6, "int64", 8, 48, False)
    assert g.tolist() == [[0, 1, 2], [10, 11, 12]]
    assert fx.ramp_f32(3).dtype == "float32" and fx.parity(2).dtype == "bool"
    assert fx.parity(3).tolist() == [False, True, False]
    assert fx.ramp_u64(2).tolist() == [2**64 - 1, 2**64 - 2]
    assert fx.ramp_f16(3).tolist() == [0.0, 0.5, 1.0]
    s = fx.scalar(2.5)
    assert (s.shape, s.ndim, s.tolist(), s[()]) == ((), 0, 2.5, 2.5)
    assert fx.ramp_f64(0).tolist() == [] and fx.ramp_f64(0).shape == (0,)
    assert fx.squares().readonly is True


def test_indexing_and_iteration():
    g = fx.grid(3, 4)
    assert g[1, 2] == 12 and g[-1, -1] == 23 and g[(0, 3)] == 3
    row = g[2]
    assert type(row) is type(g) and row.shape == (4,) and row.tolist() == [20, 21, 22, 23]
    assert row[1] == 21
    assert [list(r) for r in g] == g.tolist()
    assert list(fx.ramp_f64(3)) == [0.0, 1.0, 2.0]
    with pytest.raises(TypeError, match="iteration over a 0-d array"):
        list(fx.scalar(1.0))
    with pytest.raises(TypeError, match="len\\(\\) of unsized object"):
        len(fx.scalar(1.0))
    c = fx.cube(2)
    assert c[1].shape == (2, 2) and c[1, 0, 1] == 5 and c[1][0][1] == 5
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        g[3]
    with pytest.raises(IndexError, match="index -5 is out of bounds for axis 1 with size 4"):
        g[0, -5]
    with pytest.raises(IndexError, match="too many indices for array: array is 2-dimensional, but 3 were indexed"):
        g[0, 0, 0]
    with pytest.raises(TypeError, match=r"indices must be integers or tuples of integers, not slice \(for slices and arithmetic use numpy.asarray\(x\)"):
        g[0:1]
    with pytest.raises(TypeError):
        g["a"]


def test_row_view_keeps_the_memory_alive():
    base = fx.live_exports()
    row = fx.grid(3, 2)[1]
    gc.collect()
    assert row.tolist() == [10, 11]
    del row
    gc.collect()
    assert fx.live_exports() == base


def test_numpy_protocols():
    np = pytest.importorskip("numpy")
    g = fx.grid(2, 2)
    ai = g.__array_interface__
    assert ai["version"] == 3 and ai["shape"] == (2, 2) and ai["typestr"] == np.dtype(np.int64).str
    assert ai["data"][1] is False and ai["strides"] is None
    assert ai["data"][0] == np.asarray(g).ctypes.data
    assert fx.squares().__array_interface__["data"][1] is True
    a = g.__array__()
    assert isinstance(a, np.ndarray) and np.shares_memory(a, np.asarray(g))
    f = g.__array__(np.float32)
    assert f.dtype == np.float32 and f.tolist() == [[0, 1], [10, 11]]
    assert not np.shares_memory(g.__array__(copy=True), a)
    with pytest.raises(ValueError, match="needs a copy"):
        g.__array__(np.float32, copy=False)
    assert np.sum(g) == 22 and (np.asarray(g) * 2).tolist() == [[0, 2], [20, 22]]
    assert np.dtype(g.dtype) == np.int64


@pytest.mark.parametrize("make", [lambda: fx.grid(3, 2), lambda: fx.ramp_f32(5), lambda: fx.parity(4),
                                  lambda: fx.ramp_u64(2), lambda: fx.scalar(1.25), lambda: fx.ramp_f64(0),
                                  lambda: fx.squares(), lambda: fx.ramp_f16(3), lambda: fx.cube(2)[1]])
def test_pickle_round_trip(make):
    x = make()
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        y = pickle.loads(pickle.dumps(x, protocol))
        assert type(y) is type(x)
        assert (y.shape, y.dtype, y.readonly, y.tolist()) == (x.shape, x.dtype, x.readonly, x.tolist())
    assert copy.deepcopy(x).tolist() == x.tolist()


def test_unpickled_array_owns_its_memory():
    base = fx.live_exports()
    y = pickle.loads(pickle.dumps(fx.grid(2, 2)))
    assert fx.live_exports() == base + 1
    del y
    gc.collect()
    assert fx.live_exports() == base


def test_malformed_pickle_arguments_raise():
    restore = fx._swiftbind_ndarray
    with pytest.raises(ValueError, match="12 bytes do not make an array of shape"):
        restore("d", (2,), b"\0" * 12, False)
    with pytest.raises(ValueError, match="unknown element format 'Z'"):
        restore("Z", (1,), b"\0", False)
    with pytest.raises(ValueError):
        restore("d", (-1,), b"", False)
    with pytest.raises((ValueError, OverflowError)):
        restore("d", (2**62, 2**62), b"", False)
    with pytest.raises(TypeError):
        restore("d", (1,), "not bytes", False)
    with pytest.raises(TypeError):
        restore("d")


def test_multiprocessing_pool():
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map_async(fx.ramp_f64, [1, 2, 3]).get(timeout=60)   # a pickling bug fails, not hangs
    assert [r.tolist() for r in results] == [[0.0], [0.0, 1.0], [0.0, 1.0, 2.0]]


def test_process_pool_executor():
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as ex:
        grid = ex.submit(fx.grid, 2, 2).result(timeout=60)
        total = ex.submit(fx.view_info, fx.ramp_f64(4)).result(timeout=60)   # an NDArray argument travels too
    assert grid.tolist() == [[0, 1], [10, 11]] and total[4] == 6.0


def test_dask_distributed():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        futures = client.map(fx.ramp_f64, [2, 3])
        distributed.wait(futures, timeout=60)
        results = client.gather(futures)
    assert [r.tolist() for r in results] == [[0.0, 1.0], [0.0, 1.0, 2.0]]


def test_works_with_numpy_blocked():
    code = textwrap.dedent("""
        import pickle, sys
        sys.modules["numpy"] = None            # import numpy raises ImportError
        sys.path.insert(0, sys.argv[1])
        import fx_dlpack as fx
        g = fx.grid(2, 3)
        assert g.shape == (2, 3) and g.dtype == "int64" and g[1, 2] == 12
        assert g.tolist() == [[0, 1, 2], [10, 11, 12]]
        assert pickle.loads(pickle.dumps(g)).tolist() == g.tolist()
        assert bytes(memoryview(fx.ramp_u8(3))) == b"\\x00\\x01\\x02"
        assert fx.view_info(memoryview(fx.ramp_f64(3)))[2] == "buffer"
        assert fx.view_info(fx.ramp_f64(3))[2] == "DLPack 1.0"
        try:
            g.__array__()
        except ImportError:
            print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code, str(build_fixtures())], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"

