"""Module functions across processes: pickle by reference, a
multiprocessing pool, a ProcessPoolExecutor and a Dask LocalCluster with
process workers; jobs and async functions in forked children.  Every worker
imports the fixture module itself (from ``pytests/_build/...``, which is on
``sys.path`` and ``PYTHONPATH``)."""
import concurrent.futures
import multiprocessing
import os
import pickle

import pytest

import mp_helpers
from conftest import HERE, build_dir, load_fixture

fx = load_fixture("fx_parallel")
INPUTS = [0, 1, 10, 1000, 100_000]
EXPECTED = [sum(i * i for i in range(n)) for n in INPUTS]


@pytest.fixture(autouse=True)
def workers_find_the_fixtures(monkeypatch):
    path = os.environ.get("PYTHONPATH", "")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(build_dir()), str(HERE), path) if p))


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


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_jobs_and_async_functions_run_in_a_child_after_the_parent_used_them(method):
    # The parent's job threads and Dispatch threads (which run Swift tasks)
    # do not survive fork(); the child used to block forever in result().
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    jobs = load_fixture("fx_jobs")
    expected = mp_helpers.run_job_and_async()  # the parent uses both first
    assert expected == ([0, 1, 4, 9], 5, 45, "slept")
    with multiprocessing.get_context(method).Pool(2) as pool:
        results = [pool.apply_async(mp_helpers.run_job_and_async) for _ in range(4)]
        assert [r.get(timeout=120) for r in results] == [expected] * 4
    assert jobs.add_async(1, 1).result(timeout=20) == 2  # the parent still works


def test_a_child_of_a_child_runs_jobs_too():
    load_fixture("fx_jobs")
    mp_helpers.run_job_and_async()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def grandchild():
        queue.put(mp_helpers.run_job_and_async())

    def child():
        mp_helpers.run_job_and_async()  # the child uses them before forking again
        p = ctx.Process(target=grandchild)
        p.start()
        p.join(120)

    p = ctx.Process(target=child)
    p.start()
    try:
        assert queue.get(timeout=120) == ([0, 1, 4, 9], 5, 45, "slept")
    finally:
        p.join(120)


def test_a_job_started_before_fork_belongs_to_the_parent():
    jobs = load_fixture("fx_jobs")
    running = jobs.long_task(1_000_000, step_ms=1)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def child():
        try:
            running.result(timeout=20)
            queue.put("no error")
        except BaseException as e:
            queue.put(f"{type(e).__name__}: {e}")

    p = ctx.Process(target=child)
    p.start()
    try:
        message = queue.get(timeout=60)
    finally:
        p.join(60)
        running.cancel()
    assert message.startswith("RuntimeError: long_task() was started in process")
    assert "before os.fork()" in message
    with pytest.raises(concurrent.futures.CancelledError):
        running.result(timeout=30)  # the parent's own job is unaffected
