"""Statistics benchmark: population standard deviation from Python.

The seed's slide: population std of ``list(range(5000))``, 100,000 times --
pure Python 94.6 s, a C binding 27.1 s.  Here, per call (µs), for:

* ``python``  -- the faster of two hand-written two-pass loops (explicit
  ``for`` loops; ``sum()`` + generator).  ``statistics.pstdev`` is printed too
  (it is exact, with fractions, and far slower), but not recorded.
* ``c``       -- ``cstats.c``: a C extension walking the list
  (PySequence_Fast + PyFloat_AS_DOUBLE / PyLong_AsDouble, two passes), and a
  plain two-pass loop over a float64 buffer.
* ``numpy``   -- ``np.std``: on the float64 array for ``std_buffer``; on the
  list (conversion included) for the list cases.
* ``swiftbind`` -- ``examples/stats`` (``stats.std(list)``,
  ``stats.std_buffer(array)``), when it builds.

Cases: ``std_list_int`` (``list(range(5000))``), ``std_list_float``
(``[float(i) for i in range(5000)]``), ``std_buffer``
(``np.arange(5000, dtype=np.float64)``); unit ``us``.  A 10-million-element
buffer row is printed but not recorded.

    python3 benchmarks/run.py stats [--rounds 15] [--quick]
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH_DIR = HERE.parent
REPO = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))
import common  # noqa: E402  (benchmarks/common.py)

N = 5000
BIG = 10_000_000
RECORDED = ("python", "c", "numpy", "swiftbind")
REL_TOL = 1e-9


# --------------------------------------------------------------------------
# pure Python peers
# --------------------------------------------------------------------------

def pstd_loop(xs) -> float:
    """Two passes, explicit loops."""
    n = 0
    total = 0.0
    for x in xs:
        total += x
        n += 1
    mean = total / n
    ss = 0.0
    for x in xs:
        d = x - mean
        ss += d * d
    return math.sqrt(ss / n)


def pstd_sum(xs) -> float:
    """Two passes with sum() and a generator."""
    n = len(xs)
    mean = sum(xs) / n
    return math.sqrt(sum((x - mean) * (x - mean) for x in xs) / n)


# --------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------

def build_swiftbind(out: Path):
    sys.path.insert(0, str(REPO / "python"))
    from swiftbind.builder import build_extension
    paths = build_extension(REPO / "examples" / "stats", out)
    for p in paths:
        if Path(p).name.startswith("stats"):
            return common.load_extension("stats", Path(p))
    raise RuntimeError(f"build_extension returned no stats module: {paths}")


# --------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------

def per_call_measure(fn, arg, target_s: float):
    """A measure() for common.interleave: seconds per call, over a batch of k
    calls with k calibrated so a batch takes about target_s."""
    def run(k: int) -> float:
        t0 = time.perf_counter()
        for _ in range(k):
            fn(arg)
        return time.perf_counter() - t0
    k = common.calibrate(run, target_s=target_s, start=1)
    return lambda: run(k) / k


def measure_case(peers: dict, arg_for: dict, rounds: int, target_s: float) -> dict:
    """peers {name: fn}; arg_for {name: argument}.  Returns {name: [s per call]}."""
    measures = {p: per_call_measure(fn, arg_for[p], target_s) for p, fn in peers.items()}
    return common.interleave(measures, rounds)


def check_agreement(case: str, peers: dict, arg_for: dict, reference: float) -> list[str]:
    bad = []
    for p, fn in peers.items():
        got = float(fn(arg_for[p]))
        if not math.isclose(got, reference, rel_tol=REL_TOL):
            bad.append(f"{case}/{p}: {got!r} != {reference!r}")
    return bad


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def main(argv: list[str]) -> list[dict]:
    ap = argparse.ArgumentParser(prog="run.py stats", description="population std from Python")
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds per case (median reported)")
    ap.add_argument("--quick", action="store_true", help="5 rounds, shorter batches, no 10M row")
    args = ap.parse_args(argv)
    rounds = 5 if args.quick else args.rounds
    target = 0.01 if args.quick else 0.03

    missing = common.ensure_packages({"numpy": "numpy"})
    if missing:
        raise SystemExit(f"numpy is needed: {missing['numpy']}")
    import numpy as np

    out = common.build_dir("stats")
    notes = {}
    cstats = common.load_extension("cstats", common.compile_native("cstats", [HERE / "cstats.c"], out))
    try:
        sb = build_swiftbind(out / "swiftbind")
    except Exception as e:  # noqa: BLE001 -- any failure: leave the peer out
        reason = str(e).strip().splitlines()[0] if str(e).strip() else ""
        print(f"swiftbind: not built ({type(e).__name__}: {reason[:300]})")
        notes["swiftbind"] = "not built"
        sb = None

    lst_int = list(range(N))
    lst_float = [float(i) for i in range(N)]
    arr = np.arange(N, dtype=np.float64)
    ref_int = statistics.pstdev(lst_int)
    ref_float = statistics.pstdev(lst_float)
    ref_arr = statistics.pstdev(arr.tolist())

    list_peers = {"python-loop": pstd_loop, "python-sum": pstd_sum,
                  "pstdev": statistics.pstdev, "c": cstats.std, "numpy": np.std}
    if sb is not None:
        list_peers["swiftbind"] = sb.std
    buf_peers = {"python-loop": pstd_loop, "python-sum": pstd_sum,
                 "c": cstats.std_buffer, "numpy": np.std}
    if sb is not None:
        buf_peers["swiftbind"] = sb.std_buffer

    def buf_args(a):
        # pure Python walks a memoryview (yields Python floats; iterating the
        # array itself would make a numpy scalar per element)
        return {p: (memoryview(a) if p.startswith("python") else a) for p in buf_peers}

    cases = {
        "std_list_int": (list_peers, {p: lst_int for p in list_peers}, ref_int),
        "std_list_float": (list_peers, {p: lst_float for p in list_peers}, ref_float),
        "std_buffer": (buf_peers, buf_args(arr), ref_arr),
    }
    bad = []
    for case, (peers, args_, ref) in cases.items():
        bad += check_agreement(case, peers, args_, ref)

    print(f"\nstats: {common.machine_description()}, numpy {np.__version__}")
    print(f"population std of {N} numbers; µs per call = median of {rounds} interleaved rounds")
    if bad:
        print("DISAGREEMENT (rel. tol. 1e-9):\n  " + "\n  ".join(bad))
    else:
        print(f"all peers agree with statistics.pstdev within {REL_TOL:g} relative")

    results: dict[str, dict[str, list[float]]] = {}
    for i, (case, (peers, args_, _ref)) in enumerate(cases.items(), 1):
        common.progress("stats", ", ".join(peers), f"case {case} ({i}/{len(cases)}), {rounds} rounds")
        results[case] = measure_case(peers, args_, rounds, target)

    big = None
    if not args.quick:
        arr_big = np.arange(BIG, dtype=np.float64)
        big_peers = {p: fn for p, fn in buf_peers.items() if p != "python-sum"}
        bad_big = check_agreement("std_buffer_10M", big_peers, buf_args(arr_big),
                                  float(np.sqrt(np.mean((arr_big - arr_big.mean()) ** 2))))
        if bad_big:
            print("DISAGREEMENT (10M):\n  " + "\n  ".join(bad_big))
        print("  measuring std_buffer 10M ...", flush=True)
        big = measure_case(big_peers, buf_args(arr_big), max(3, rounds // 3), 0.2)
        del arr_big

    records = report(results, big, notes, rounds)
    return records


def report(results: dict, big: dict | None, notes: dict, rounds: int) -> list[dict]:
    records = []
    for case, samples in results.items():
        us = {p: common.median(v) * 1e6 for p, v in samples.items()}
        spread = {p: common.spread(v) for p, v in samples.items()}
        hand = [p for p in ("python-loop", "python-sum") if p in us]
        best_py = min(hand, key=us.get)
        us["python"], spread["python"] = us[best_py], spread[best_py]
        print_case(f"{case} (n = {N})", us, spread, best_py, notes)
        for p in RECORDED:
            if p in us:
                records.append({"case": case, "peer": p, "value": round(us[p], 3), "unit": "us"})

    if big:
        us = {p: common.median(v) * 1e6 for p, v in big.items()}
        spread = {p: common.spread(v) for p, v in big.items()}
        us["python"], spread["python"] = us["python-loop"], spread["python-loop"]
        print_case(f"std_buffer, n = {BIG:,} (printed only, not recorded)", us, spread,
                   "python-loop", notes, seed=False)

    # the seed's framing
    print("The seed's framing: population std of list(range(5000)), 10,000 calls "
          "(projected from µs/call; the slide: 100,000 calls, pure Python 94.6 s, C binding 27.1 s)")
    li = results["std_list_int"]
    us = {p: common.median(v) * 1e6 for p, v in li.items()}
    for p in ("pstdev", "python-loop", "python-sum", "c", "numpy", "swiftbind"):
        if p in us:
            print(f"  {p:<12} {us[p] * 1e4 / 1e6:8.2f} s per 10,000   {us[p] * 1e5 / 1e6:8.1f} s per 100,000")
    print()
    return records


def print_case(title: str, us: dict, spread: dict, best_py: str, notes: dict, seed: bool = True) -> None:
    c, py = us.get("c"), us.get("python")
    print(f"\n{title}")
    hdr = f"{'peer':<12} {'us/call':>10} {'+-':>6} {'x c':>7} {'speedup vs python':>18}"
    if seed:
        hdr += f" {'10,000 calls':>13}"
    print(hdr)
    print("-" * len(hdr))
    order = ["python", "python-loop", "python-sum", "pstdev", "c", "numpy", "swiftbind"]
    for p in order:
        if p == "swiftbind" and p not in us and "swiftbind" in notes:
            print(f"{p:<12} {notes['swiftbind']}")
            continue
        if p not in us:
            continue
        label = p if p != "python" else f"python"
        line = (f"{label:<12} {common.fmt_value(us[p]):>10} {spread[p] * 100:5.1f}% "
                f"{us[p] / c:6.2f}x {py / us[p]:17.1f}x")
        if seed:
            line += f" {us[p] * 1e4 / 1e6:11.2f} s"
        if p == "python":
            line += f"   (= {best_py}, the faster hand loop)"
        print(line)
    print()
