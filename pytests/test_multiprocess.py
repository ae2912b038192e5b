"""Module functions across processes: pickle by reference, a
multiprocessing pool, a ProcessPoolExecutor and a Dask LocalCluster with
process workers.  Every worker imports the fixture module itself (from
``pytests/_build/...``, which is on ``sys.path`` and ``PYTHONPATH``)."""
import concurrent.futures
import multiprocessing
import os
import pickle

import pytest

from conftest import build_dir, load_fixture

fx = load_fixture("fx_parallel")
INPUTS = [0, 1, 10, 1000, 100_000]
EXPECTED = [sum(i * i for i in range(n)) for n in INPUTS]


@pytest.fixture(autouse=True)
def workers_find_the_fixtures(monkeypatch):
    path = os.environ.get("PYTHONPATH", "")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(build_dir()), path) if p))


def test_functions_pickle_by_reference():
    data = pickle.dumps(fx.sum_squares)
    assert b"fx_parallel" in data and b"sum_squares" in data
    assert pickle.loads(data) is fx.sum_squares


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_multiprocessing_pool(method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    with multiprocessing.get_context(method).Pool(2) as pool:
        assert pool.map(fx.sum_squares, INPUTS) == EXPECTED
        # Each call also runs parallel Swift inside the worker.
        assert pool.starmap(fx.sum_squares, [(n, 4) for n in INPUTS]) == EXPECTED


def test_process_pool_executor():
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as pool:
        assert list(pool.map(fx.sum_squares, INPUTS)) == EXPECTED
        assert pool.submit(fx.square_roots, [4.0, 9.0]).result() == [2.0, 3.0]


def test_errors_cross_the_process_boundary():
    with concurrent.futures.ProcessPoolExecutor(1) as pool:
        with pytest.raises(ValueError, match="piece 2 failed"):
            pool.submit(fx.fail_in_piece, 4, 2).result()


def test_dask_local_cluster_with_process_workers():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as cluster, \
            distributed.Client(cluster) as client:
        futures = client.map(fx.sum_squares, INPUTS, pure=False)
        assert client.gather(futures) == EXPECTED
        pids = client.run(os.getpid)
        assert len(pids) == 2 and os.getpid() not in pids.values()
        # The workers imported the extension themselves.
        assert all(client.run(lambda: __import__("fx_parallel").core_count() >= 1).values())
