"""bf: the Brainfuck showcase -- mandelbrot.bf on four interpreters.

    python3 benchmarks/run.py bf [--full] [--peers a,b,...] [--data DIR]

Peers (case ``mandelbrot``, unit ``s``):

* ``swiftbind``        -- ``examples/bf`` built with swiftbind, timing ``bf.run(src)``
                          in a child Python process (median of 3);
* ``c-naive``          -- ``naive.c``: a plain switch over the raw characters with a
                          precomputed jump table, ``cc -O2`` (median of 3);
* ``pypy-tutorial``    -- ``tutorial.py`` (PyPy-tutorial style) under Debian's ``pypy3``
                          (1 run, 3 with ``--full``);
* ``cpython-tutorial`` -- the same file under CPython, stopped at 120 CPU seconds and
                          reported as a lower bound (``"lower_bound": true``).

Times are CPU seconds (user + sys) of each child process, read with
``os.wait4``; the peers run two at a time (the slow Python ones are
single-threaded), so the benchmark finishes in a few minutes, and CPU time
keeps the comparison fair while they share the machine.  Everything stops
285 s after the start (builds included): a child still running then is
stopped and reported as a lower bound (the CPU seconds it had used), so a
busy machine cannot make the benchmark overrun 5 minutes.  The swiftbind child
reports the CPU time of ``bf.run`` itself (``time.process_time``), without
interpreter start-up and import.

If the extension cannot be built (the runtime is not ready), the engine is
compiled standalone with ``swiftc -O`` and reported as
``swift-engine (standalone, not via Python)`` instead -- never as swiftbind.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
REPO = common.REPO
PROJECT = REPO / "examples" / "bf"
DEFAULT_DATA = Path(os.environ.get("BF_DATA", "/work/shared/data/bf"))
CPYTHON_CAP_S = 120
WALL_CAP_S = 240          # safety net per child, on top of the CPU caps
BUDGET_S = 285            # everything (builds included) ends by then; running children are stopped
DEADLINE = [float("inf")]
STANDALONE = "swift-engine (standalone, not via Python)"


# --------------------------------------------------------------------------
# running children and measuring their CPU time
# --------------------------------------------------------------------------

class ChildResult:
    def __init__(self, rc: int, cpu: float, wall: float, stdout: bytes, stderr: bytes, capped: bool):
        self.rc, self.cpu, self.wall = rc, cpu, wall
        self.stdout, self.stderr, self.capped = stdout, stderr, capped


def run_child(cmd: list[str], workdir: Path, tag: str, cpu_cap: int | None = None,
              wall_cap: float = WALL_CAP_S) -> ChildResult:
    """Runs ``cmd`` with stdout/stderr in files; returns its exit code and the
    CPU seconds (user + sys) it used, from ``os.wait4``."""
    out_path, err_path = workdir / f"{tag}.stdout", workdir / f"{tag}.stderr"

    def limits() -> None:
        if cpu_cap is not None:
            # SIGXCPU (terminates) at the cap, SIGKILL a second later.
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_cap, cpu_cap + 1))

    started = time.perf_counter()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                preexec_fn=limits)
    done = threading.Event()
    timed_out = []

    def watchdog() -> None:
        if not done.wait(wall_cap):
            timed_out.append(True)
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    threading.Thread(target=watchdog, daemon=True).start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    wall = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    capped = bool(timed_out) or (os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL))
    return ChildResult(proc.returncode, cpu, wall, out_path.read_bytes(), err_path.read_bytes(), capped)


# --------------------------------------------------------------------------
# peers
# --------------------------------------------------------------------------

def build_naive(build: Path) -> Path:
    exe = build / "naive"
    cmd = ["cc", "-O2", "-o", str(exe), str(HERE / "naive.c")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise common.BuildError(f"{' '.join(cmd)} failed: {proc.stderr.strip().splitlines()[:1]}")
    return exe


def build_swiftbind(build: Path) -> Path:
    """Builds examples/bf with swiftbind into build/ext/bf/ next to the Python package."""
    sys.path.insert(0, str(REPO / "python"))
    from swiftbind.builder import build_extension

    ext = build / "ext"
    if ext.exists():
        shutil.rmtree(ext)
    build_extension(PROJECT, ext)
    for py in (PROJECT / "python" / "bf").glob("*.py"):
        shutil.copy2(py, ext / "bf" / py.name)
    return ext


def build_standalone(build: Path) -> Path:
    """The engine alone (no Python), for when the extension cannot be built."""
    src = build / "engine_src"
    src.mkdir(exist_ok=True)
    shutil.copy2(HERE / "engine_main.swift", src / "main.swift")
    exe = build / "engine"
    engine = sorted((PROJECT / "Sources" / "bf" / "Engine").glob("*.swift"))
    cmd = ["swiftc", "-O", *map(str, engine), str(src / "main.swift"), "-o", str(exe)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise common.BuildError(f"swiftc failed: {(proc.stderr or proc.stdout).strip().splitlines()[:1]}")
    return exe


SWIFTBIND_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import bf
src = open(sys.argv[2]).read()
expected = open(sys.argv[3], "rb").read()
times = []
for _ in range(int(sys.argv[4])):
    t = time.process_time()
    out = bf.run(src)
    times.append(time.process_time() - t)
    if out != expected:
        print(json.dumps({"error": "output differs from mandelbrot.out"}))
        sys.exit(1)
print(json.dumps({"times": times, "ops": bf.compile(src).ops}))
"""


def ensure_pypy() -> str | None:
    exe = shutil.which("pypy3")
    if exe:
        return exe
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("pypy3 not found; trying apt-get install -y pypy3 ...", flush=True)
        try:
            subprocess.run(["apt-get", "update"], capture_output=True, timeout=120)
            subprocess.run(["apt-get", "install", "-y", "pypy3"], capture_output=True, timeout=180)
        except subprocess.TimeoutExpired:
            pass
    return shutil.which("pypy3")


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def main(argv: list[str]) -> list[dict]:
    parser = argparse.ArgumentParser(prog="run.py bf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true",
                        help="3 PyPy runs instead of 1 (adds ~2.5 min of CPU)")
    parser.add_argument("--peers", default="swiftbind,c-naive,pypy-tutorial,cpython-tutorial",
                        help="comma-separated subset of peers to run")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"folder with mandelbrot.bf/.out (default {DEFAULT_DATA})")
    args = parser.parse_args(argv)
    wanted = set(args.peers.split(","))
    DEADLINE[0] = time.perf_counter() + BUDGET_S

    program, expected_path = args.data / "mandelbrot.bf", args.data / "mandelbrot.out"
    expected = expected_path.read_bytes()
    build = common.build_dir("bf")
    runs_dir = build / "runs"
    runs_dir.mkdir(exist_ok=True)

    print(f"bf benchmark: {program}")
    print(f"machine: {common.machine_description()}")
    print("times: CPU seconds (user+sys) per child via os.wait4; peers run two at a time")

    # ---- builds (sequential, before any timing) ----
    jobs = []          # (order, peer, callable) -> result dict
    notes: list[str] = []
    if "cpython-tutorial" in wanted:
        jobs.append(("cpython-tutorial", lambda: measure_tutorial(
            [sys.executable, str(HERE / "tutorial.py"), str(program)], "cpython", 1,
            runs_dir, expected, cpu_cap=CPYTHON_CAP_S)))
    if "pypy-tutorial" in wanted:
        pypy = ensure_pypy()
        if pypy is None:
            notes.append("pypy-tutorial skipped: pypy3 is not installed and could not be installed")
        else:
            pypy_runs = 3 if args.full else 1
            print(f"pypy-tutorial: {pypy_runs} run{'s' if pypy_runs > 1 else ''} "
                  f"({'--full' if args.full else 'one run of ~1-2 min; --full for 3'})")
            jobs.append(("pypy-tutorial", lambda: measure_tutorial(
                [pypy, str(HERE / "tutorial.py"), str(program)], "pypy", pypy_runs, runs_dir, expected)))
    if "c-naive" in wanted:
        try:
            naive = build_naive(build)
            jobs.append(("c-naive", lambda: measure_tutorial(
                [str(naive), str(program)], "c-naive", 3, runs_dir, expected)))
        except common.BuildError as e:
            notes.append(f"c-naive skipped: {e}")
    if "swiftbind" in wanted:
        try:
            print("building examples/bf with swiftbind ...", flush=True)
            ext = build_swiftbind(build)
            jobs.append(("swiftbind", lambda: measure_swiftbind(ext, program, expected_path, runs_dir)))
        except Exception as e:  # the runtime or build tool may not be ready
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            print(f"swiftbind build FAILED ({first}); falling back to the standalone engine, "
                  f"reported as '{STANDALONE}'")
            notes.append(f"swiftbind: extension build failed ({first})")
            try:
                exe = build_standalone(build)
                jobs.append((STANDALONE, lambda: measure_tutorial(
                    [str(exe), str(program)], "engine", 3, runs_dir, expected)))
            except common.BuildError as e2:
                notes.append(f"{STANDALONE} skipped: {e2}")

    # ---- timing: two at a time ----
    # Order: swiftbind and PyPy start together, then c-naive after swiftbind,
    # then CPython (a capped lower bound anyway) in whatever time is left; on
    # an idle machine all fit in ~3.5 min, on a busy one CPython is cut first.
    rank = {"swiftbind": 0, STANDALONE: 0, "pypy-tutorial": 1, "c-naive": 2, "cpython-tutorial": 3}
    jobs.sort(key=lambda job: rank.get(job[0], 9))
    started = time.perf_counter()
    results: dict[str, dict] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {peer: pool.submit(fn) for peer, fn in jobs}
        for peer, fut in futures.items():
            results[peer] = fut.result()
    elapsed = time.perf_counter() - started

    # ---- table and records ----
    baseline_peer = "swiftbind" if "swiftbind" in results else (STANDALONE if STANDALONE in results else None)
    base = results[baseline_peer]["value"] if baseline_peer and results[baseline_peer].get("value") else None
    order = ["swiftbind", STANDALONE, "c-naive", "pypy-tutorial", "cpython-tutorial"]
    records = []
    print()
    header = f"{'peer':<44} {'seconds':>10} {'runs':>5} {'ratio':>10}  notes"
    print(f"case mandelbrot ({elapsed:.0f} s wall for all peers); "
          f"ratio = peer seconds / {baseline_peer or '-'} seconds")
    print(header)
    print("-" * len(header))
    for peer in order:
        if peer not in results:
            continue
        r = results[peer]
        if r.get("value") is None:
            print(f"{peer:<44} {'failed':>10} {'':>5} {'':>10}  {r.get('note', '')}")
            notes.append(f"{peer}: {r.get('note', 'failed')}")
            continue
        shown = (">= " if r["lower_bound"] else "") + f"{r['value']:.2f}"
        ratio = f"{r['value'] / base:.1f}" if base else "-"
        if r["lower_bound"] and base:
            ratio = ">= " + ratio
        print(f"{peer:<44} {shown:>10} {r['runs']:>5} {ratio:>10}  {r.get('note', '')}")
        record = {"case": "mandelbrot", "peer": peer, "value": round(r["value"], 4), "unit": "s",
                  "runs": r["runs"], "measure": "cpu"}
        if r["lower_bound"]:
            record["lower_bound"] = True
        if peer == STANDALONE:
            record["note"] = "engine compiled standalone with swiftc -O, not called via Python"
        records.append(record)
    for note in notes:
        print(f"note: {note}")
    return records


def wall_left() -> float:
    """Seconds until the whole benchmark's deadline (at least 5)."""
    return max(5.0, DEADLINE[0] - time.perf_counter())


def measure_tutorial(cmd: list[str], tag: str, runs: int, runs_dir: Path, expected: bytes,
                     cpu_cap: int | None = None) -> dict:
    """Runs a whole-process peer ``runs`` times; the median CPU time.  A run
    stopped by a cap gives a lower bound: the CPU seconds it had used."""
    times = []
    for i in range(runs):
        common.progress("bf", tag, f"run {i + 1}/{runs} started")
        r = run_child(cmd, runs_dir, f"{tag}-{i}", cpu_cap=cpu_cap, wall_cap=min(WALL_CAP_S, wall_left()))
        common.progress("bf", tag, f"run {i + 1}/{runs} done: {r.cpu:.1f} s CPU")
        if r.capped:
            if times:  # keep the runs that finished
                return {"value": statistics.median(times), "runs": len(times), "lower_bound": False,
                        "note": f"output checked; run {i + 1} stopped by the time budget"}
            hit_cpu = cpu_cap is not None and r.cpu >= cpu_cap - 1
            why = f"the {cpu_cap} s CPU cap" if hit_cpu else f"the wall-clock budget ({r.wall:.0f} s, busy machine)"
            return {"value": r.cpu, "runs": 1, "lower_bound": True, "note": f"stopped at {why}"}
        if r.rc != 0:
            return {"value": None, "note": f"exit {r.rc}: {r.stderr.decode(errors='replace').strip()[:200]}"}
        if r.stdout != expected:
            return {"value": None, "note": "output differs from mandelbrot.out"}
        times.append(r.cpu)
    return {"value": statistics.median(times), "runs": runs, "lower_bound": False,
            "note": "output checked"}


def measure_swiftbind(ext: Path, program: Path, expected: Path, runs_dir: Path) -> dict:
    cmd = [sys.executable, "-c", SWIFTBIND_CHILD, str(ext), str(program), str(expected), "3"]
    common.progress("bf", "swiftbind", "3 runs in one process started")
    r = run_child(cmd, runs_dir, "swiftbind", wall_cap=min(WALL_CAP_S, wall_left()))
    try:
        payload = json.loads(r.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        payload = {"error": f"exit {r.rc}: {r.stderr.decode(errors='replace').strip()[-300:]}"}
    if "error" in payload:
        return {"value": None, "note": payload["error"]}
    return {"value": statistics.median(payload["times"]), "runs": len(payload["times"]),
            "lower_bound": False, "note": f"output checked; bf.run CPU time; {payload['ops']} IR ops"}
