#!/usr/bin/env python3
"""Print one summary of every benchmarks/results/NAME.json written so far:
for each benchmark and case, each peer's value and its ratio to swiftbind."""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def main() -> int:
    files = sorted((HERE / "results").glob("*.json"))
    if not files:
        print("no results yet: run `python3 benchmarks/run.py NAME`")
        return 0
    try:
        from common import machine_description
        print(f"Machine: {machine_description()}")
    except Exception:  # the summary is still useful without it
        pass
    for path in files:
        records = json.loads(path.read_text())
        print(f"\n## {path.stem}  ({path.relative_to(HERE.parent)})")
        cases: dict[str, list[dict]] = {}
        for r in records:
            cases.setdefault(r["case"], []).append(r)
        for case, rows in cases.items():
            unit = rows[0]["unit"]
            ours = next((r["value"] for r in rows if r["peer"].startswith("swiftbind")), None)
            cells = []
            for r in rows:
                ratio = f" ({r['value'] / ours:.2f}x)" if ours and r["value"] and not r["peer"].startswith("swiftbind") else ""
                cells.append(f"{r['peer']} {fmt(r['value'])}{ratio}")
            print(f"  {case:<24} [{unit}]  " + " | ".join(cells))
    print("\nRatios are peer / swiftbind for that case (for times, > 1 means swiftbind is faster; "
          "for MiB/s, < 1 means swiftbind is faster).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
