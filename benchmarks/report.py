#!/usr/bin/env python3
"""Write ``benchmarks/REPORT.md`` and one PNG chart per benchmark from the
records in ``benchmarks/results/NAME.json`` (``make demo`` runs this last).

``python3 benchmarks/report.py [--results DIR] [--out FILE]``

Each chart has one panel per case: a bar per peer measured in the same run,
swiftbind's bars coloured, the others grey.  Where one of the documents this
project answers published a figure for the same experiment, it is drawn as a
hatched bar and named as published, never mixed with our measurements: those
figures come from other machines, so only the ratios are comparable.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from summary import fmt  # noqa: E402  (the summary's number format, shared)

LOWER_IS_BETTER = {"ns", "us", "ms", "s", "MB", "MiB", "bytes", "count", "instr"}


def lower_is_better(case: str, unit: str) -> bool:
    """Times, sizes and counts; and memory figures given as multiples of the input."""
    return unit in LOWER_IS_BETTER or case.startswith(("peak", "rss"))


@dataclass(frozen=True)
class Published:
    """A figure from a seed document, for one case of one benchmark.

    ``value`` is absolute when ``relative_to`` is None; otherwise the figure
    is a ratio the document gives against a peer we also measure
    (``relative_to``), and the bar shows that peer's value in this run
    divided by ``value`` (the figure rescaled to this machine)."""
    case: str
    label: str
    value: float
    source: str
    relative_to: str | None = None


PUBLISHED: dict[str, list[Published]] = {
    "transfer": [
        Published("roundtrip", "seed 000: Go via ctypes", 1733.0,
                  "seed 000 (Go library called through ctypes, 980 MiB, the author's machine)"),
        Published("peak_in", "seed 000: Go via ctypes", 2.0, "seed 000: peak memory 2x the data going in"),
        Published("peak_out", "seed 000: Go via ctypes", 3.0, "seed 000: peak memory 3x the data coming out"),
    ],
    "bf": [
        Published("mandelbrot", "seed 003: RPython", 45.0,
                  "seed 003: the RPython-translated interpreter, 45 s (the author's machine)"),
        Published("mandelbrot", "seed 003: RPython + JIT", 12.0,
                  "seed 003: the same with the JIT, 12 s (the author's machine)"),
    ],
    "stats": [
        Published(case, "talk: C binding (3.5x python)", 3.5,
                  "the PyCon talk: a C binding computes std 3.5x faster than pure Python",
                  relative_to="python")
        for case in ("std_list_int", "std_list_float", "std_buffer")
    ],
    "embed": [
        Published("call_noop", "seed 001: cgo (237x gRPC)", 237.0,
                  "seed 001: Go embedding CPython through cgo, call overhead 237x lower than gRPC",
                  relative_to="grpc"),
        *(Published(case, "seed 001: cgo (45x gRPC)", 45.0,
                    "seed 001: Go embedding CPython through cgo, 45x faster than gRPC end to end",
                    relative_to="grpc")
          for case in ("call_detect_tiny", "detect_1e3")),
    ],
}


def load(results: Path) -> dict[str, list[dict]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(results.glob("*.json"))}


def by_case(records: list[dict]) -> dict[str, list[dict]]:
    cases: dict[str, list[dict]] = {}
    for r in records:
        if isinstance(r.get("value"), (int, float)) and r["value"] == r["value"]:
            cases.setdefault(r["case"], []).append(r)
    return cases


def published_bars(name: str, case: str, rows: list[dict]) -> list[tuple[str, float, Published]]:
    """The published figures for one case as (label, value in our unit, figure)."""
    bars = []
    for fig in PUBLISHED.get(name, []):
        if fig.case != case:
            continue
        if fig.relative_to is None:
            bars.append((fig.label, fig.value, fig))
            continue
        base = next((r["value"] for r in rows if r["peer"] == fig.relative_to), None)
        if base:
            bars.append((fig.label + f" (from our {fig.relative_to})", base / fig.value, fig))
    return bars


def chart(name: str, cases: dict[str, list[dict]], out: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = list(cases.items())
    cols = min(3, len(shown))
    rows_n = math.ceil(len(shown) / cols)
    heights = [len(rs) + len(published_bars(name, c, rs)) for c, rs in shown]
    per_row = max(heights) * 0.32 + 1.0
    fig, axes = plt.subplots(rows_n, cols, figsize=(5.2 * cols, per_row * rows_n), squeeze=False)
    for ax in axes.flat[len(shown):]:
        ax.set_visible(False)
    for ax, (case, rows) in zip(axes.flat, shown):
        unit = rows[0]["unit"]
        bars = [(r["peer"], r["value"], None) for r in rows]
        bars += published_bars(name, case, rows)
        lower = lower_is_better(case, unit)
        bars.sort(key=lambda b: b[1], reverse=not lower)
        labels = [b[0] for b in bars]
        values = [b[1] for b in bars]
        colours = ["#1f77b4" if b[2] is not None else
                   ("#e8590c" if b[0].startswith("swiftbind") else "#9aa0a6") for b in bars]
        y = range(len(bars))
        drawn = ax.barh(list(y), values, color=colours)
        for bar, b in zip(drawn, bars):
            if b[2] is not None:
                bar.set_hatch("//")
                bar.set_alpha(0.55)
        positive = [v for v in values if v > 0]
        if positive and max(positive) / min(positive) > 50:
            ax.set_xscale("log")
        ax.set_yticks(list(y))
        ax.set_yticklabels(labels, fontsize=8)
        ax.invert_yaxis()
        for yi, v in zip(y, values):
            ax.text(v, yi, " " + fmt(v), va="center", fontsize=7)
        ax.set_title(f"{case} [{unit}] ({'lower' if lower else 'higher'} is better)", fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
        ax.margins(x=0.18)
    fig.suptitle(f"{name}: every peer in one run (orange: swiftbind; hatched: published figures)",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    plt.close(fig)


def table(name: str, cases: dict[str, list[dict]]) -> list[str]:
    lines = ["| case | unit | peer | value | peer / swiftbind |", "|---|---|---|---|---|"]
    for case, rows in cases.items():
        ours = next((r["value"] for r in rows if r["peer"].startswith("swiftbind")), None)
        for r in rows:
            ratio = f"{r['value'] / ours:.2f}x" if ours and r["value"] else "-"
            mark = " (lower bound)" if r.get("lower_bound") else ""
            lines.append(f"| {case} | {r['unit']} | {r['peer']} | {fmt(r['value'])}{mark} | {ratio} |")
        for label, value, fig in published_bars(name, case, rows):
            lines.append(f"| {case} | {rows[0]['unit']} | *{label}* (published) | {fmt(value)} | "
                         f"{f'{value / ours:.2f}x' if ours else '-'} |")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--out", type=Path, default=HERE / "REPORT.md")
    args = parser.parse_args(argv)
    data = load(args.results)
    if not data:
        print(f"no results in {args.results}: run `python3 benchmarks/run.py NAME` first", file=sys.stderr)
        return 1
    charts = args.out.parent / "report"
    charts.mkdir(parents=True, exist_ok=True)
    try:
        from common import machine_description
        machine = machine_description()
    except Exception as e:  # the report is still useful without it
        machine = f"(not described: {e})"
    out = ["# Benchmark report", "",
           "Written by `make demo` (`python3 benchmarks/report.py`) from `benchmarks/results/*.json`.",
           f"Machine: {machine}.", "",
           "Every peer of a benchmark was measured in the same run; compare ratios, not absolute",
           "numbers across runs.  Published figures (hatched in the charts, in italics in the",
           "tables) come from the documents this project answers and from other machines; figures",
           "given there as ratios are shown rescaled from the peer they were measured against.", ""]
    for name, records in data.items():
        cases = by_case(records)
        if not cases:
            continue
        png = charts / f"{name}.png"
        chart(name, cases, png)
        out += [f"## {name}", "", f"![{name}](report/{png.name})", "", *table(name, cases), ""]
        for fig in PUBLISHED.get(name, []):
            if fig.case in cases:
                out.append(f"- published, {fig.case}: {fig.source}")
        out.append("")
        print(f"report: chart {png}", flush=True)
    args.out.write_text("\n".join(out).rstrip() + "\n")
    print(f"report: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
