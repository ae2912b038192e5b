"""Runs fuzz batches (pytests/fuzz/runner.py) in subprocesses, in parallel,
until a number of calls is reached; collects crashes, hangs and findings.

    python3 pytests/fuzz/campaign.py --calls 1000000 --jobs 2     # what `make fuzz` runs

A batch that dies (negative return code: a signal) is a crash; its case
file names the case it was running.  A batch that outlives its timeout is a
hang.  The process exits 1 when anything was found.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

RUNNER = Path(__file__).resolve().parent / "runner.py"


@dataclass
class Result:
    calls: int = 0
    cases: int = 0
    excluded: int = 0
    batches: int = 0
    crashes: List[dict] = field(default_factory=list)     # {seed, count, index, signal, case, stderr}
    findings: List[dict] = field(default_factory=list)
    errors: List[dict] = field(default_factory=list)      # the runner itself failed
    per_target: Dict[str, int] = field(default_factory=dict)
    exceptions: Dict[str, int] = field(default_factory=dict)
    typeerror_unnamed: List[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.crashes or self.findings or self.errors)


def run_batch(seed: int, count: int, timeout: float, extra_args=(), env=None, cmd_prefix=()) -> dict:
    """One runner subprocess; returns its summary, or a crash/hang/error record."""
    with tempfile.TemporaryDirectory(prefix="swiftbind-fuzz-") as tmp:
        case_file, out = Path(tmp) / "case", Path(tmp) / "out.json"
        cmd = [*cmd_prefix, sys.executable, str(RUNNER), "--seed", str(seed), "--count", str(count),
               "--case-file", str(case_file), "--out", str(out), *extra_args]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  errors="replace", timeout=timeout, env=env)
            rc, stderr = proc.returncode, proc.stderr
        except subprocess.TimeoutExpired as e:
            rc, stderr = "timeout", (e.stderr or b"").decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        last = case_file.read_text(errors="replace").strip() if case_file.exists() else ""
        if rc == 0 and out.exists():
            return {"status": "ok", **json.loads(out.read_text())}
        parts = last.split("\t", 3)
        record = {"seed": seed, "count": count, "index": int(parts[2]) if len(parts) == 4 else None,
                  "case": parts[3] if len(parts) == 4 else "(before the first case)",
                  "stderr": "\n".join(stderr.strip().splitlines()[-8:])}
        if rc == "timeout":
            return {"status": "hang", **record, "signal": f"timeout after {timeout:.0f}s"}
        if isinstance(rc, int) and rc < 0:
            try:
                name = signal.Signals(-rc).name
            except ValueError:
                name = str(-rc)
            return {"status": "crash", **record, "signal": name}
        if isinstance(rc, int) and rc > 128 and out.exists() is False and "Traceback" not in stderr:
            return {"status": "crash", **record, "signal": f"exit {rc}"}   # killed through a shell
        return {"status": "error", **record, "rc": rc}


def campaign(calls: int, batch: int = 2000, jobs: int = 2, seed: int = 0, timeout: float = 300.0,
             max_batches: Optional[int] = None, extra_args=(), env=None, cmd_prefix=(),
             progress=None) -> Result:
    """Batches of ``batch`` cases from seeds seed, seed+1, ... until ``calls`` calls ran."""
    res = Result()
    started = time.monotonic()
    next_seed = seed
    limit = max_batches if max_batches is not None else 10 * (calls // max(batch, 1) + 1)

    def more():  # three runner errors: the harness itself is broken, stop
        return res.calls < calls and res.batches < limit and len(res.errors) < 3

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        running = set()
        while more() or running:
            while more() and len(running) < jobs and res.batches + len(running) < limit:
                running.add(pool.submit(run_batch, next_seed, batch, timeout, extra_args, env, cmd_prefix))
                next_seed += 1
            done = next(iter(running)) if len(running) == 1 else None
            if done is None:
                from concurrent.futures import FIRST_COMPLETED, wait
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                done = next(iter(finished))
            running.discard(done)
            r = done.result()
            res.batches += 1
            if r["status"] == "ok":
                res.calls += r["calls"]
                res.cases += r["cases"]
                res.excluded += r["excluded"]
                res.findings += [{**f, "seed": r["seed"], "count": r["count"]} for f in r["findings"]]
                for k, v in r["per_target"].items():
                    res.per_target[k] = res.per_target.get(k, 0) + v
                for k, v in r["exceptions"].items():
                    res.exceptions[k] = res.exceptions.get(k, 0) + v
                res.typeerror_unnamed += r["typeerror_unnamed"][:5]
            elif r["status"] in ("crash", "hang"):
                res.crashes.append(r)
                res.calls += r["index"] or 0         # the cases before the fatal one ran
            else:
                res.errors.append(r)
            if progress:
                progress(res, r)
    res.seconds = time.monotonic() - started
    return res


def reproduce_command(record: dict) -> str:
    return (f"python3 pytests/fuzz/runner.py --seed {record['seed']} --count {record['count']} "
            f"--replay {record['index']}")


def report(res: Result, out=sys.stdout) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"fuzz: {res.calls:,} calls in {res.batches} batches, {res.seconds:.0f}s; "
      f"{len(res.crashes)} crashes/hangs, {len(res.findings)} findings, {len(res.errors)} runner errors, "
      f"{res.excluded:,} known-crash cases held back")
    distinct = {}
    for c in res.crashes:
        key = (c["case"].split("(")[0].split(" ")[0], c["signal"])
        distinct.setdefault(key, []).append(c)
    for (target, sig), cs in sorted(distinct.items()):
        c = cs[0]
        p(f"  CRASH {sig} in {target} (x{len(cs)}): {c['case']}")
        p(f"        reproduce: {reproduce_command(c)}")
        if c["stderr"]:
            p("        stderr: " + c["stderr"].replace("\n", "\n                "))
    for f in res.findings[:30]:
        p(f"  {f['kind']}: {f['case']}\n        {f['detail']}\n        reproduce: "
          f"{reproduce_command(f)}")
    for e in res.errors[:5]:
        p(f"  RUNNER ERROR (rc {e.get('rc')}) at {e['case']}:\n        {e['stderr']}")
    if res.typeerror_unnamed:
        p(f"  note: {len(res.typeerror_unnamed)} argument-conversion TypeErrors do not name the parameter, e.g.")
        for t in res.typeerror_unnamed[:3]:
            p(f"        {t['message']!r}  <- {t['case']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, default=int(os.environ.get("FUZZ_CALLS", 1_000_000)))
    ap.add_argument("--batch", type=int, default=int(os.environ.get("FUZZ_BATCH", 5000)))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_JOBS", os.cpu_count() or 2)))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", int(time.time()) % 100_000 * 1000)))
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--json", help="also write the full result here")
    ap.add_argument("runner_args", nargs="*", help="passed to runner.py (e.g. -- --only fx_buffers)")
    opts = ap.parse_args(argv)

    def progress(res, r):
        status = r["status"] if r["status"] != "ok" else f"{r['calls']} calls"
        print(f"  batch seed {r['seed']}: {status}; total {res.calls:,} calls", flush=True)

    print(f"fuzz: {opts.calls:,} calls, batches of {opts.batch} from seed {opts.seed}, {opts.jobs} processes",
          flush=True)
    res = campaign(opts.calls, opts.batch, opts.jobs, opts.seed, opts.timeout,
                   extra_args=opts.runner_args, progress=progress)
    report(res)
    if opts.json:
        Path(opts.json).write_text(json.dumps(res.__dict__, default=str, indent=1))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
