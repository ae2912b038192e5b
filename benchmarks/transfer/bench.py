"""Transfer benchmark: move a large byte array into native code and back.

Reproduces the seed experiment (a Go library called from Python through
ctypes) for every design in one run -- see README.md in this folder for the
method and the exact definitions:

* experiment A: peak resident memory / data size, ``peak_in`` and ``peak_out``
  (each in its own fresh process per variant);
* experiment B: round trip of SIZE MiB (default 980), REPS times (default 7),
  mean/best/worst seconds and MiB/s.

    python3 benchmarks/run.py transfer [--size-mib 980] [--reps 7] [--quick]

Records: case ``roundtrip`` (MiB/s, median of REPS) for peers
``swiftbind-zerocopy``, ``swiftbind-copy``, ``ctypes-c``, ``go``, ``memcpy``;
cases ``peak_in`` / ``peak_out`` (unit ``x``: peak RSS over the data size, the
input counting 1.0) for the four non-memcpy peers.  ``c-ext`` (the copying
floor) and ``c-ext-inplace`` appear in the table only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH_DIR = HERE.parent
REPO = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))
import common  # noqa: E402  (benchmarks/common.py)

MiB = 1 << 20
WORKER = HERE / "worker.py"

# variant -> record peer (None: table only)
PEERS = {
    "swiftbind-zerocopy": "swiftbind-zerocopy",
    "swiftbind-copy": "swiftbind-copy",
    "c-ext": None,
    "c-ext-inplace": None,
    "ctypes-c": "ctypes-c",
    "go": "go",
    "memcpy": "memcpy",
}
DESCRIPTION = {
    "swiftbind-zerocopy": "kobj.xor_inplace(bytearray), in place",
    "swiftbind-copy": "kobj.xor_copy(bytes) -> bytes",
    "c-ext": "C extension, straight into new bytes (floor)",
    "c-ext-inplace": "C extension, in place (reference)",
    "ctypes-c": "ctypes + C .so: malloc copy in, malloc copy out, string_at, free",
    "go": "ctypes + cgo c-shared: GoBytes, CBytes, string_at, Free (seed)",
    "memcpy": "memcpy into a pre-faulted buffer (limit)",
}


# --------------------------------------------------------------------------
# building the peers
# --------------------------------------------------------------------------

def find_go() -> str | None:
    found = shutil.which("go")
    if found:
        return found
    for cand in sorted(Path("/usr/lib").glob("go*/bin/go"), reverse=True):
        if os.access(cand, os.X_OK):
            return str(cand)
    return None


def install_go() -> str:
    """Try Debian's golang-go; return '' on success, else why not."""
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return "apt-get needs root"
    print("go not found: trying `apt-get install -y golang-go` ...", flush=True)
    cmd = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "golang-go"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for attempt in range(2):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
        except (OSError, subprocess.SubprocessError) as e:
            return f"apt-get failed: {e}"
        if r.returncode == 0 and find_go():
            return ""
        if attempt == 0:
            subprocess.run(["apt-get", "update"], capture_output=True, text=True, timeout=600, env=env)
    return f"apt-get install golang-go failed: {(r.stdout + r.stderr).strip()[-300:]}"


def build_go(out_dir: Path, allow_install: bool) -> Path:
    go = find_go()
    if go is None:
        why = install_go() if allow_install else "go not found (--no-install-go)"
        go = find_go()
        if go is None:
            raise common.BuildError(why or "go not found after install")
    src = HERE / "go"
    version = subprocess.run([go, "version"], capture_output=True, text=True).stdout.strip()
    key = common.hash_inputs(version, files=[src / "go.mod", src / "main.go"])
    target = out_dir / f"go-{key}" / "libxorgo.so"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CGO_ENABLED="1", GOTOOLCHAIN="local", GOFLAGS="-mod=mod",
               GOCACHE=str(out_dir / "gocache"), GOPATH=str(out_dir / "gopath"))
    r = subprocess.run([go, "build", "-buildmode=c-shared", "-o", str(target), "."],
                       cwd=src, capture_output=True, text=True, env=env, timeout=900)
    if r.returncode != 0:
        shutil.rmtree(target.parent, ignore_errors=True)
        raise common.BuildError(f"go build failed: {(r.stdout + r.stderr).strip()[-2000:]}")
    return target


def build_kobj(out_dir: Path) -> Path:
    sys.path.insert(0, str(REPO / "python"))
    from swiftbind.builder import build_extension
    paths = build_extension(REPO / "examples" / "kobj", out_dir)
    for p in paths:
        if Path(p).name.startswith("kobj"):
            return Path(p)
    raise RuntimeError(f"build_extension returned no kobj module: {paths}")


def build_all(out: Path, allow_go_install: bool) -> tuple[dict, dict]:
    """Return (manifest {key: path}, notes {variant: why skipped})."""
    manifest, notes = {}, {}
    try:
        manifest["xorlib"] = str(common.compile_native("xorlib", [HERE / "xorlib.c"], out, python=False))
    except common.BuildError as e:
        notes["ctypes-c"] = notes["memcpy"] = f"not built ({e})"
    try:
        manifest["xorext"] = str(common.compile_native("xorext", [HERE / "xorext.c"], out))
    except common.BuildError as e:
        notes["c-ext"] = notes["c-ext-inplace"] = f"not built ({e})"
    try:
        manifest["golib"] = str(build_go(out, allow_go_install))
    except Exception as e:  # noqa: BLE001 -- any failure means: skip the peer with a note
        notes["go"] = f"skipped: {e}"
    try:
        manifest["kobj"] = str(build_kobj(out / "kobj"))
    except Exception as e:  # noqa: BLE001
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(f"swiftbind: not built ({type(e).__name__}: {reason[:300]})")
        notes["swiftbind-zerocopy"] = notes["swiftbind-copy"] = "not built"
    return manifest, notes


# --------------------------------------------------------------------------
# running workers
# --------------------------------------------------------------------------

def run_worker(variant: str, size_mib: float, reps: int, measure: str, manifest_path: Path) -> dict:
    cmd = [sys.executable, str(WORKER), variant, repr(size_mib), str(reps),
           "--measure", measure, "--manifest", str(manifest_path)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    lines = r.stdout.strip().splitlines()
    if r.returncode != 0 or not lines:
        raise RuntimeError(f"worker {variant} {measure} failed (exit {r.returncode}): "
                           f"{(r.stderr or r.stdout).strip()[-600:]}")
    return json.loads(lines[-1])


def summarize(times: list[float], size_mib: float) -> dict:
    mean = statistics.fmean(times)
    med = statistics.median(times)
    return {"mean": mean, "best": min(times), "worst": max(times), "median": med,
            "mibs_mean": size_mib / mean, "mibs_median": size_mib / med,
            "mibs_best": size_mib / min(times)}


def main(argv: list[str]) -> list[dict]:
    ap = argparse.ArgumentParser(prog="run.py transfer", description="large byte-array round trip")
    ap.add_argument("--size-mib", type=float, default=980)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="64 MiB, 3 repetitions")
    ap.add_argument("--variants", help="comma-separated subset of " + ",".join(PEERS))
    ap.add_argument("--no-install-go", action="store_true", help="do not try apt-get install golang-go")
    args = ap.parse_args(argv)
    if args.quick:
        args.size_mib, args.reps = 64, 3
    size, reps = args.size_mib, args.reps
    other = 64 if size != 64 else 8  # second size for the zero-copy size check

    out = common.build_dir("transfer")
    manifest, notes = build_all(out, not args.no_install_go)
    manifest_path = out / "manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2))
    variants = [v for v in PEERS if v not in notes]
    if args.variants:
        wanted = args.variants.split(",")
        variants = [v for v in variants if v in wanted]

    print(f"\ntransfer: {common.machine_description()}")
    if "golib" in manifest:
        print("go:", subprocess.run([find_go(), "version"], capture_output=True, text=True).stdout.strip())
    print(f"data: {size:g} MiB, {reps} round trips per variant; peaks in fresh processes", flush=True)

    results: dict[str, dict] = {}
    for v in variants:
        res: dict = {}
        try:
            t = run_worker(v, size, reps, "time", manifest_path)
            res.update(summarize(t["times"], size))
            res["times"] = t["times"]
            res["faults_per_mib"] = statistics.median(t["minor_faults"]) / size
            if v != "memcpy":
                res["peak_in"] = run_worker(v, size, 1, "peak_in", manifest_path)["peak_in"]
                po = run_worker(v, size, 1, "peak_out", manifest_path)
                res["peak_out"] = po["peak_out"]
                res["hwm_reset"] = po["hwm_reset"]
        except Exception as e:  # noqa: BLE001
            notes[v] = f"failed: {e}"
            print(f"  {v}: {notes[v]}", flush=True)
            continue
        results[v] = res
        print(f"  {v:<19} median {res['median']:.3f} s  {res['mibs_median']:,.0f} MiB/s"
              + (f"  peak in {res['peak_in']:.2f}x out {res['peak_out']:.2f}x" if "peak_in" in res else ""),
              flush=True)

    # zero-copy size independence: the same in-place call at a second size
    scaling: dict[str, dict[float, dict]] = {}
    for v in ("swiftbind-zerocopy", "c-ext-inplace"):
        if v in results:
            scaling[v] = {size: results[v]}
            try:
                t = run_worker(v, other, reps, "time", manifest_path)
                scaling[v][other] = summarize(t["times"], other)
            except Exception as e:  # noqa: BLE001
                print(f"  {v} at {other} MiB failed: {e}")

    print_tables(results, notes, scaling, size, reps)
    return make_records(results)


# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------

def print_tables(results: dict, notes: dict, scaling: dict, size: float, reps: int) -> None:
    floor = results.get("c-ext", {}).get("mibs_median")
    go = results.get("go", {}).get("mibs_median")
    print(f"\nExperiment B: {size:g} MiB round trip, {reps} repetitions "
          f"(MiB/s = data size / round-trip time)   +   experiment A: peak RSS / data size")
    hdr = (f"{'variant':<19} {'mean s':>7} {'best s':>7} {'worst s':>7} {'MiB/s':>7} "
           f"{'median':>7} {'best':>7} {'peak_in':>7} {'peak_out':>8} {'x c-ext':>7} {'x go':>6} {'flt/MiB':>7}")
    print(hdr)
    print(f"{'':<19} {'':>7} {'':>7} {'':>7} {'(mean)':>7} {'MiB/s':>7} {'MiB/s':>7}")
    print("-" * len(hdr))
    for v in PEERS:
        if v not in results:
            if v in notes:
                print(f"{v:<19} {notes[v][:len(hdr) - 20]}")
            continue
        r = results[v]
        pin = f"{r['peak_in']:.2f}x" if "peak_in" in r else "-"
        pout = f"{r['peak_out']:.2f}x" if "peak_out" in r else "-"
        xf = f"{r['mibs_median'] / floor:.2f}" if floor else "-"
        xg = f"{r['mibs_median'] / go:.1f}" if go else "-"
        print(f"{v:<19} {r['mean']:7.3f} {r['best']:7.3f} {r['worst']:7.3f} {r['mibs_mean']:7,.0f} "
              f"{r['mibs_median']:7,.0f} {r['mibs_best']:7,.0f} {pin:>7} {pout:>8} {xf:>7} {xg:>6} "
              f"{r['faults_per_mib']:7.0f}")
    print()
    for v in PEERS:
        if v in results:
            print(f"  {v:<19} {DESCRIPTION[v]}")
    print("  x c-ext, x go: median MiB/s over that of c-ext / go; flt/MiB: minor page faults per MiB "
          "in the median round trip (256 = every 4 KiB page of one fresh buffer)")
    if any("hwm_reset" in r and not r["hwm_reset"] for r in results.values()):
        print("  note: VmHWM could not be reset after warm-up on this kernel; peaks may include warm-up")

    if scaling:
        print("\nZero-copy size independence (in place, median of "
              f"{reps}): time per MiB should not depend on the size")
        print(f"{'variant':<19} {'size MiB':>8} {'median s':>9} {'MiB/s':>7} {'ms/GiB':>7}")
        for v, by_size in scaling.items():
            for s_mib, r in sorted(by_size.items()):
                print(f"{v:<19} {s_mib:8g} {r['median']:9.4f} {r['mibs_median']:7,.0f} "
                      f"{r['median'] / s_mib * 1024 * 1000:7.1f}")

    # the targets, where the swiftbind rows exist
    print("\nTargets (from the issue):")
    zc, cp = results.get("swiftbind-zerocopy"), results.get("swiftbind-copy")
    if zc:
        sc = scaling.get("swiftbind-zerocopy", {})
        per = [r["median"] / s for s, r in sc.items()]
        ratio = max(per) / min(per) if len(per) == 2 else float("nan")
        print(f"  zero-copy: s/MiB at two sizes within {ratio:.2f}x of each other; "
              f"peak {max(zc['peak_in'], zc['peak_out']):.3f}x (target <= 1.05x): "
              f"{'ok' if max(zc['peak_in'], zc['peak_out']) <= 1.05 else 'MISSED'}")
    else:
        print("  zero-copy: pending (swiftbind not built)")
    if cp:
        ok_floor = floor is not None and cp["mibs_median"] >= floor
        ok_go = go is not None and cp["mibs_median"] >= 3 * go
        pk = max(cp["peak_in"], cp["peak_out"])
        print(f"  copy: {cp['mibs_median']:,.0f} MiB/s vs floor {floor or float('nan'):,.0f} "
              f"({'ok' if ok_floor else 'MISSED'}), vs 3x go {3 * (go or float('nan')):,.0f} "
              f"({'ok' if ok_go else 'MISSED'}); peak {pk:.3f}x (target <= 2.0x): "
              f"{'ok' if pk <= 2.0 + 1e-3 else 'MISSED'}")
    else:
        print("  copy: pending (swiftbind not built)")
    if floor and go:
        print(f"  for reference: c-ext floor / go = {floor / go:.1f}x")


def make_records(results: dict) -> list[dict]:
    records = []
    for v, peer in PEERS.items():
        if peer is None or v not in results:
            continue
        r = results[v]
        records.append({"case": "roundtrip", "peer": peer, "value": round(r["mibs_median"], 1),
                        "unit": "MiB/s"})
        if peer != "memcpy":
            records.append({"case": "peak_in", "peer": peer, "value": round(r["peak_in"], 3), "unit": "x"})
            records.append({"case": "peak_out", "peer": peer, "value": round(r["peak_out"], 3), "unit": "x"})
    return records


if __name__ == "__main__":
    recs = main(sys.argv[1:])
    print(json.dumps(recs, indent=2))
