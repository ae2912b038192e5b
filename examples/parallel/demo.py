"""Count the primes below N four ways, and check that they agree.

    python demo.py [N] [--workers W] [--progress]

1. one call:       primes.count_primes(0, N)            one core, GIL released
2. parallel Swift: primes.count_primes_parallel(0, N)   every core, inside one call
3. process pool:   ProcessPoolExecutor maps count_primes over pieces of [0, N)
4. Dask:           a LocalCluster with process workers does the same map
                   (pip install "dask[distributed]"; the same code runs on a
                   real cluster whose workers can import `primes`)

--progress also runs it as a background job with a tqdm bar.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import time

import primes


def pieces(n: int, k: int) -> tuple[list[int], list[int]]:
    """[0, n) cut into k pieces: their lower and upper bounds."""
    bounds = [n * i // k for i in range(k + 1)]
    return bounds[:-1], bounds[1:]


def one_call(n: int, workers: int) -> int:
    return primes.count_primes(0, n)


def parallel_swift(n: int, workers: int) -> int:
    return primes.count_primes_parallel(0, n)


def process_pool(n: int, workers: int) -> int:
    los, his = pieces(n, 4 * workers)
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(primes.count_primes, los, his))


def dask(n: int, workers: int) -> int:
    from distributed import Client, LocalCluster
    # Workers are new processes that `import primes`: installed with pip it
    # is found anyway; built in place (`swiftbind develop`) it needs its
    # folder on PYTHONPATH, which they inherit.
    here = os.path.dirname(os.path.abspath(primes.__file__))
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
    los, his = pieces(n, 4 * workers)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
        return sum(client.gather(client.map(primes.count_primes, los, his)))


def with_progress_bar(n: int) -> int:
    from tqdm import tqdm
    job = primes.count_primes_job(0, n)            # returns at once
    with tqdm(total=100, unit="%") as bar:
        def show(progress: float, message: str | None) -> None:
            bar.update(round(progress * 100) - bar.n)
            if message:
                bar.set_postfix_str(message)
        job.on_progress(show)                      # called from the Swift worker, with the GIL
        return job.result()                        # waits with the GIL released; Ctrl-C works


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", nargs="?", type=int, default=10_000_000)
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--progress", action="store_true", help="also run it as a job with a tqdm bar")
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args()

    ways = [("one call", one_call), ("parallel Swift", parallel_swift), ("process pool", process_pool)]
    if not args.skip_dask:
        try:
            import distributed  # noqa: F401
            ways.append(("Dask LocalCluster", dask))
        except ImportError:
            print("(Dask not installed: pip install 'dask[distributed]')")
    print(f"primes below {args.n:,} with {args.workers} workers")
    answers = set()
    for name, way in ways:
        started = time.perf_counter()
        count = way(args.n, args.workers)
        print(f"  {name:<18} {count:>10,}   {time.perf_counter() - started:6.2f} s")
        answers.add(count)
    if args.progress:
        answers.add(with_progress_bar(args.n))
    assert len(answers) == 1, f"the ways disagree: {answers}"


if __name__ == "__main__":
    main()
