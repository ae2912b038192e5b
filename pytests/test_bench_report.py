"""benchmarks/report.py (REPORT.md and its charts) and run.py's heartbeat."""
from __future__ import annotations

import importlib.util
import io
import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_report_writes_tables_charts_and_published_figures(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    (results / "bf.json").write_text(json.dumps([
        {"case": "mandelbrot", "peer": "swiftbind", "value": 0.5, "unit": "s"},
        {"case": "mandelbrot", "peer": "pypy-tutorial", "value": 40.0, "unit": "s", "lower_bound": True}]))
    (results / "embed.json").write_text(json.dumps([
        {"case": "call_noop", "peer": "swiftbind", "value": 60.0, "unit": "ns"},
        {"case": "call_noop", "peer": "grpc", "value": 94800.0, "unit": "ns"}]))
    out = tmp_path / "REPORT.md"
    assert load("report").main(["--results", str(results), "--out", str(out)]) == 0
    text = out.read_text()
    assert "![bf](report/bf.png)" in text and "![embed](report/embed.png)" in text
    assert "| mandelbrot | s | pypy-tutorial | 40.0 (lower bound) | 80.00x |" in text
    # seed 003's absolute figure, and seed 001's ratio rescaled from our grpc row (94800 / 237 = 400)
    assert "| mandelbrot | s | *seed 003: RPython* (published) | 45.0 | 90.00x |" in text
    assert "*seed 001: cgo (237x gRPC) (from our grpc)* (published) | 400 | 6.67x |" in text
    for name in ("bf", "embed"):
        png = (tmp_path / "report" / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_times_counts_and_memory_multiples_are_lower_is_better():
    report = load("report")
    for case, unit in [("noop", "ns"), ("noop_instructions", "instr"), ("cold_build", "s"),
                       ("exported_symbols", "count"), ("peak_in", "x"), ("peak_rss_growth", "fraction")]:
        assert report.lower_is_better(case, unit), (case, unit)
    for case, unit in [("roundtrip", "MiB/s"), ("speedup_parallel_swift", "x")]:
        assert not report.lower_is_better(case, unit), (case, unit)


def test_report_without_results_fails_with_a_message(tmp_path, capsys):
    assert load("report").main(["--results", str(tmp_path), "--out", str(tmp_path / "R.md")]) == 1
    assert "no results" in capsys.readouterr().err


def test_heartbeat_speaks_only_when_the_benchmark_is_silent(monkeypatch):
    run = load("run")
    monkeypatch.setattr(run, "HEARTBEAT_S", 0.2)
    captured = io.StringIO()
    monkeypatch.setattr(sys, "stdout", captured)
    stop = run.start_heartbeat("demo", time.perf_counter())
    try:
        time.sleep(0.5)   # the heartbeat looks every HEARTBEAT_S / 4
    finally:
        stop.set()
        sys.stdout = captured
    assert "[demo] still running (" in captured.getvalue()
    quiet = io.StringIO()
    monkeypatch.setattr(run, "HEARTBEAT_S", 0.4)
    monkeypatch.setattr(sys, "stdout", quiet)
    stop = run.start_heartbeat("demo", time.perf_counter())
    try:
        for _ in range(15):   # a benchmark printing every 0.1 s is never called silent
            print("working", flush=True)
            time.sleep(0.1)
    finally:
        stop.set()
        sys.stdout = quiet
    assert "still running" not in quiet.getvalue()
