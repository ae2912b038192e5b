#!/usr/bin/env python3
"""Run one benchmark of the project: ``python3 benchmarks/run.py NAME``.

Each benchmark lives in ``benchmarks/NAME/bench.py`` and exposes
``main(argv: list[str]) -> list[dict]``: it builds what it needs (under
``benchmarks/_build/NAME/``), measures every peer in one run, prints its own
table, and returns records ``{"case", "peer", "value", "unit"}``.  This driver
writes them to ``benchmarks/results/NAME.json``.
"""
from __future__ import annotations

import importlib.util
import json
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# A benchmark silent for this long gets a line saying it is still running.
HEARTBEAT_S = 30.0


class _TimedStdout:
    """stdout that remembers when it was last written to (for the heartbeat)."""

    def __init__(self, stream):
        self._stream = stream
        self.last_write = time.monotonic()

    def write(self, text: str) -> int:
        self.last_write = time.monotonic()
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def start_heartbeat(name: str, started: float) -> threading.Event:
    """Print ``[NAME] still running (N s)`` whenever the benchmark has printed
    nothing for HEARTBEAT_S, so a long step (a cold build, a slow peer) never
    looks like a hang.  Set the returned event to stop it."""
    out = _TimedStdout(sys.stdout)
    sys.stdout = out
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(min(5.0, HEARTBEAT_S / 4)):
            if time.monotonic() - out.last_write >= HEARTBEAT_S:
                out.write(f"[{name}] still running ({time.perf_counter() - started:.0f} s)\n")
                out.flush()

    threading.Thread(target=beat, name="heartbeat", daemon=True).start()
    return stop


def available() -> list[str]:
    return sorted(p.parent.name for p in HERE.glob("*/bench.py"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python3 benchmarks/run.py NAME [options]")
        print("benchmarks:", ", ".join(available()))
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    path = HERE / name / "bench.py"
    if not path.exists():
        print(f"no benchmark named {name!r}; choose one of: {', '.join(available())}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(HERE))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    started = time.perf_counter()
    print(f"[{name}] started", flush=True)
    heartbeat = start_heartbeat(name, started)
    try:
        records = module.main(rest)
    finally:
        heartbeat.set()
        sys.stdout = sys.__stdout__
    for r in records:
        missing = {"case", "peer", "value", "unit"} - set(r)
        if missing:
            raise SystemExit(f"benchmark {name} returned a record without {sorted(missing)}: {r}")
    out = HERE / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(records, indent=2) + "\n")
    print(f"\n{len(records)} records written to {out.relative_to(HERE.parent)} "
          f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
