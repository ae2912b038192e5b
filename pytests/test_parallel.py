"""Parallel Swift inside one call, Python threads in GIL-releasing
functions, and callbacks into Python from Swift threads."""
import gc
import resource
import sys
import threading

import pytest

from conftest import load_fixture

fx = load_fixture("fx_parallel")


def test_chunks_cover_the_range_and_differ_by_at_most_one():
    for lo, hi, k in [(0, 10, 3), (5, 6, 4), (0, 1000, 7), (-3, 3, 6)]:
        pieces = [fx.chunk(i, k, lo, hi) for i in range(k)]
        assert pieces[0][0] == lo and pieces[-1][1] == hi
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
        sizes = [b - a for a, b in pieces]
        assert max(sizes) - min(sizes) <= 1


@pytest.mark.parametrize("chunks", [0, 1, 2, 3, 64, 10_000])
def test_parallel_map_gives_the_serial_answer(chunks):
    n = 100_003
    assert fx.sum_squares(n, chunks) == sum(i * i for i in range(n))
    assert fx.sum_squares(0, chunks) == 0
    assert fx.sum_squares(1, chunks) == 0


def test_parallel_fill_writes_every_slot():
    values = [float(i) for i in range(1001)]
    assert fx.square_roots(values) == [v ** 0.5 for v in values]
    assert fx.square_roots([]) == []


def test_an_error_in_any_piece_becomes_the_calls_exception():
    for bad in (0, 3, 7):
        with pytest.raises(ValueError, match=f"^piece {bad} failed$"):
            fx.fail_in_piece(8, bad)
    fx.fail_in_piece(8, 99)  # no piece fails


@pytest.mark.skipif(fx.core_count() < 2, reason="needs two cores")
def test_pieces_run_on_several_threads_at_once():
    # Overlap, not speed: on a loaded machine the pieces still coexist.
    assert fx.pieces_overlap(4, 30_000_000) >= 2


def test_two_python_threads_are_inside_a_gil_releasing_function_together():
    fx.reset()
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        for _ in range(10):
            fx.probe(5_000_000)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fx.most_inside() == 2


def test_callbacks_from_the_calling_thread_and_from_workers():
    assert fx.work_with_callback(20, lambda x: x + 2) == 42
    seen = set()

    def record(i):
        seen.add(threading.get_ident())
        return i

    assert fx.callbacks_from_workers(1000, record) == sum(range(1000))
    assert seen  # ran, on whatever threads Dispatch chose


def test_callback_exception_comes_back_unchanged():
    def bad(_):
        raise LookupError("from the callback")

    with pytest.raises(LookupError, match="from the callback") as info:
        fx.callbacks_from_workers(10, bad)
    assert info.traceback[-1].name == "bad"


def rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_stress_8_threads_10000_calls_with_callbacks_no_crash_no_leak():
    def callback(x):
        return x + 1

    def run(calls):
        errors = []
        barrier = threading.Barrier(8)

        def worker(k):
            try:
                barrier.wait()
                for i in range(calls):
                    assert fx.work_with_callback(i, callback) == 2 * i + 1
                    if i % 500 == 0:
                        assert fx.callbacks_from_workers(16, callback) == sum(range(1, 17))
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[:3]

    run(1_000)  # warm up allocator pools
    gc.collect()
    refs, rss = sys.getrefcount(callback), rss_kib()
    run(10_000)
    gc.collect()
    assert sys.getrefcount(callback) == refs
    assert rss_kib() - rss < 20_000, "resident memory grew by more than 20 MB"


# -- never a trap on numbers from Python -----------------------------------------------

def test_chunk_refuses_bad_counts_and_indices_with_value_error():
    with pytest.raises(ValueError, match=r"^Parallel.chunk: chunks must be > 0, not 0$"):
        fx.chunk(0, 0, 0, 10)                 # was a division by zero (SIGILL)
    with pytest.raises(ValueError, match=r"^Parallel.chunk: chunks must be > 0, not -3$"):
        fx.chunk(0, -3, 0, 10)
    with pytest.raises(ValueError, match=r"^Parallel.chunk: index must be in 0..<4, not 4$"):
        fx.chunk(4, 4, 0, 10)
    with pytest.raises(ValueError, match=r"^Parallel.chunk: index must be in 0..<4, not -1$"):
        fx.chunk(-1, 4, 0, 10)


def test_chunks_of_the_whole_int_range():
    lo, hi, k = -2**63, 2**63 - 1, 7           # hi - lo does not fit in an Int
    pieces = [fx.chunk(i, k, lo, hi) for i in range(k)]
    assert pieces[0][0] == lo and pieces[-1][1] == hi
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    sizes = [b - a for a, b in pieces]
    assert max(sizes) - min(sizes) <= 1 and sum(sizes) == hi - lo
    assert fx.chunk(0, 1, lo, hi) == [lo, hi]
    assert fx.map_pieces(lo, hi, k) == pieces  # parallelMap cuts the same pieces


def test_parallel_map_with_more_chunks_than_memory_is_a_memory_error():
    assert fx.map_pieces(0, 5, 2**62) == [[i, i + 1] for i in range(5)]   # at most one piece per index
    with pytest.raises(MemoryError, match=r"^parallelMap: cannot allocate the results of 4611686018427387904 pieces$"):
        fx.map_pieces(0, 2**63 - 1, 2**62)
    with pytest.raises(MemoryError):
        fx.map_pieces(-2**63, 2**63 - 1, 2**55)   # 2**58 bytes: more than any address space
