"""Every core: parallel Swift, Python threads, jobs, asyncio and Dask.

``python3 benchmarks/run.py parallel [options]``

Builds ``benchmarks/parallel/swift`` (extension module ``sb_parallel``: prime
counting by trial division, an empty job, a no-op async function) with the
build tool of this checkout and measures:

* ``speedup_parallel_swift``: one call counting primes on one core
  (``count_primes_parallel(0, N, chunks=1)``) against the same call on all
  cores (default chunks); value = time on one core / time on all cores.
* ``speedup_python_threads``: the same total work (two calls of the
  GIL-releasing ``count_primes``) from one Python thread against two
  threads, one call each; value = one-thread time / two-thread time.
* ``job_overhead``: microseconds from calling an empty job to having its
  result (``empty_job().result()``), against ``ThreadPoolExecutor``
  ``submit(f).result()`` of an empty Python function as a reference.
* ``await_overhead``: microseconds per ``await noop_async()`` in an asyncio
  loop, against ``await loop.run_in_executor(None, f)`` (asyncio's way of
  running blocking work) as a reference.
* ``dask_map``: seconds for one fixed map (``count_primes`` over 16 ranges)
  on a warm Dask ``LocalCluster`` with one process per core, against a warm
  ``ProcessPoolExecutor`` with one process per core; the one-call serial
  and parallel-Swift times of the same work are shown for scale.

Wall-clock speed-ups need idle cores: on a machine shared with other work
they fall towards 1x.  The table therefore also shows the cores the
parallel run actually got (process CPU time / wall time).  Each timing is
the median over interleaved rounds (``common.interleave``).

Options:
  --rounds R   rounds per case (default 7)
  --quick      smaller sizes and 3 rounds (a smoke test)
  --cases a,b  only these cases
"""
from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
SWIFT_DIR = HERE / "swift"
NAME = "parallel"
CASES = ["speedup_parallel_swift", "speedup_python_threads", "job_overhead", "await_overhead", "dask_map"]
TARGETS = {"speedup_parallel_swift": ("x", ">=", 1.8), "speedup_python_threads": ("x", ">=", 1.8),
           "job_overhead": ("us", "<=", 50.0), "await_overhead": ("us", "<=", 50.0)}


def build() -> tuple[object, Path]:
    """Builds sb_parallel (cached by a hash of its inputs) and imports it."""
    sys.path.insert(0, str(common.REPO / "python"))
    from swiftbind.builder import build_extension
    inputs = [p for p in SWIFT_DIR.rglob("*") if p.is_file() and ".build" not in str(p)]
    inputs += [p for p in (common.REPO / "Sources").rglob("*") if p.is_file()]
    inputs += [p for p in (common.REPO / "python" / "swiftbind").rglob("*.py")]
    key = common.hash_inputs(sys.version, files=inputs)
    out = common.build_dir(NAME) / f"sb_parallel-{key}"
    ext = common.python_ext_info()["ext_suffix"]
    found = sorted(out.glob(f"**/sb_parallel{ext}"))
    if not found:
        print("building sb_parallel ...", flush=True)
        found = build_extension(SWIFT_DIR, out, modules={"sb_parallel": "sb_parallel"}, quiet=True)
    sys.path.insert(0, str(found[0].parent))
    import sb_parallel
    return sb_parallel, found[0].parent


def timed(f, *args) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) of one call."""
    c0, t0 = time.process_time(), time.perf_counter()
    f(*args)
    return time.perf_counter() - t0, time.process_time() - c0


def calibrate_primes(sb, target_s: float) -> int:
    n = 100_000
    while True:
        t, _ = timed(sb.count_primes, 0, n)
        if t > target_s / 3 or n > 1 << 28:
            break
        n *= 2
    return int(n * (target_s / t) ** (2 / 3))  # trial division: cost ~ n^1.5


def case_parallel_swift(mods: dict, rounds: int, target_s: float) -> list[dict]:
    """``mods``: {peer: module with count_primes_parallel}, swiftbind first;
    the same N for every peer, all measured in the same interleaved rounds."""
    sb = mods["swiftbind"]
    n = calibrate_primes(sb, target_s)
    cpu: dict[str, list[float]] = {p: [] for p in mods}
    measures = {}
    for peer, m in mods.items():
        def one(m=m):
            return timed(m.count_primes_parallel, 0, n, 1)[0]

        def all_(m=m, peer=peer):
            wall, used = timed(m.count_primes_parallel, 0, n, 0)
            cpu[peer].append(used / wall)
            return wall
        measures[(peer, "one core")], measures[(peer, "all cores")] = one, all_
    got = common.interleave(measures, rounds)
    records = []
    for peer in mods:
        t1, tn = common.median(got[(peer, "one core")]), common.median(got[(peer, "all cores")])
        note = (f"N={n:,}: {t1:.3f} s on 1 core, {tn:.3f} s on {sb.core_count()}; "
                f"got {common.median(cpu[peer]):.2f} cores")
        records += [{"case": "speedup_parallel_swift", "peer": peer, "value": t1 / tn, "unit": "x", "note": note},
                    {"case": "speedup_parallel_swift:one_core", "peer": peer, "value": t1, "unit": "s"},
                    {"case": "speedup_parallel_swift:all_cores", "peer": peer, "value": tn, "unit": "s"}]
    return records


def case_python_threads(mods: dict, rounds: int, target_s: float) -> list[dict]:
    """Two GIL-releasing calls from one Python thread against two threads,
    for each peer in ``mods`` ({peer: module with count_primes})."""
    n = calibrate_primes(mods["swiftbind"], target_s / 2)
    cpu: dict[str, list[float]] = {p: [] for p in mods}
    measures = {}
    for peer, m in mods.items():
        def one_thread(m=m):
            return timed(lambda: (m.count_primes(0, n), m.count_primes(0, n)))[0]

        def two_threads(m=m, peer=peer):
            barrier = threading.Barrier(3)

            def worker():
                barrier.wait()
                m.count_primes(0, n)

            threads = [threading.Thread(target=worker) for _ in range(2)]
            for t in threads:
                t.start()
            c0 = time.process_time()
            barrier.wait()
            t0 = time.perf_counter()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            cpu[peer].append((time.process_time() - c0) / wall)
            return wall
        measures[(peer, "1 thread")], measures[(peer, "2 threads")] = one_thread, two_threads
    got = common.interleave(measures, rounds)
    records = []
    for peer in mods:
        t1, t2 = common.median(got[(peer, "1 thread")]), common.median(got[(peer, "2 threads")])
        note = (f"2 calls, N={n:,}: {t1:.3f} s from 1 thread, {t2:.3f} s from 2; "
                f"got {common.median(cpu[peer]):.2f} cores")
        records.append({"case": "speedup_python_threads", "peer": peer, "value": t1 / t2, "unit": "x", "note": note})
    return records


def per_op_us(run, loops: int, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        gc.disable()
        t0 = time.perf_counter()
        run(loops)
        samples.append((time.perf_counter() - t0) / loops * 1e6)
        gc.enable()
    return common.median(samples), common.spread(samples)


def case_job_overhead(sb, rounds: int, loops: int) -> list[dict]:
    def swift(k):
        job = sb.empty_job
        for _ in range(k):
            job().result()

    pool = concurrent.futures.ThreadPoolExecutor(1)

    def noop():
        pass

    def python(k):
        submit = pool.submit
        for _ in range(k):
            submit(noop).result()

    swift(200), python(200)  # warm the thread pools
    s, s_spread = per_op_us(swift, loops, rounds)
    p, p_spread = per_op_us(python, loops, rounds)
    pool.shutdown()
    return [{"case": "job_overhead", "peer": "swiftbind", "value": s, "unit": "us", "spread": s_spread,
             "note": "empty_job().result()"},
            {"case": "job_overhead", "peer": "python", "value": p, "unit": "us", "spread": p_spread,
             "note": "ThreadPoolExecutor(1).submit(noop).result()"}]


def case_await_overhead(sb, rounds: int, loops: int) -> list[dict]:
    def noop():
        pass

    async def swift(k):
        f = sb.noop_async
        for _ in range(k):
            await f()

    async def python(k):
        loop = asyncio.get_running_loop()
        for _ in range(k):
            await loop.run_in_executor(None, noop)

    def measure(coro_fn):
        async def main():
            await coro_fn(200)  # warm up
            samples = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                await coro_fn(loops)
                samples.append((time.perf_counter() - t0) / loops * 1e6)
            return samples
        return asyncio.run(main())

    s, p = measure(swift), measure(python)
    return [{"case": "await_overhead", "peer": "swiftbind", "value": common.median(s), "unit": "us",
             "spread": common.spread(s), "note": "await noop_async()"},
            {"case": "await_overhead", "peer": "python", "value": common.median(p), "unit": "us",
             "spread": common.spread(p), "note": "await loop.run_in_executor(None, noop)"}]


def case_dask_map(sb, ext_dir: Path, rounds: int, target_s: float) -> list[dict]:
    missing = common.ensure_packages({"distributed": "dask[distributed]"})
    if missing:
        print(f"dask_map skipped: {missing['distributed']}")
        return []
    import distributed
    n = calibrate_primes(sb, target_s)
    pieces = 16
    bounds = [(n * i // pieces, n * (i + 1) // pieces) for i in range(pieces)]
    los, his = [b[0] for b in bounds], [b[1] for b in bounds]
    expected = sb.count_primes(0, n)
    workers = sb.core_count()
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ext_dir), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    started = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    client = distributed.Client(cluster)
    dask_start = time.perf_counter() - started
    started = time.perf_counter()
    pool = concurrent.futures.ProcessPoolExecutor(workers)
    list(pool.map(sb.count_primes, [0] * workers, [1] * workers))  # start the workers
    pool_start = time.perf_counter() - started
    try:
        def dask_run():
            t0 = time.perf_counter()
            total = sum(client.gather(client.map(sb.count_primes, los, his, pure=False)))
            assert total == expected, (total, expected)
            return time.perf_counter() - t0

        def pool_run():
            t0 = time.perf_counter()
            total = sum(pool.map(sb.count_primes, los, his))
            assert total == expected, (total, expected)
            return time.perf_counter() - t0

        def one_call():
            return timed(sb.count_primes, 0, n)[0]

        def parallel_swift():
            return timed(sb.count_primes_parallel, 0, n, 0)[0]

        dask_run(), pool_run()  # warm up
        got = common.interleave({"dask": dask_run, "process pool": pool_run,
                                 "one call": one_call, "parallel swift": parallel_swift}, rounds)
    finally:
        client.close()
        cluster.close()
        pool.shutdown()
    med = {k: common.median(v) for k, v in got.items()}
    what = f"{pieces} x count_primes over [0, {n:,}) on {workers} processes"
    return [
        {"case": "dask_map", "peer": "dask", "value": med["dask"], "unit": "s", "spread": common.spread(got["dask"]),
         "note": f"{what}; LocalCluster start {dask_start:.1f} s (not counted)"},
        {"case": "dask_map", "peer": "process-pool", "value": med["process pool"], "unit": "s",
         "spread": common.spread(got["process pool"]),
         "note": f"ProcessPoolExecutor; start {pool_start:.2f} s (not counted)"},
        {"case": "dask_map", "peer": "swiftbind", "value": med["one call"], "unit": "s",
         "spread": common.spread(got["one call"]), "note": "the same work in one call, one core"},
        {"case": "dask_map", "peer": "swiftbind-parallel", "value": med["parallel swift"], "unit": "s",
         "spread": common.spread(got["parallel swift"]), "note": "the same work in one call, all cores"},
    ]


def verdict(record: dict) -> str:
    target = TARGETS.get(record["case"])
    if not target or record["peer"] != "swiftbind":
        return ""
    unit, op, bound = target
    ok = record["value"] >= bound if op == ">=" else record["value"] <= bound
    return f"target {op} {bound:g} {unit}: {'met' if ok else 'MISSED'}"


def print_records(records: list[dict]) -> None:
    print(f"\nbenchmarks/parallel on {common.machine_description()}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other work on these cores slows the speed-ups)\n")
    header = f"{'case':<24} {'peer':<19} {'value':>9} {'unit':<4} {'+-':>6}  note"
    print(header)
    print("-" * len(header))
    for r in records:
        if ":" in r["case"]:
            continue
        spread = f"{r['spread'] * 100:5.1f}%" if "spread" in r else ""
        notes = "; ".join(x for x in (verdict(r), r.get("note", "")) if x)
        print(f"{r['case']:<24} {r['peer']:<19} {common.fmt_value(r['value']):>9} {r['unit']:<4} {spread:>6}  {notes}")


def main(argv: list[str]) -> list[dict]:
    ap = argparse.ArgumentParser(prog="run.py parallel")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cases", default=",".join(CASES))
    args = ap.parse_args(argv)
    rounds = 3 if args.quick else args.rounds
    target_s = 0.1 if args.quick else 0.4
    loops = 500 if args.quick else 3000
    cases = args.cases.split(",")
    unknown = set(cases) - set(CASES)
    if unknown:
        raise SystemExit(f"unknown cases {sorted(unknown)}; choose from {CASES}")
    load = os.getloadavg()[0]
    sb, ext_dir = build()
    mods = {"swiftbind": sb}
    try:
        mods["pyo3"] = common.build_pyo3_extension("pyo3_parallel", HERE / "peers" / "pyo3_parallel",
                                                   common.build_dir(NAME))
        print(f"pyo3: PyO3 {common.PYO3_VERSION} (Debian's librust-pyo3-dev, older than PyO3's current "
              "release), cargo --release with LTO; std::thread::scope workers", flush=True)
    except (common.BuildError, subprocess.SubprocessError, OSError) as e:
        print(f"pyo3: left out ({str(e).splitlines()[0]})", flush=True)
    runs = {
        "speedup_parallel_swift": lambda: case_parallel_swift(mods, rounds, target_s),
        "speedup_python_threads": lambda: case_python_threads(mods, rounds, target_s),
        "job_overhead": lambda: case_job_overhead(sb, rounds * 2 + 1, loops),
        "await_overhead": lambda: case_await_overhead(sb, rounds * 2 + 1, loops),
        "dask_map": lambda: case_dask_map(sb, ext_dir, max(3, rounds // 2), target_s * 2),
    }
    chosen = [c for c in CASES if c in cases]
    records: list[dict] = []
    for i, case in enumerate(chosen, 1):
        common.progress("parallel", case, f"case {i}/{len(chosen)}")
        records += runs[case]()
    for r in records:
        r.setdefault("load_before", load)
    print_records(records)
    return records
