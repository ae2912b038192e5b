"""Classes: swiftbind's Swift types against hand-written C and the peers.

``python3 benchmarks/run.py classes [options]``

The same ``Counter`` type (an int64 ``count``) in every peer, used from a
Python loop:

    construct     Counter(5)
    method        o.bump(1)              (count += by; return count)
    get           o.count
    set           o.count = 3
    iterate1000   for x in Counter(1000): pass    (ns per element)

Peers: ``c`` (hand-written static type: tp_new reading its argument from the
tuple, METH_FASTCALL method, getset property, C iterator type; the
baseline), ``swiftbind`` (a Swift struct stored inline, see
``swift/Sources/sb_classes``), ``pyo3`` (PyO3 0.17.3 from Debian's
``librust-pyo3-dev``, older than PyO3's current release: a ``#[pyclass]``
with a ``#[pyo3(get, set)]`` field and an iterator ``#[pyclass]``; cargo
offline, release with LTO), ``nanobind``, ``pybind11``, ``cython``
(``cdef class`` with a generator ``__iter__``) and ``python`` (a plain
class with ``__slots__``).  Timing as in ``calls``: one loop per (case,
peer), best of ``--reps`` short runs per sample, interleaved rounds in a
fresh random order, medians; GC off while measuring.

Options: --rounds R (default 31), --reps K (3), --ms MS (3), --peers a,b,
--cases a,b, --swift-timeout S (240), --quick (no callgrind), --no-callgrind.

Unless --quick or --no-callgrind, and when valgrind is installed, every case
of ``c``, ``swiftbind``, ``nanobind`` and ``pyo3`` is also counted in
instructions per operation under callgrind (``common.callgrind_counts``;
records ``CASE_instructions``, unit ``instr``).
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import itertools
import sys
import time
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
PEERS_DIR = HERE / "peers"
NAME = "classes"
PEER_ORDER = ["c", "swiftbind", "pyo3", "nanobind", "pybind11", "cython", "python"]

# Peers whose instructions per operation are counted with callgrind.
CALLGRIND_PEERS = ["c", "swiftbind", "nanobind", "pyo3"]

# case -> (setup, statement, operations per statement)
CASES = {
    "construct": ("", "C(5)", 1),
    "method": ("o = C(0)", "o.bump(1)", 1),
    "get": ("o = C(7)", "o.count", 1),
    "set": ("o = C(7)", "o.count = 3", 1),
    "iterate1000": ("o = C(1000)", "for x in o: pass", 1000),
}


def log(msg: str) -> None:
    print(msg, flush=True)


def _calls():
    """benchmarks/calls/bench.py, for its peer builders' helpers."""
    spec = importlib.util.spec_from_file_location("bench_calls_for_classes", HERE.parent / "calls" / "bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build_c(out):
    return common.load_extension("c_classes", common.compile_native("c_classes", [PEERS_DIR / "c_classes.c"], out))


def build_pyo3(out):
    return common.build_pyo3_extension("pyo3_classes", PEERS_DIR / "pyo3_classes", out)


def build_pybind11(out):
    import pybind11
    so = common.compile_native("pb_classes", [PEERS_DIR / "pb_classes.cpp"], out, cxx=True,
                               include_dirs=[pybind11.get_include()], cache_key=("pybind11", pybind11.__version__))
    return common.load_extension("pb_classes", so)


def build_nanobind(out):
    import nanobind
    root = Path(nanobind.include_dir()).parent
    src = Path(nanobind.source_dir())
    so = common.compile_native(
        "nb_classes", [PEERS_DIR / "nb_classes.cpp", src / "nb_combined.cpp"], out, cxx=True,
        include_dirs=[nanobind.include_dir(), root / "ext" / "robin_map" / "include"],
        deps=[*src.glob("*.cpp"), *src.glob("*.h")], cache_key=("nanobind", nanobind.__version__))
    return common.load_extension("nb_classes", so)


def build_cython(out):
    import os
    import shlex
    import subprocess
    import Cython
    pyx = PEERS_DIR / "cy_classes.pyx"
    key = common.hash_inputs(Cython.__version__, files=[pyx])
    c_file = out / "gen" / key / "cy_classes.c"
    if not c_file.exists():
        c_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = c_file.with_suffix(f".tmp{os.getpid()}.c")
        cmd = [sys.executable, "-m", "cython", "-3", str(pyx), "-o", str(tmp)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise common.BuildError(f"{shlex.join(cmd)} failed:\n{(r.stdout + r.stderr)[-2000:]}")
        tmp.rename(c_file)
    so = common.compile_native("cy_classes", [c_file], out, cache_key=("cython", Cython.__version__),
                               extra_flags=["-Wno-unused-function"])
    return common.load_extension("cy_classes", so)


class PyCounter:
    __slots__ = ("count",)

    def __init__(self, count):
        self.count = count

    def bump(self, by):
        self.count += by
        return self.count

    def __iter__(self):
        return iter(range(self.count))


def build_python(out):
    return type("python_classes", (), {"Counter": PyCounter})


def build_swiftbind(out, timeout):
    calls = _calls()
    calls.SWIFT_DIR = HERE / "swift"
    calls.SWIFT_BUILD_SCRIPT = calls.SWIFT_BUILD_SCRIPT.replace("sb_calls", "sb_classes")
    ext = common.python_ext_info()["ext_suffix"]
    key = common.hash_inputs("swiftbind", sys.version, files=calls.swift_inputs(common.REPO))
    target_dir = out / f"swiftbind-{key}"
    found = sorted(target_dir.glob(f"**/sb_classes{ext}")) if target_dir.is_dir() else []
    if not found:
        import subprocess
        target_dir.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-c", calls.SWIFT_BUILD_SCRIPT, str(common.REPO / "python"),
               str(HERE / "swift"), str(target_dir), "none"]   # the last: abi3 (none: version-specific)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=common.REPO)
        if r.returncode != 0:
            raise common.BuildError(f"build_extension failed: {common.first_error(r.stdout + r.stderr)}")
        found = sorted(target_dir.glob(f"**/sb_classes{ext}"))
    return common.load_extension("sb_classes", found[0])


def check(mod) -> str | None:
    try:
        C = mod.Counter
        o = C(5)
        if o.count != 5 or o.bump(2) != 7 or o.count != 7:
            return "construct/bump/get wrong"
        o.count = 3
        if o.count != 3 or list(C(4)) != [0, 1, 2, 3]:
            return "set/iterate wrong"
    except Exception as e:  # noqa: BLE001
        return f"raised {type(e).__name__}: {e}"
    return None


def make_measure(setup: str, stmt: str, C, n: int, reps: int, per: int):
    src = f"def loop(C, n, repeat=repeat):\n    {setup or 'pass'}\n    for _ in repeat(None, n):\n        {stmt}\n"
    ns = {"repeat": itertools.repeat}
    exec(compile(src, f"<classes loop {stmt}>", "exec"), ns)
    loop = ns["loop"]
    clock = time.perf_counter_ns

    def measure() -> float:
        best = None
        for _ in range(reps):
            t0 = clock()
            loop(C, n)
            t = clock() - t0
            best = t if best is None or t < best else best
        return best / n / per
    return measure, loop


def main(argv: list[str]) -> list[dict]:
    ap = argparse.ArgumentParser(prog="run.py classes", description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=31)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--ms", type=float, default=3.0)
    ap.add_argument("--peers", default=",".join(PEER_ORDER))
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--swift-timeout", type=float, default=240.0)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-callgrind", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.rounds, args.reps, args.ms = 7, 2, 2.0
        args.no_callgrind = True
    peers = [p for p in PEER_ORDER if p in args.peers.split(",") or p == "c"]
    cases = [c for c in CASES if c in args.cases.split(",")]
    machine = common.machine_description()
    log(f"classes benchmark on {machine}")
    out = common.build_dir(NAME)
    pip_failed = common.ensure_packages({m: m.lower() if m != "Cython" else "cython" for m in
                                         ["pybind11", "nanobind", "Cython"]})
    builders = {"c": build_c, "pyo3": build_pyo3, "nanobind": build_nanobind, "pybind11": build_pybind11,
                "cython": build_cython, "python": build_python,
                "swiftbind": lambda o: build_swiftbind(o, args.swift_timeout)}
    modules, failed = {}, {}
    for p in peers:
        if {"nanobind": "nanobind", "pybind11": "pybind11", "cython": "Cython"}.get(p) in pip_failed:
            failed[p] = "pip install failed"
            continue
        t0 = time.perf_counter()
        try:
            modules[p] = builders[p](out)
            wrong = check(modules[p])
            if wrong:
                failed[p] = f"excluded, wrong results: {wrong}"
                del modules[p]
            log(f"  {p:<10} {'ok' if p in modules else failed[p]} ({time.perf_counter() - t0:.1f} s)")
        except Exception as e:  # noqa: BLE001
            failed[p] = str(e).splitlines()[0] if str(e) else type(e).__name__
            log(f"  {p:<10} NOT BUILT: {failed[p]}")
    if "c" not in modules:
        raise SystemExit(f"the baseline C type could not be built: {failed.get('c')}")
    measured = [p for p in peers if p in modules]
    measures = {}
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for case in cases:
            setup, stmt, per = CASES[case]
            for p in measured:
                C = modules[p].Counter
                _, loop = make_measure(setup, stmt, C, 1, 1, per)
                loop(C, 100)

                def run(n, loop=loop, C=C):
                    t0 = time.perf_counter()
                    loop(C, n)
                    return time.perf_counter() - t0
                n = common.calibrate(run, args.ms / 1000, start=10 if per > 1 else 1000)
                measures[(case, p)] = make_measure(setup, stmt, C, n, args.reps, per)[0]
        log(f"measuring: {args.rounds} interleaved rounds of {len(measures)} loops")
        for m in measures.values():
            m()
        samples = common.interleave(measures, args.rounds, seed=12345,
                                    between=lambda r: print("." if (r + 1) % 10 else f"{r + 1}", end="", flush=True))
        print(flush=True)
    finally:
        if gc_was:
            gc.enable()

    records, summary = [], {}
    print(f"\nClasses, ns per operation (median over {args.rounds} interleaved rounds of the best of "
          f"{args.reps} ~{args.ms:g} ms loops; loop overhead included)\nmachine: {machine}\n")
    for case in cases:
        rows = []
        for p in measured:
            vals = samples[(case, p)]
            v = common.median(vals)
            rows.append({"peer": p, "value": v, "spread": common.spread(vals)})
            records.append({"case": case, "peer": p, "value": round(v, 2), "unit": "ns"})
            summary[(case, p)] = v
        common.print_table(f"{case}: {CASES[case][1]}", rows, baseline="c", unit="ns")
    for p, why in failed.items():
        print(f"{p}: not built ({why})")
    cols = ["peer", *[f"{c} (ns)" for c in cases]]
    md = []
    for p in peers:
        if p not in measured:
            md.append([p, *["not built" for _ in cases]])
            continue
        md.append([p, *[f"{common.fmt_value(summary[(c, p)])} ({summary[(c, p)] / summary[(c, 'c')]:.2f}x)" for c in cases]])
    print("\nSummary (ns per operation, ratio to c):\n")
    print(common.markdown_table(cols, md))
    if "pyo3" in measured:
        print(f"\npyo3: PyO3 {common.PYO3_VERSION} (Debian's librust-pyo3-dev, older than PyO3's "
              "current release), cargo --release with LTO")
    if "swiftbind" in measured:
        worst = max(summary[(c, "swiftbind")] / summary[(c, "c")] for c in cases)
        print(f"\ntarget swiftbind <= 1.2x c on every row: {'met' if worst <= 1.2 else 'NOT met'} (worst {worst:.2f}x)")
    if not args.no_callgrind:
        counted = [p for p in CALLGRIND_PEERS if p in measured]
        counts = common.callgrind_counts({
            (case, p): common.CallgrindLoop(modules[p], "Counter", "C", CASES[case][0], CASES[case][1],
                                            CASES[case][2])
            for case in cases for p in counted})
        if counts is not None:
            common.print_instruction_table("Instructions per operation", counts, counted, cases)
            records += [{"case": f"{case}_instructions", "peer": p, "value": round(v, 1), "unit": "instr"}
                        for (case, p), v in counts.items()]
    return records
