"""Background jobs: `m.job` functions return a Job at once; progress,
callbacks, results, errors, timeouts and cooperative cancellation."""
import concurrent.futures
import inspect
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from conftest import settle, build_dir, load_fixture

fx = load_fixture("fx_jobs")


def wait_until(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.005)


def test_a_job_returns_at_once_and_finishes_with_its_value():
    job = fx.long_task(30)
    assert type(job).__name__ == "Job"
    assert not job.done() or job.progress == 1.0
    assert job.result() == sum(range(30))
    assert job.done() and not job.cancelled()
    assert job.progress == 1.0
    assert job.message == "step 30 of 30"
    assert "finished" in repr(job) and "long_task" in repr(job)


def test_results_of_every_kind():
    assert fx.empty().result() == 0
    assert fx.nothing().result() is None
    squares = fx.squares(5)
    assert squares.result() == [0, 1, 4, 9, 16]
    assert squares.result() is squares.result()  # converted once
    assert fx.parallel_job(10_000).result() == sum(range(10_000))


def test_signature_and_argument_errors_are_those_of_a_function():
    assert str(inspect.signature(fx.long_task)) == "(n, step_ms=1)"
    with pytest.raises(TypeError, match=r"long_task\(\) argument 'n' must be int, not str"):
        fx.long_task("x")
    with pytest.raises(TypeError, match=r"long_task\(\) missing required argument 'n' \(pos 1\)$"):
        fx.long_task()


def test_progress_moves_and_callbacks_see_it():
    job = fx.long_task(200, step_ms=1)
    wait_until(lambda: job.progress > 0)
    reports = []
    job.on_progress(lambda p, m: reports.append((p, m)))
    assert reports and 0 < reports[0][0] <= 1  # called at once with the current state
    job.result()
    assert reports[-1] == (1.0, "step 200 of 200")
    assert [p for p, _ in reports] == sorted(p for p, _ in reports)
    with pytest.raises(TypeError, match="must be callable"):
        job.on_progress(42)


def test_on_progress_drives_tqdm():
    tqdm = pytest.importorskip("tqdm").tqdm
    import io
    out = io.StringIO()
    with tqdm(total=100, file=out) as bar:
        job = fx.long_task(100, step_ms=0)
        job.on_progress(lambda p, _msg: bar.update(round(p * 100) - bar.n))
        job.result()
    assert bar.n == 100
    assert "100/100" in out.getvalue()


def test_errors_are_raised_by_result():
    job = fx.fails("it broke", after_ms=20)
    with pytest.raises(ValueError, match="^it broke$"):
        job.result()
    with pytest.raises(ValueError, match="^it broke$"):
        job.result()  # again: same error
    assert job.done() and not job.cancelled()
    assert "failed" in repr(job)


def test_a_callback_exception_fails_the_job_with_that_exception():
    def callback(i):
        if i == 5:
            raise KeyError("callback says no")
        return i

    job = fx.call_back(100, callback)
    with pytest.raises(KeyError, match="callback says no") as info:
        job.result()
    assert info.traceback[-1].name == "callback"  # traceback kept
    assert fx.call_back(10, lambda i: i * 2).result() == 90


def test_a_progress_callback_exception_stops_the_job():
    job = fx.long_task(10_000, step_ms=1)

    def bad(p, m):
        if p > 0.001:
            raise RuntimeError("progress callback failed")

    job.on_progress(bad)
    with pytest.raises(RuntimeError, match="progress callback failed"):
        job.result(timeout=30)


def test_timeout():
    job = fx.long_task(100_000, step_ms=1)
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"long_task\(\) did not finish within 0.05 s"):
        job.result(timeout=0.05)
    assert time.monotonic() - started < 5
    assert job.cancel()
    with pytest.raises(concurrent.futures.CancelledError):
        job.result(timeout=10)
    with pytest.raises(TypeError, match="unexpected keyword argument 'wait'"):
        job.result(wait=1)
    with pytest.raises(TypeError, match="'timeout' must be float"):
        job.result("soon")


def test_cancellation_mid_way():
    before = fx.saw_cancel()
    job = fx.long_task(100_000, step_ms=1)
    wait_until(lambda: job.progress > 0.0001)
    assert job.cancel() is True
    with pytest.raises(concurrent.futures.CancelledError, match=r"long_task\(\) was cancelled"):
        job.result(timeout=10)
    assert job.cancelled() and job.done()
    assert fx.saw_cancel() == before + 1
    assert 0 < job.progress < 1
    assert job.cancel() is False  # finished already


def test_a_cancelled_body_may_return_a_partial_value():
    job = fx.partial_sum(100_000)
    time.sleep(0.02)
    job.cancel()
    value = job.result(timeout=10)
    assert value <= 0 and not job.cancelled()


def test_result_releases_the_gil():
    job = fx.long_task(50, step_ms=2)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    job.result()
    stop.set()
    t.join()
    assert len(ticks) > 5


def test_many_jobs_run_at_once():
    # Jobs do not queue behind each other (or behind the cores): 16 jobs
    # that wait for cancellation are all running together.
    base = fx.running()
    jobs = [fx.long_task(1_000_000, step_ms=5) for _ in range(16)]
    try:
        wait_until(lambda: fx.running() >= base + 16, seconds=30)
    finally:
        for j in jobs:
            j.cancel()
    for j in jobs:
        with pytest.raises(concurrent.futures.CancelledError):
            j.result(timeout=30)


def test_jobs_from_many_threads():
    results = []

    def worker():
        for i in range(200):
            results.append(fx.squares(i % 7).result())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1600


@pytest.mark.skipif(sys.version_info < (3, 10), reason="DISALLOW_INSTANTIATION is 3.10+")
def test_job_type_cannot_be_instantiated_from_python():
    with pytest.raises(TypeError):
        type(fx.empty())()


def test_interpreter_exit_cancels_running_jobs():
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(build_dir())!r})
        import fx_jobs
        job = fx_jobs.long_task(1_000_000, step_ms=1)   # would take 17 minutes
        job.on_progress(lambda p, m: None)              # calls into Python from the worker
        print("exiting", flush=True)
    """)
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "exiting"
    assert time.monotonic() - started < 20


def test_a_job_can_return_a_tuple():
    assert fx.pair_job(3).result(timeout=10) == (3, "n=3", [3.0])


def run_python(code, timeout=120):
    """Runs `code` in a fresh interpreter with the fixtures importable; a
    crash there (a trap is SIGILL) fails the test instead of the session."""
    prelude = f"import sys; sys.path.insert(0, {str(build_dir())!r})\n"
    r = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)],
                       capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"exit status {r.returncode}\n{r.stderr}"
    return r.stdout


def test_an_infinite_or_huge_timeout_waits_for_the_job():
    # Each used to trap (SIGILL) converting seconds to Int64 nanoseconds.
    out = run_python("""
        import math, sys, fx_jobs
        for timeout in [math.inf, 1e10, 9.3e9, 4e9, 1e300, sys.float_info.max]:
            job = fx_jobs.long_task(20, step_ms=2)   # still running when result() is called
            print(timeout, job.result(timeout=timeout))
    """)
    assert [line.split()[1] for line in out.splitlines()] == [str(sum(range(20)))] * 6


def test_a_nan_timeout_is_a_value_error():
    job = fx.long_task(1000, step_ms=1)
    try:
        with pytest.raises(ValueError, match=r"Job.result\(\) argument 'timeout' must be a number of seconds or None, not nan"):
            job.result(timeout=float("nan"))
        with pytest.raises(ValueError, match="not nan"):
            job.result(float("nan"))
    finally:
        job.cancel()


def test_a_negative_timeout_has_passed_already_like_concurrent_futures():
    job = fx.long_task(100_000, step_ms=1)
    for timeout in (-1, -1e300, float("-inf"), 0):
        with pytest.raises(TimeoutError, match="did not finish within"):
            job.result(timeout=timeout)
    job.cancel()
    done = fx.empty()
    done.result(timeout=10)
    assert done.result(timeout=-1) == 0 and done.result(timeout=float("-inf")) == 0


def test_a_job_releases_its_arguments_by_the_time_result_returns():
    # The body holds a Python object; it dies on the job's thread (no GIL),
    # so its release is parked, and result() must drain it.
    o = object()
    start = sys.getrefcount(o)
    for _ in range(2000):
        assert fx.echo_job(o).result(timeout=10) is o
    settle(lambda: sys.getrefcount(o) == start, lambda: fx.empty().result(timeout=10))  # a job start drains
    assert sys.getrefcount(o) == start
    jobs = [fx.echo_job(o) for _ in range(50)]
    assert all(j.result(timeout=10) is o for j in jobs)
    del jobs
    settle(lambda: sys.getrefcount(o) == start, lambda: fx.empty().result(timeout=10))  # a job start drains
    assert sys.getrefcount(o) == start


def test_a_progress_callback_that_waits_on_its_own_job_raises_instead_of_deadlocking():
    job = fx.long_task(10_000, step_ms=1)

    def callback(progress, message):
        if threading.current_thread() is not threading.main_thread():
            job.result()  # from the job's own thread: can never finish

    job.on_progress(callback)
    with pytest.raises(RuntimeError, match=r"long_task\(\) cannot wait for its own result"):
        job.result(timeout=30)
    assert job.done()


def test_a_progress_callback_may_catch_the_error_and_carry_on():
    job = fx.long_task(50, step_ms=1)
    errors = []

    def callback(progress, message):
        if threading.current_thread() is not threading.main_thread() and not errors:
            try:
                job.result(timeout=5)
            except RuntimeError as e:
                errors.append(str(e))

    job.on_progress(callback)
    assert job.result(timeout=30) == sum(range(50))
    assert len(errors) == 1 and "own result" in errors[0]


def test_a_callback_run_by_the_job_that_waits_on_it_raises():
    box = {}
    ready = threading.Event()

    def callback(i):
        ready.wait(10)
        return box["job"].result()

    box["job"] = job = fx.call_back(3, callback)
    ready.set()
    with pytest.raises(RuntimeError, match=r"call_back\(\) cannot wait for its own result"):
        job.result(timeout=30)
    del box["job"]
