"""Call overhead: swiftbind against the other ways of calling native code.

``python3 benchmarks/run.py calls [options]``

Builds, in one run, the same four functions with every peer and times a call
of each from a Python loop:

    noop()                      -> None
    add(a: Int, b: Int) -> Int  -> a + b            called add(1, 2)
    scale(x: Double) -> Double  -> x * 2.5          called scale(1.5)
    kw(a, b=2, *, c=3) -> Int   -> a + b + c        called kw(1, b=2, c=3)
                                                    (ctypes/cffi: kw(1, 2, 3))

Peers: ``c`` (hand-written METH_FASTCALL extension, the baseline),
``swiftbind``, ``swiftbind-abi3`` (the same module built with ``abi3 = "3.10"``:
the limited API, one binary for CPython 3.10+), ``pyo3`` (PyO3 0.17.3 from
Debian's ``librust-pyo3-dev``, older than PyO3's current release; cargo
offline, release with LTO), ``nanobind``, ``pybind11``, ``cython``, ``cffi`` (API mode),
``ctypes`` and ``python`` (a plain ``def``).  Native peers are compiled
directly with cc/c++ and the same flags (``common.COMMON_CFLAGS``) for the
running interpreter and cached in ``benchmarks/_build/calls/``; missing PyPI
peers are pip-installed.  A peer that cannot be built is reported and left out.

Timing: every (case, peer) gets a loop compiled from the same source text,
``for _ in repeat(None, n): f(ARGS)``, with ``f`` a local, and ``n`` chosen
so that one run of the loop takes ~``--ms`` milliseconds.  A sample is the
best of ``--reps`` runs.  Each round takes one sample of every (case, peer)
in a fresh random order; the value reported is the median over rounds of ns
per call, *including* the loop's own cost (shown as "empty loop").  The GC
is off while measuring.

Options:
  --rounds R        rounds of interleaved measurements (default 41)
  --reps K          runs per sample, the best counts (default 3)
  --ms MS           target length of one run in ms (default 3)
  --peers a,b,...   only these peers (c is always kept, it is the baseline)
  --cases a,b,...   only these cases
  --swift-timeout S give up on the swiftbind build after S seconds (default 210)
  --swiftbind-root DIR  take the build tool (DIR/python) and the runtime (DIR)
                    from another checkout, e.g. a `git worktree` of a commit,
                    when the one here is being edited (default: this repo)
  --quick           --rounds 7 --reps 2 --ms 2 (a smoke test), no callgrind
  --no-callgrind    skip the instruction counts

Instruction counts: unless --quick or --no-callgrind, and when valgrind is
installed, every case of ``c``, ``swiftbind``, ``nanobind`` and ``pyo3`` also
runs under ``valgrind --tool=callgrind`` in a child process, the same loop
text at two lengths; (instructions(n2) - instructions(n1)) / (n2 - n1) is
the count per call, loop included (records ``CASE_instructions``, unit
``instr``).  Counts do not depend on the load of the machine.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import io
import itertools
import os
import shlex
import subprocess
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
PEERS_DIR = HERE / "peers"
SWIFT_DIR = HERE / "swift"
NAME = "calls"

PEER_ORDER = ["c", "swiftbind", "swiftbind-abi3", "pyo3", "nanobind", "pybind11", "cython", "cffi", "ctypes", "python"]
POSITIONAL_ONLY = {"cffi", "ctypes"}  # no keyword arguments: kw is called kw(1, 2, 3)

# case -> (call with keywords, call without keywords, expected result)
CASES = {
    "noop": ("f()", "f()", None),
    "add": ("f(1, 2)", "f(1, 2)", 3),
    "scale": ("f(1.5)", "f(1.5)", 3.75),
    "kw": ("f(1, b=2, c=3)", "f(1, 2, 3)", 6),
}

PIP_PEERS = {"pybind11": "pybind11", "nanobind": "nanobind", "Cython": "cython", "cffi": "cffi"}
PIP_FOR_PEER = {"pybind11": "pybind11", "nanobind": "nanobind", "cython": "Cython", "cffi": "cffi"}


def log(msg: str) -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------
# building the peers; each builder returns an object with noop/add/scale/kw
# --------------------------------------------------------------------------

def build_c(out: Path):
    so = common.compile_native("c_calls", [PEERS_DIR / "c_calls.c"], out)
    return common.load_extension("c_calls", so)


def build_pybind11(out: Path):
    import pybind11
    so = common.compile_native(
        "pb_calls", [PEERS_DIR / "pb_calls.cpp"], out, cxx=True,
        include_dirs=[pybind11.get_include()], cache_key=("pybind11", pybind11.__version__))
    return common.load_extension("pb_calls", so)


def build_nanobind(out: Path):
    import nanobind
    root = Path(nanobind.include_dir()).parent
    robin = root / "ext" / "robin_map" / "include"
    if not robin.is_dir():
        raise common.BuildError(f"nanobind's robin_map headers not found at {robin}")
    src = Path(nanobind.source_dir())
    # nanobind's core library compiled into the module (what its CMake does
    # with NB_STATIC), as one translation unit.
    so = common.compile_native(
        "nb_calls", [PEERS_DIR / "nb_calls.cpp", src / "nb_combined.cpp"], out, cxx=True,
        include_dirs=[nanobind.include_dir(), robin],
        deps=[*src.glob("*.cpp"), *src.glob("*.h")],
        cache_key=("nanobind", nanobind.__version__))
    return common.load_extension("nb_calls", so)


def build_pyo3(out: Path):
    """benchmarks/calls/peers/pyo3_calls with cargo (release, LTO)."""
    return common.build_pyo3_extension("pyo3_calls", PEERS_DIR / "pyo3_calls", out)


def build_cython(out: Path):
    import Cython
    pyx = PEERS_DIR / "cy_calls.pyx"
    key = common.hash_inputs(Cython.__version__, files=[pyx])
    gen = out / "gen" / f"cy_calls-{key}.c"
    if not gen.exists():
        gen.parent.mkdir(parents=True, exist_ok=True)
        tmp = gen.with_suffix(f".tmp{os.getpid()}.c")
        cmd = [sys.executable, "-m", "cython", "-3", str(pyx), "-o", str(tmp)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise common.BuildError(f"{shlex.join(cmd)} failed:\n{(r.stdout + r.stderr)[-2000:]}")
        tmp.rename(gen)
    # the C file must be named like the module for Cython's PyInit_ name
    c_file = out / "gen" / key / "cy_calls.c"
    c_file.parent.mkdir(parents=True, exist_ok=True)
    if not c_file.exists():
        c_file.write_bytes(gen.read_bytes())
    so = common.compile_native("cy_calls", [c_file], out, cache_key=("cython", Cython.__version__),
                               extra_flags=["-Wno-unused-function"])
    return common.load_extension("cy_calls", so)


CFFI_CDEF = """
void noop(void);
int64_t add(int64_t a, int64_t b);
double scale(double x);
int64_t kw(int64_t a, int64_t b, int64_t c);
"""


def build_cffi(out: Path):
    import cffi
    plain = (PEERS_DIR / "plain_calls.c").read_text()
    source = "#define CALLS_API static\n" + plain
    key = common.hash_inputs(cffi.__version__, CFFI_CDEF, source)
    c_file = out / "gen" / f"cffi-{key}" / "_cffi_calls.c"
    if not c_file.exists():
        c_file.parent.mkdir(parents=True, exist_ok=True)
        ffi = cffi.FFI()
        ffi.cdef(CFFI_CDEF)
        ffi.set_source("_cffi_calls", source)
        with contextlib.redirect_stdout(io.StringIO()):
            ffi.emit_c_code(str(c_file))
    so = common.compile_native("_cffi_calls", [c_file], out, cache_key=("cffi", cffi.__version__))
    return common.load_extension("_cffi_calls", so).lib


def build_ctypes(out: Path):
    so = common.compile_native("plain_calls", [PEERS_DIR / "plain_calls.c"], out, python=False)
    lib = ctypes.CDLL(str(so))
    i64, dbl = ctypes.c_int64, ctypes.c_double
    lib.noop.argtypes, lib.noop.restype = [], None
    lib.add.argtypes, lib.add.restype = [i64, i64], i64
    lib.scale.argtypes, lib.scale.restype = [dbl], dbl
    lib.kw.argtypes, lib.kw.restype = [i64, i64, i64], i64
    return lib


class PythonPeer:
    """The pure-Python peer: plain module-level style functions."""

    @staticmethod
    def _defs():
        def noop():
            pass

        def add(a, b):
            return a + b

        def scale(x):
            return x * 2.5

        def kw(a, b=2, *, c=3):
            return a + b + c

        return noop, add, scale, kw

    def __init__(self):
        self.noop, self.add, self.scale, self.kw = self._defs()


def build_python(out: Path):
    return PythonPeer()


SWIFT_BUILD_SCRIPT = r"""
import sys
sys.path.insert(0, sys.argv[1])
from swiftbind.builder import build_extension
paths = build_extension(sys.argv[2], sys.argv[3], modules={"sb_calls": "sb_calls"},
                        python=sys.executable, release=True, quiet=True, abi3=sys.argv[4])
print("BUILT", paths)
"""


def swift_inputs(root: Path) -> list[Path]:
    """Everything the swiftbind extension depends on: this project, the runtime
    package at the repository root, and the build tool."""
    files = [p for p in SWIFT_DIR.rglob("*") if p.is_file() and not any(
        part.startswith(".build") or part == ".swiftpm" for part in p.relative_to(SWIFT_DIR).parts)]
    files += [f for f in [root / "Package.swift"] if f.exists()]
    for d, pattern in [(root / "Sources", "*"), (root / "python" / "swiftbind", "*.py")]:
        if d.is_dir():
            files += [p for p in d.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts]
    return files


def build_swiftbind(out: Path, timeout: float, root: Path, abi3: str = "none"):
    """Build benchmarks/calls/swift with the build tool and runtime of the
    checkout ``root`` (normally this repository); ``abi3="3.10"``: the
    limited-API build."""
    ext = ".abi3.so" if abi3 != "none" else common.python_ext_info()["ext_suffix"]
    key = common.hash_inputs("swiftbind", sys.version, str(root), abi3, files=swift_inputs(root))
    target_dir = out / (f"swiftbind-{key}" if abi3 == "none" else f"swiftbind-abi3-{key}")
    found = sorted(target_dir.glob(f"**/sb_calls{ext}")) if target_dir.is_dir() else []
    if not found:
        if not (root / "python" / "swiftbind").is_dir():
            raise common.BuildError(f"the build tool {root}/python/swiftbind does not exist yet")
        target_dir.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-c", SWIFT_BUILD_SCRIPT, str(root / "python"),
               str(SWIFT_DIR), str(target_dir), abi3]
        deadline = time.monotonic() + timeout
        for attempt in (1, 2):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    start_new_session=True, cwd=common.REPO)
            try:
                output, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, 9)
                proc.communicate()
                raise common.BuildError(f"build still running after {timeout:.0f} s; killed "
                                        "(SwiftPM resumes from its cache on the next run)") from None
            # The runtime is edited while we build: SwiftPM then refuses the
            # build ("modified during the build"); one more try usually works.
            if proc.returncode == 0 or "modified during the build" not in output or attempt == 2:
                break
            log("  swiftbind  sources changed during the build; building again")
        if proc.returncode != 0:
            lines = output.strip().splitlines()
            first = common.first_error(output)
            raise common.BuildError(f"build_extension failed: {first}\n" + "\n".join(lines[-25:]))
        found = sorted(target_dir.glob(f"**/sb_calls{ext}"))
        if not found:
            raise common.BuildError(f"build_extension succeeded but wrote no sb_calls{ext} "
                                    f"under {target_dir}; it said: {output.strip()[-500:]}")
    return common.load_extension("sb_calls", found[0])


BUILDERS = {
    "c": build_c, "swiftbind": build_swiftbind, "pyo3": build_pyo3, "nanobind": build_nanobind,
    "pybind11": build_pybind11, "cython": build_cython, "cffi": build_cffi,
    "ctypes": build_ctypes, "python": build_python,
}


def build_all(peers: list[str], swift_timeout: float, swift_root: Path) -> tuple[dict, dict]:
    out = common.build_dir(NAME)
    failed: dict[str, str] = {}
    need = {PIP_FOR_PEER[p] for p in peers if p in PIP_FOR_PEER}
    pip_failed = common.ensure_packages({m: PIP_PEERS[m] for m in need})
    for p in peers:
        if PIP_FOR_PEER.get(p) in pip_failed:
            failed[p] = pip_failed[PIP_FOR_PEER[p]]
    todo = [p for p in peers if p not in failed]

    # Build in threads: the work is in cc/c++/swift subprocesses, so two
    # cores compile two peers at once.
    def compile_only(p):
        started = time.perf_counter()
        try:
            if p in ("swiftbind", "swiftbind-abi3"):
                abi3 = "3.10" if p == "swiftbind-abi3" else "none"
                return p, build_swiftbind(out, swift_timeout, swift_root, abi3), None, time.perf_counter() - started
            return p, BUILDERS[p](out), None, time.perf_counter() - started
        except Exception as e:  # noqa: BLE001 -- any failure: report, go on
            if isinstance(e, (common.BuildError, ImportError, OSError)):
                why = str(e)
            else:
                why = "".join(traceback.format_exception_only(type(e), e)).strip()
            return p, None, why, time.perf_counter() - started

    modules = {}
    log(f"building {len(todo)} peers in {common.build_dir(NAME).relative_to(common.REPO)} ...")
    # swiftbind (a long SwiftPM build the first time) starts first, so the
    # C/C++ peers compile next to it.
    order = sorted(todo, key=lambda p: (not p.startswith("swiftbind"), p != "nanobind", p))
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        for p, mod, why, secs in pool.map(compile_only, order):
            if why is not None:
                failed[p] = why
                log(f"  {p:<10} NOT BUILT ({secs:.0f} s): {why.splitlines()[0] if why else '?'}")
            else:
                modules[p] = mod
                log(f"  {p:<10} ok ({secs:.1f} s)")
    return modules, failed


# --------------------------------------------------------------------------
# checks and timing
# --------------------------------------------------------------------------

def check_peer(peer: str, mod) -> str | None:
    """None if the peer computes what it should, else what is wrong."""
    try:
        got = {
            "noop": mod.noop(), "add": mod.add(1, 2), "scale": mod.scale(1.5),
            "kw": mod.kw(1, 2, 3) if peer in POSITIONAL_ONLY else mod.kw(1, b=2, c=3),
        }
        for case, (_, _, want) in CASES.items():
            if got[case] != want or type(got[case]) is not type(want):
                return f"{case} returned {got[case]!r}, expected {want!r}"
        if peer not in POSITIONAL_ONLY:
            if mod.kw(1) != 6 or mod.kw(1, c=10) != 13 or mod.kw(a=5, b=1) != 9:
                return "kw defaults are wrong"
            try:
                mod.kw(1, 2, 3)
            except TypeError:
                pass
            else:
                return "kw accepted c positionally (it is keyword-only)"
        if mod.add(-(2**40), 5) != -(2**40) + 5:
            return "add truncates 64-bit integers"
    except Exception as e:  # noqa: BLE001
        return f"raised {type(e).__name__}: {e}"
    return None


def make_loop(call: str):
    src = ("def loop(f, n, repeat=repeat):\n"
           "    for _ in repeat(None, n):\n"
           f"        {call}\n")
    ns = {"repeat": itertools.repeat}
    exec(compile(src, f"<calls loop {call}>", "exec"), ns)
    return ns["loop"]


# Peers whose instructions per call are counted with callgrind.
CALLGRIND_PEERS = ["c", "swiftbind", "nanobind", "pyo3"]


def instruction_counts(modules: dict, peers: list[str], cases: list[str]) -> list[dict]:
    """Instructions per call for every (case, peer) in ``peers``: printed as
    a table, returned as records ``CASE_instructions``."""
    jobs = {(case, p): common.CallgrindLoop(modules[p], case, "f", "", CASES[case][0])
            for case in cases for p in peers}
    counts = common.callgrind_counts(jobs)
    if counts is None:
        return []
    records = [{"case": f"{case}_instructions", "peer": p, "value": round(v, 1), "unit": "instr"}
               for (case, p), v in counts.items()]
    common.print_instruction_table("Instructions per call", counts, peers, cases)
    return records


def make_measure(call: str, f, n: int, reps: int):
    """One sample: the best of ``reps`` runs of the loop, in ns per call.
    (Other processes only ever add time; on a busy machine the best of a few
    short runs is far steadier than one long run.)"""
    loop = make_loop(call)
    clock = time.perf_counter_ns

    def measure() -> float:
        best = None
        for _ in range(reps):
            t0 = clock()
            loop(f, n)
            t = clock() - t0
            if best is None or t < best:
                best = t
        return best / n
    return measure


def calibrate(call: str, f, target_s: float) -> int:
    loop = make_loop(call)

    def run(n):
        t0 = time.perf_counter()
        loop(f, n)
        return time.perf_counter() - t0
    run(1000)  # warm up
    return common.calibrate(run, target_s)


# --------------------------------------------------------------------------

def main(argv: list[str]) -> list[dict]:
    ap = argparse.ArgumentParser(prog="run.py calls", description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=41)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--ms", type=float, default=3.0)
    ap.add_argument("--peers", default=",".join(PEER_ORDER))
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--swift-timeout", type=float, default=210.0)
    ap.add_argument("--swiftbind-root", type=Path, default=common.REPO)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-callgrind", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.rounds, args.reps, args.ms = 7, 2, 2.0
        args.no_callgrind = True
    peers = [p for p in PEER_ORDER if p in args.peers.split(",") or p == "c"]
    unknown = set(args.peers.split(",")) - set(PEER_ORDER)
    cases = [c for c in CASES if c in args.cases.split(",")]
    if unknown or not cases:
        raise SystemExit(f"unknown peers {sorted(unknown)} or no cases; peers: {PEER_ORDER}, cases: {list(CASES)}")

    machine = common.machine_description()
    log(f"calls benchmark on {machine}")
    modules, failed = build_all(peers, args.swift_timeout, args.swiftbind_root.resolve())
    if "c" not in modules:
        raise SystemExit(f"the baseline C extension could not be built: {failed.get('c')}")
    for p in list(modules):
        wrong = check_peer(p, modules[p])
        if wrong:
            failed[p] = f"excluded, wrong results: {wrong}"
            log(f"  {p:<10} EXCLUDED: {wrong}")
            del modules[p]
    measured = [p for p in peers if p in modules]

    # one measure per (case, peer), plus the empty loop per case
    target = args.ms / 1000
    measures, calls = {}, {}
    log(f"calibrating ({len(cases)} cases x {len(measured)} peers) ...")
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for case in cases:
            with_kw, positional, _ = CASES[case]
            for p in measured:
                call = positional if p in POSITIONAL_ONLY else with_kw
                f = getattr(modules[p], case)
                calls[(case, p)] = call
                measures[(case, p)] = make_measure(call, f, calibrate(call, f, target), args.reps)
            measures[(case, "(loop)")] = make_measure("pass", None, calibrate("pass", None, target),
                                                      args.reps)
        est = len(measures) * args.rounds * args.reps * target * 1.3
        log(f"measuring: {args.rounds} interleaved rounds of {len(measures)} loops (~{est:.0f} s) ")
        for m in measures.values():  # warm-up round, discarded
            m()
        samples = common.interleave(
            measures, args.rounds, seed=12345,
            between=lambda r: print("." if (r + 1) % 10 else f"{r + 1}", end="", flush=True))
        print(flush=True)
    finally:
        if gc_was:
            gc.enable()

    # ---- report
    records = []
    print(f"\nCall overhead, ns per call (median over {args.rounds} interleaved rounds of the best of "
          f"{args.reps} ~{args.ms:g} ms loops; +- = half the interquartile range)\nmachine: {machine}\n"
          f"native peers: cc/c++ {' '.join(common.COMMON_CFLAGS)} "
          f"(C++: {' '.join(common.CXXFLAGS)}); swiftbind: swift build -c release"
          + (f"; pyo3: PyO3 {common.PYO3_VERSION} (Debian's librust-pyo3-dev, older than PyO3's "
             "current release), cargo --release with LTO" if "pyo3" in measured else "") + "\n")
    summary = {}
    for case in cases:
        loop_ns = common.median(samples[(case, "(loop)")])
        rows = []
        for p in measured:
            vals = samples[(case, p)]
            note = ""
            if case == "kw" and p in POSITIONAL_ONLY:
                note = "called kw(1, 2, 3): no keyword arguments"
            row = {"peer": p, "value": common.median(vals), "spread": common.spread(vals), "note": note}
            rows.append(row)
            rec = {"case": case, "peer": p, "value": round(row["value"], 2), "unit": "ns"}
            if note:
                rec["note"] = note
            records.append(rec)
            summary[(case, p)] = row["value"]
        with_kw = CASES[case][0].replace("f(", f"{case}(")
        common.print_table(f"{with_kw}   [empty loop: {loop_ns:.1f} ns/iteration, included in every row]",
                           rows, baseline="c", unit="ns")
    noisy = sorted({f"{c}/{p}" for (c, p), vals in samples.items()
                    if p != "(loop)" and common.spread(vals) > 0.10})
    if noisy:
        print(f"noisy (+- over 10%, the machine was busy; rerun for firm numbers): {', '.join(noisy)}")
    for p in peers:
        if p in failed:
            print(f"{p}: not built ({failed[p].splitlines()[0] if failed[p] else '?'})")
            if len(failed[p].splitlines()) > 1:
                print("    " + "\n    ".join(failed[p].splitlines()[1:][-12:]))

    # combined summary (the table for benchmarks/README.md)
    cols = ["peer", *[f"{c} (ns)" for c in cases]]
    md_rows = []
    for p in peers:
        if p not in measured:
            md_rows.append([p, *["not built" for _ in cases]])
            continue
        cells = [p]
        for c in cases:
            v, base = summary[(c, p)], summary[(c, "c")]
            star = "*" if c == "kw" and p in POSITIONAL_ONLY else ""
            cells.append(f"{common.fmt_value(v)} ({v / base:.2f}x){star}")
        md_rows.append(cells)
    print("\nSummary (ns/call, ratio to c; * = kw called positionally):\n")
    print(common.markdown_table(cols, md_rows))
    if "swiftbind" in measured:
        worst = max(summary[(c, "swiftbind")] / summary[(c, "c")] for c in cases)
        verdict = "met" if worst <= 1.1 else "NOT met"
        print(f"\ntarget swiftbind <= 1.1x c on every row: {verdict} (worst {worst:.2f}x)")
    else:
        print("\ntarget swiftbind <= 1.1x c: not measured, swiftbind: not built "
              f"({(failed.get('swiftbind') or 'not requested').splitlines()[0]})")
    if not args.no_callgrind:
        records += instruction_counts(modules, [p for p in CALLGRIND_PEERS if p in measured], cases)
    if "swiftbind" in measured and "swiftbind-abi3" in measured:
        ratios = {c: summary[(c, "swiftbind-abi3")] / summary[(c, "swiftbind")] for c in cases}
        worst = max(ratios.values())
        verdict = "met" if worst <= 1.15 else "NOT met"
        print(f"target swiftbind-abi3 <= 1.15x swiftbind on every row: {verdict} ("
              + ", ".join(f"{c} {r:.2f}x" for c, r in ratios.items()) + ")")
    return records
