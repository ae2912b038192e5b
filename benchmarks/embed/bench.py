"""Embedding: Python called from a host program, against C, Go and gRPC.

``python3 benchmarks/run.py embed [options]``

The seed's experiment (issue 11, part 5): a host program hands an array of
doubles to a NumPy z-score outlier detector (examples/outliers/outliers.py,
``detect(values, threshold=3.0)``) without copying it and reads the index
array back without copying it.  The same work in four peers, each a small
executable that takes ``CASE N ITERS`` on argv and prints one JSON line
(sources beside this file):

    swiftbind  Swift on SwiftBindEmbed through examples/outliers' Outliers
               library (swift/): [Double] -> values.numpyView() (read-only,
               O(1), numpy cached), indices read through PythonBuffer<Int>
    c          the floor (c/embed_c.c): the C API and NumPy's C API
               (PyArray_SimpleNewFromData, PyArray_DATA)
    go         the seed's design (go/main.go): cgo, one cgo call per C API
               call, the []float64 wrapped by NumPy's C API
    grpc       a Swift client on grpc-swift-2 (grpc/client/) calling a Python
               server on grpcio (grpc/server/server.py) on loopback; the
               request is a protobuf message with packed repeated doubles

Cases: ``call_noop`` (ns per call of ``embed_target.noop()``; gRPC: a Noop
RPC), ``call_detect_tiny`` (ns per detect on 16 doubles, hand-over and
read-back included), ``detect_1e3``, ``detect_1e5``, ``detect_1e7`` (ms per
detect end to end on that many doubles) and ``peak_rss_over_input_1e7``
(peak resident memory of the peer's process(es) in the detect_1e7 run over
the input's 80 MB; gRPC: client plus server).  Every peer's results (count
and sum of the indices) are checked against the others'.

Timing: each sample is one fresh process: up to 3 warm-up calls, then 3
timed loops of ITERS calls of which the fastest counts (load from other
processes only ever adds time), ITERS sized from a pilot run so that one
loop takes ~``--ms`` ms (detect_1e7: ``--big-iters`` calls).  Rounds
interleave the peers in a fresh random order per case; the table shows the
median over rounds, the ratio to ``c`` and how many times faster than
``grpc`` each peer is (the targets are checked on the medians); a second
table gives the fastest sample of each (records: ``best``).  The swiftbind
program also times pieces of one call alone (``diag_*`` records, ns): the
hand-over, the numpy import inside it, the read-back view, and detect with
the array handed over once.

Builds (release) go under ``benchmarks/_build/embed/``: the gRPC client's
first build compiles grpc-swift-2, SwiftNIO and swift-protobuf (3-10 min on
2 cores), later runs reuse it.

Options:
  --rounds R         rounds of interleaved samples (default 7)
  --ms MS            target length of one timed loop (default 100)
  --big-iters K      detect_1e7 calls per timed loop (default 1)
  --peers a,b,...    only these peers (c is always kept: the floor)
  --cases a,b,...    only these cases
  --swift-timeout S  give up on a Swift build after S seconds (default 900)
  --quick            --rounds 3 --ms 40 --big-iters 1
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
REPO = common.REPO
NAME = "embed"
OUTLIERS_DIR = REPO / "examples" / "outliers"
PEERS = ["swiftbind", "c", "go", "grpc"]
TABLE_ORDER = ["c", "swiftbind", "go", "grpc"]
THRESHOLD = 3.0

# case -> (program mode, N, unit)
CASES = {
    "call_noop": ("call_noop", 0, "ns"),
    "call_detect_tiny": ("detect", 16, "ns"),
    "detect_1e3": ("detect", 1_000, "ms"),
    "detect_1e5": ("detect", 100_000, "ms"),
    "detect_1e7": ("detect", 10_000_000, "ms"),
}
RSS_CASE = "peak_rss_over_input_1e7"
DIAG_CASES = ["diag_handover", "diag_import_numpy", "diag_readback", "diag_detect_only"]
DIAG_N = 16


def log(msg: str) -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------
# flags and builds
# --------------------------------------------------------------------------

def python_embed_flags() -> dict:
    """What a program that embeds this interpreter compiles and links with."""
    include = sysconfig.get_paths()["include"]
    libdir = sysconfig.get_config_var("LIBDIR")
    lib = "python" + sysconfig.get_config_var("LDVERSION")
    import numpy
    return {"include": include, "libdir": libdir, "lib": lib, "numpy_include": numpy.get_include(),
            "swift": ["-Xcc", f"-I{include}", "-Xlinker", f"-L{libdir}", "-Xlinker", f"-l{lib}",
                      "-Xlinker", "-rpath", "-Xlinker", libdir]}


def run_build(cmd: list[str], timeout: float, cwd: Path | None = None, env: dict | None = None) -> None:
    try:
        r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise common.BuildError(f"{' '.join(cmd)} took more than {timeout:.0f} s") from None
    except OSError as e:
        raise common.BuildError(f"{cmd[0]}: {e}") from None
    if r.returncode != 0:
        out = (r.stdout + r.stderr).strip()
        raise common.BuildError(f"{' '.join(cmd[:3])} failed: {common.first_error(out)}\n{out[-2500:]}")


def build_c(out: Path, flags: dict, timeout: float) -> list[str]:
    src = HERE / "c" / "embed_c.c"
    cc = os.environ.get("CC", "cc")
    cmd_tail = ["-O3", "-DNDEBUG", f"-I{flags['include']}", f"-I{flags['numpy_include']}", str(src),
                f"-L{flags['libdir']}", f"-l{flags['lib']}", f"-Wl,-rpath,{flags['libdir']}"]
    key = common.hash_inputs(cc, common.compiler_version(cc), cmd_tail, sys.version, files=[src])
    exe = out / f"c-{key}" / "embed_c"
    if not exe.exists():
        if shutil.which(cc) is None:
            raise common.BuildError(f"compiler {cc!r} not found")
        exe.parent.mkdir(parents=True, exist_ok=True)
        run_build([cc, *cmd_tail, "-o", str(exe)], timeout)
    return [str(exe)]


def build_go(out: Path, flags: dict, timeout: float) -> list[str]:
    go = shutil.which("go")
    if go is None:
        raise common.BuildError("go not found: apt-get install -y golang-go (make demo-deps does)")
    src = HERE / "go"
    files = sorted(src.glob("*.go")) + [src / "go.mod"]
    cflags = f"-O2 -I{flags['include']} -I{flags['numpy_include']}"
    ldflags = f"-L{flags['libdir']} -l{flags['lib']} -Wl,-rpath,{flags['libdir']}"
    version = subprocess.run([go, "version"], capture_output=True, text=True).stdout.strip()
    key = common.hash_inputs(version, cflags, ldflags, sys.version, files=files)
    exe = out / f"go-{key}" / "embedgo"
    if not exe.exists():
        exe.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, CGO_ENABLED="1", CGO_CFLAGS=cflags, CGO_LDFLAGS=ldflags,
                   GOCACHE=str(out / "gocache"), GOPATH=str(out / "gopath"), GOFLAGS="", GO111MODULE="on")
        run_build([go, "build", "-o", str(exe), "."], timeout, cwd=src, env=env)
    return [str(exe)]


def swift_build(package: Path, scratch: Path, product: str, extra: list[str], timeout: float) -> Path:
    if shutil.which("swift") is None:
        raise common.BuildError("swift not found")
    run_build(["swift", "build", "-c", "release", "--package-path", str(package),
               "--scratch-path", str(scratch), "--product", product, *extra], timeout)
    exe = scratch / "release" / product
    if not exe.exists():
        raise common.BuildError(f"{exe} missing after the build")
    return exe


def build_swiftbind(out: Path, flags: dict, timeout: float) -> list[str]:
    return [str(swift_build(HERE / "swift", out / "swift", "EmbedSwift", flags["swift"], timeout))]


def build_grpc(out: Path, flags: dict, timeout: float) -> list[str]:
    missing = common.ensure_packages({"grpc": "grpcio", "google.protobuf": "protobuf"})
    if missing:
        raise common.BuildError("; ".join(missing.values()))
    return [str(swift_build(HERE / "grpc" / "client", out / "grpc-client", "EmbedGRPCClient", [], timeout))]


BUILDERS = {"swiftbind": build_swiftbind, "c": build_c, "go": build_go, "grpc": build_grpc}


# --------------------------------------------------------------------------
# running samples
# --------------------------------------------------------------------------

class GRPCServer:
    """server.py in its own process; ``port``, and its peak RSS at the end."""

    def __init__(self, env: dict):
        self.proc = subprocess.Popen([sys.executable, str(HERE / "grpc" / "server" / "server.py")],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.proc.kill()
            raise common.BuildError(f"the gRPC server did not start: {line!r} {err[-1500:]}")
        self.port = int(line.split()[1])

    def peak_rss_bytes(self) -> int | None:
        try:
            for ln in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if ln.startswith("VmHWM:"):
                    return int(ln.split()[1]) * 1024
        except OSError:
            pass
        return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class SampleError(RuntimeError):
    pass


def run_sample_rss(cmd: list[str], env: dict, timeout: float = 300) -> tuple[dict, int]:
    """Runs one peer process; returns (its JSON line, its peak RSS in bytes
    from ``os.wait4``)."""
    import tempfile
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise SampleError(f"{' '.join(cmd)}: more than {timeout} s")
            time.sleep(0.002)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SampleError(f"{' '.join(cmd)} exited {proc.returncode}: {stderr.strip()[-1500:]}")
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise SampleError(f"{' '.join(cmd)} printed no result: {stdout[-500:]} {stderr[-500:]}")
    return json.loads(lines[-1]), usage.ru_maxrss * 1024


def command(peer: str, exe: list[str], mode: str, n: int, iters: int, port: int | None) -> list[str]:
    cmd = [*exe, mode, str(n), str(iters)]
    if peer == "grpc":
        cmd.append(str(port))
    return cmd


# --------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------

def machine_line() -> str:
    def first_line(cmd: list[str]) -> str:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            return "not found"
    import numpy
    versions = [f"numpy {numpy.__version__}"]
    try:
        import grpc
        versions.append(f"grpcio {grpc.__version__}")
    except ImportError:
        pass
    swift = first_line(["swift", "--version"]).replace("Swift version ", "Swift ")
    return (f"{NAME}: {common.machine_description()}\n"
            f"tools: {swift.split(' (')[0]}; {first_line(['go', 'version'])}; {', '.join(versions)}; "
            f"grpc-swift-2 2.4.3, grpc-swift-nio-transport 2.9.2, grpc-swift-protobuf 2.4.1, swift-protobuf 1.39.0")


def fmt(v: float) -> str:
    return f"{v:.3g}" if v < 10 else common.fmt_value(v)


def main(argv: list[str]) -> list[dict]:
    ap = argparse.ArgumentParser(prog="run.py embed", description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--ms", type=float, default=100)
    ap.add_argument("--big-iters", type=int, default=1)
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--swift-timeout", type=float, default=900)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.rounds, args.ms, args.big_iters = 3, 40, 1
    peers = [p for p in PEERS if p in args.peers.split(",") or p == "c"]
    cases = [c for c in CASES if c in args.cases.split(",")]

    log(machine_line())
    out = common.build_dir(NAME)
    flags = python_embed_flags()
    exes: dict[str, list[str]] = {}
    skipped: dict[str, str] = {}
    for peer in peers:
        started = time.perf_counter()
        log(f"building {peer} ...")
        try:
            exes[peer] = BUILDERS[peer](out, flags, args.swift_timeout)
            log(f"  {peer}: {time.perf_counter() - started:.1f} s")
        except common.BuildError as e:
            skipped[peer] = str(e)
            log(f"  {peer}: NOT BUILT: {str(e)[:1500]}")
    if "c" not in exes:
        raise SystemExit("the c peer (the floor) could not be built; see above")
    peers = [p for p in peers if p in exes]

    # The embedded interpreters see this interpreter's packages (NumPy may
    # live in a virtual environment) and embed_target.py.
    import site
    env = dict(os.environ, OUTLIERS_MODULE_DIR=str(OUTLIERS_DIR),
               PYTHONPATH=os.pathsep.join([str(HERE), *site.getsitepackages(),
                                           *filter(None, [os.environ.get("PYTHONPATH")])]))
    server = None
    if "grpc" in peers:
        try:
            server = GRPCServer(env)
        except common.BuildError as e:
            skipped["grpc"] = str(e)
            peers.remove("grpc")
            log(f"  grpc: NOT RUN: {e}")
    port = server.port if server else None

    try:
        return measure(args, peers, cases, exes, env, port, server, skipped)
    finally:
        if server:
            server.stop()


def measure(args, peers, cases, exes, env, port, server, skipped) -> list[dict]:
    # Pilot: one short run per (case, peer) sizes ITERS and checks the results.
    iters: dict[tuple[str, str], int] = {}
    results: dict[str, dict[str, tuple[int, int]]] = {}
    log("pilot runs (sizing each sample, checking results) ...")
    for case in cases:
        mode, n, _ = CASES[case]
        results[case] = {}
        for peer in peers:
            if case == "detect_1e7":
                k = args.big_iters
            else:
                probe = 20 if peer == "grpc" or n >= 100_000 else 200
                line, _ = run_sample_rss(command(peer, exes[peer], mode, n, probe, port), env)
                per_call = line["ns"] / probe
                k = max(1, int(args.ms * 1e6 / max(per_call, 1.0)))
                results[case][peer] = (line["count"], line["checksum"])
            iters[case, peer] = k
    rng = random.Random(0)
    samples: dict[tuple[str, str], list[float]] = {(c, p): [] for c in cases for p in peers}
    rss: dict[str, list[int]] = {p: [] for p in peers}
    log(f"{args.rounds} rounds ...")
    for r in range(args.rounds):
        for case in cases:
            mode, n, unit = CASES[case]
            order = list(peers)
            rng.shuffle(order)
            for peer in order:
                k = iters[case, peer]
                line, peak = run_sample_rss(command(peer, exes[peer], mode, n, k, port), env)
                results[case].setdefault(peer, (line["count"], line["checksum"]))
                if (line["count"], line["checksum"]) != results[case][peer]:
                    raise SystemExit(f"{peer} {case}: result changed between runs: {line}")
                per_call_ns = line["ns"] / line["iters"]
                samples[case, peer].append(per_call_ns if unit == "ns" else per_call_ns / 1e6)
                if case == "detect_1e7":
                    rss[peer].append(peak)
        print(f"  round {r + 1}/{args.rounds} done", flush=True)

    # Every peer must have found the same outliers.
    for case in cases:
        distinct = {v for v in results[case].values()}
        if len(distinct) != 1:
            raise SystemExit(f"{case}: the peers disagree on the outliers (count, sum of indices): {results[case]}")

    records: list[dict] = []
    table: dict[str, dict[str, float]] = {}
    spreads: dict[str, dict[str, float]] = {}
    best: dict[str, dict[str, float]] = {}
    for case in cases:
        unit = CASES[case][2]
        table[case], spreads[case], best[case] = {}, {}, {}
        for peer in peers:
            vals = samples[case, peer]
            m = common.median(vals)
            table[case][peer] = m
            spreads[case][peer] = common.spread(vals)
            best[case][peer] = min(vals)
            records.append({"case": case, "peer": peer, "value": m, "unit": unit,
                            "spread": round(common.spread(vals), 4), "best": min(vals),
                            "iters": iters[case, peer], "rounds": len(vals)})
    if "detect_1e7" in cases:
        input_bytes = CASES["detect_1e7"][1] * 8
        table[RSS_CASE], spreads[RSS_CASE] = {}, {}
        server_peak = server.peak_rss_bytes() if server else None
        for peer in peers:
            peak = common.median(rss[peer])
            note = "peak RSS of the process"
            if peer == "grpc":
                if server_peak is None:
                    continue
                peak += server_peak
                note = f"client {common.median(rss[peer]) / 2**20:.0f} MiB + server {server_peak / 2**20:.0f} MiB (server: peak over the whole run)"
            table[RSS_CASE][peer] = peak / input_bytes
            records.append({"case": RSS_CASE, "peer": peer, "value": peak / input_bytes, "unit": "ratio",
                            "peak_rss_bytes": int(peak), "input_bytes": input_bytes, "note": note})

    diag = measure_diagnostics(exes, env, args) if "swiftbind" in peers else {}
    for case, v in diag.items():
        records.append({"case": case, "peer": "swiftbind", "value": v, "unit": "ns", "n": DIAG_N})

    print_report(table, spreads, peers, diag, skipped, best)
    return records


def measure_diagnostics(exes, env, args) -> dict[str, float]:
    """Pieces of one swiftbind call, each timed alone (median of rounds)."""
    out: dict[str, list[float]] = {c: [] for c in DIAG_CASES}
    sizes: dict[str, int] = {}
    for case in DIAG_CASES:
        line, _ = run_sample_rss([*exes["swiftbind"], case, str(DIAG_N), "200"], env)
        sizes[case] = max(1, int(args.ms * 1e6 / max(line["ns"] / 200, 1.0)))
    for _ in range(max(3, args.rounds // 2)):
        for case in DIAG_CASES:
            line, _ = run_sample_rss([*exes["swiftbind"], case, str(DIAG_N), str(sizes[case])], env)
            out[case].append(line["ns"] / line["iters"])
    return {c: common.median(v) for c, v in out.items()}


def print_table(title: str, table, order) -> None:
    print()
    print(title)
    head = f"{'case':<26}{'unit':>6}" + "".join(f"{p:>30}" for p in order)
    print(head)
    print("-" * len(head))
    for case, row in table.items():
        unit = "ratio" if case == RSS_CASE else CASES[case][2]
        cells = []
        for p in order:
            if p not in row:
                cells.append(f"{'-':>30}")
                continue
            v = row[p]
            txt = f"{fmt(v)} ({v / row['c']:.2f}x c"
            if "grpc" in row and p != "grpc":
                txt += f", {row['grpc'] / v:.0f}x"
            txt += ")"
            cells.append(f"{txt:>30}")
        print(f"{case:<26}{unit:>6}" + "".join(cells))


def print_report(table, spreads, peers, diag, skipped, best) -> None:
    order = [p for p in TABLE_ORDER if p in peers]
    print_table("median over rounds; (x c) = value / c's; then how many times lower than grpc", table, order)
    print("  spread (half the interquartile range over rounds): " + "; ".join(
        f"{case} " + "/".join(f"{spreads[case][p] * 100:.0f}%" for p in order if p in spreads[case])
        for case in spreads if spreads[case]) + f" ({'/'.join(order)})")
    if best:
        print_table("the fastest sample over rounds (what the code costs when the machine lets it run), same columns",
                    {**best, **({RSS_CASE: table[RSS_CASE]} if RSS_CASE in table else {})}, order)
    if diag:
        print()
        print(f"where a swiftbind call spends its time (n = {DIAG_N}, ns per step, timed alone):")
        labels = {"diag_handover": "[Double] -> numpy.ndarray (values.numpyView())",
                  "diag_import_numpy": "  for scale: Python.import(\"numpy\") (no longer per call)",
                  "diag_readback": "PythonBuffer<Int> view of the index array + sum",
                  "diag_detect_only": "outliers.detect(array, 3.0) alone (array made once)"}
        for case, v in diag.items():
            print(f"  {labels[case]:<56}{fmt(v):>10}")
        if "call_detect_tiny" in table and "c" in table["call_detect_tiny"]:
            print(f"  {'(c: the whole call_detect_tiny)':<56}{fmt(table['call_detect_tiny']['c']):>10}")
    for p, why in skipped.items():
        print(f"\n{p}: not measured: {why.splitlines()[0][:300]}")
    print()
    print("Targets (issue 11), for swiftbind:")
    sb = {case: row.get("swiftbind") for case, row in table.items()}

    def check(label: str, ok: bool | None) -> None:
        print(f"  {label}: {'ok' if ok else ('NOT MET' if ok is not None else 'not measured')}")

    def ratio_to(peer: str, case: str) -> float | None:
        row = table.get(case, {})
        return row[peer] / row["swiftbind"] if peer in row and "swiftbind" in row else None

    for case, need in (("call_noop", 237), ("call_detect_tiny", 45), ("detect_1e3", 45)):
        r = ratio_to("grpc", case)
        check(f"{case}: >= {need}x lower than grpc (got {r:.0f}x)" if r else f"{case} vs grpc",
              None if r is None else r >= need)
    for peer, label in (("grpc", "faster/leaner than grpc"), ("go", "faster/leaner than go")):
        bad = [c for c in table if (ratio_to(peer, c) or 99) <= 1.0]
        have = any(ratio_to(peer, c) for c in table)
        check(f"{label} on every row" + (f" (not on {', '.join(bad)})" if bad else ""), (not bad) if have else None)
    over = [f"{c} {table[c]['swiftbind'] / table[c]['c']:.2f}x" for c in table
            if "swiftbind" in table[c] and table[c]["swiftbind"] > 1.2 * table[c]["c"]]
    check("within 1.2x of c on every row" + (f" (over on: {', '.join(over)})" if over else ""),
          not over if "swiftbind" in peers else None)
