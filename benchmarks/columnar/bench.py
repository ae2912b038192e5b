"""Columnar queries over a 10-million-row table: swiftbind (examples/columnar)
against pyarrow.compute, polars, NumPy and pure Python.

``python3 benchmarks/run.py columnar [options]``

The table has an int64 ``key`` (1,000 distinct values), a float64 ``value``
and a UTF-8 ``name`` (0-19 bytes), no nulls, in pyarrow chunks of 1,000,000
rows; the polars DataFrame holds the same data in one chunk
(``polars.from_arrow(t).rechunk()``: polars copies a frame of several chunks
into one on every Arrow export).
Four queries:

    groupby_sum       sum of value per key
    groupby_mean      mean of value per key
    filtered_mean     mean of the values > 50
    strlen_histogram  how many names have each byte length

Peers: ``swiftbind`` (the example module over the pyarrow Table: Arrow
views, GIL released, every core), ``swiftbind-polars`` (the same over the
polars DataFrame, which exports string views), ``pyarrow`` (pyarrow.compute
and Table.group_by), ``polars`` (the eager API), ``numpy`` (bincount and
masks over arrays extracted from the table before timing, no copy for the
numbers; lengths from the string offsets) and ``python`` (loops over lists
of a 100,000-row sample, the time scaled to the full table).  Every peer's
result is checked against pyarrow's before timing.

Timing: each round runs every (query, peer) once in a fresh random order;
the value is the median over rounds, in ms.  Peak RSS growth: in a fresh
process per peer, the peak resident size (VmHWM, reset through
/proc/self/clear_refs once the data is built) minus the resident size
before the queries, as a fraction of the table's size (``Table.nbytes``).

Options:
  --rows N      rows (default 10,000,000)
  --rounds R    interleaved rounds (default 7)
  --quick       --rows 1,000,000 --rounds 3
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
import common  # noqa: E402

QUERIES = ["groupby_sum", "groupby_mean", "filtered_mean", "strlen_histogram"]
PEERS = ["swiftbind", "swiftbind-polars", "pyarrow", "polars", "numpy", "python"]
THRESHOLD = 50.0
SAMPLE = 100_000


def build_columnar(out: Path) -> Path:
    sys.path.insert(0, str(REPO / "python"))
    from swiftbind.builder import build_extension
    for p in build_extension(REPO / "examples" / "columnar", out, quiet=True):
        if Path(p).name.startswith("columnar"):
            return Path(p).parent
    raise RuntimeError("build_extension made no columnar module")


def make_table(rows: int):
    import numpy as np
    import pyarrow as pa
    rng = np.random.default_rng(12)
    keys = rng.integers(0, 1000, rows, dtype=np.int64)
    values = rng.random(rows) * 100
    lengths = rng.integers(0, 20, rows, dtype=np.int32)
    offsets = np.zeros(rows + 1, np.int32)
    np.cumsum(lengths, out=offsets[1:])
    data = np.frombuffer(b"abcdefghijklmnopqrst", np.uint8)[np.arange(int(offsets[-1])) % 20]
    names = pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(data))
    t = pa.table({"key": keys, "value": values, "name": names})
    return pa.Table.from_batches(t.to_batches(max_chunksize=1_000_000))


def peers_for(t, columnar):
    """{peer: {query: zero-argument callable}} and the python peer's scale."""
    import numpy as np
    import polars as pl
    import pyarrow.compute as pc
    # One chunk per column, as polars keeps a frame after most operations: a
    # frame of several chunks is concatenated (copied) by polars on every
    # __arrow_c_stream__ export, which swiftbind-polars would then measure.
    df = pl.from_arrow(t).rechunk()
    keys = t["key"].combine_chunks().to_numpy() if t["key"].num_chunks > 1 else t["key"].chunk(0).to_numpy()
    values = t["value"].combine_chunks().to_numpy()
    name_chunks = [c.buffers()[1] for c in t["name"].chunks]
    offsets = [np.frombuffer(b, np.int32)[c.offset: c.offset + len(c) + 1] for b, c in zip(name_chunks, t["name"].chunks)]
    sample = t.slice(0, SAMPLE)
    sk, sv, sn = sample["key"].to_pylist(), sample["value"].to_pylist(), sample["name"].to_pylist()

    def py_groupby(mean):
        sums, counts = {}, {}
        for k, v in zip(sk, sv):
            sums[k] = sums.get(k, 0.0) + v
            counts[k] = counts.get(k, 0) + 1
        return {k: sums[k] / counts[k] for k in sums} if mean else sums

    def py_filtered():
        s = n = 0
        for v in sv:
            if v > THRESHOLD:
                s += v
                n += 1
        return s / n

    def py_hist():
        h = {}
        for s in sn:
            n = len(s.encode())
            h[n] = h.get(n, 0) + 1
        return h

    return {
        "swiftbind": {
            "groupby_sum": lambda: columnar.groupby_sum(t),
            "groupby_mean": lambda: columnar.groupby_mean(t),
            "filtered_mean": lambda: columnar.filtered_mean(t, THRESHOLD),
            "strlen_histogram": lambda: columnar.strlen_histogram(t),
        },
        "swiftbind-polars": {
            "groupby_sum": lambda: columnar.groupby_sum(df),
            "groupby_mean": lambda: columnar.groupby_mean(df),
            "filtered_mean": lambda: columnar.filtered_mean(df, THRESHOLD),
            "strlen_histogram": lambda: columnar.strlen_histogram(df),
        },
        "pyarrow": {
            "groupby_sum": lambda: t.group_by("key").aggregate([("value", "sum")]),
            "groupby_mean": lambda: t.group_by("key").aggregate([("value", "mean")]),
            "filtered_mean": lambda: pc.mean(pc.filter(t["value"], pc.greater(t["value"], THRESHOLD))),
            "strlen_histogram": lambda: pc.value_counts(pc.binary_length(t["name"])),
        },
        "polars": {
            "groupby_sum": lambda: df.group_by("key").agg(pl.col("value").sum()),
            "groupby_mean": lambda: df.group_by("key").agg(pl.col("value").mean()),
            "filtered_mean": lambda: df.select(pl.col("value").filter(pl.col("value") > THRESHOLD).mean()),
            "strlen_histogram": lambda: df.select(pl.col("name").str.len_bytes().value_counts()),
        },
        "numpy": {
            "groupby_sum": lambda: np.bincount(keys, weights=values),
            "groupby_mean": lambda: np.bincount(keys, weights=values) / np.bincount(keys),
            "filtered_mean": lambda: values[values > THRESHOLD].mean(),
            "strlen_histogram": lambda: sum(np.bincount(np.diff(o), minlength=20) for o in offsets),
        },
        "python": {
            "groupby_sum": lambda: py_groupby(False),
            "groupby_mean": lambda: py_groupby(True),
            "filtered_mean": py_filtered,
            "strlen_histogram": py_hist,
        },
    }


def as_reference(peer, query, result, rows):
    """A peer's result in one shape: {key: number} or a number."""
    import numpy as np
    import pyarrow as pa
    import polars as pl
    if query == "filtered_mean":
        if peer == "polars":
            return result.item()
        return result.as_py() if hasattr(result, "as_py") else float(result)
    if peer.startswith("swiftbind"):
        if query == "strlen_histogram":
            return dict(enumerate(pa.array(result).to_pylist()))
        t = pa.table(result)
        return dict(zip(t.column(0).to_pylist(), t.column(1).to_pylist()))
    if peer == "pyarrow":
        if query == "strlen_histogram":
            return {r["values"]: r["counts"] for r in result.to_pylist()}
        return dict(zip(result["key"].to_pylist(), result.column(0 if result.column_names[0] != "key" else 1).to_pylist()))
    if peer == "polars":
        if query == "strlen_histogram":
            s = result.to_series().struct.unnest()
            return dict(zip(s[:, 0].to_list(), s[:, 1].to_list()))
        return dict(zip(result["key"].to_list(), result["value"].to_list()))
    if peer == "numpy":
        return {i: float(x) for i, x in enumerate(np.asarray(result))}
    return result   # python: on the sample, not comparable


def close(a, b) -> bool:
    if isinstance(a, dict):
        a = {k: v for k, v in a.items() if v}
        b = {k: v for k, v in b.items() if v}
        return a.keys() == b.keys() and all(math.isclose(a[k], b[k], rel_tol=1e-9) for k in a)
    return math.isclose(a, b, rel_tol=1e-9)


RSS_CHILD = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
import bench
import columnar
t = bench.make_table(int(sys.argv[3]))
peer = sys.argv[4]
fns = bench.peers_for(t, columnar)[peer]
def status(field):
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith(field + ":"))
gc.collect()
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")      # resets VmHWM to the current resident size
before = status("VmRSS")
for q in bench.QUERIES:
    fns[q]()
print(json.dumps({"growth": (status("VmHWM") - before) / t.nbytes, "input": t.nbytes}))
"""


def peak_rss_growth(folder: Path, rows: int, peer: str) -> dict:
    r = subprocess.run([sys.executable, "-c", RSS_CHILD, str(folder), str(HERE), str(rows), peer],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> list[dict]:
    ap = argparse.ArgumentParser(prog="benchmarks/run.py columnar")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.rows, args.rounds = 1_000_000, 3
    common.ensure_packages({"pyarrow": "pyarrow", "polars": "polars", "numpy": "numpy"})
    import polars as pl
    import pyarrow as pa

    folder = build_columnar(common.build_dir("columnar"))
    sys.path.insert(0, str(folder))
    import columnar

    t = make_table(args.rows)
    peers = peers_for(t, columnar)
    scale = {p: (args.rows / SAMPLE if p == "python" else 1.0) for p in PEERS}
    for q in QUERIES:
        want = as_reference("pyarrow", q, peers["pyarrow"][q](), args.rows)
        for p in PEERS:
            if p == "python":
                continue
            got = as_reference(p, q, peers[p][q](), args.rows)
            if not close(got, want):
                raise SystemExit(f"columnar: {p} disagrees with pyarrow on {q}")

    def timed(fn, k):
        def run():
            t0 = time.perf_counter()
            fn()
            return (time.perf_counter() - t0) * 1000 * k
        return run
    measures = {(q, p): timed(peers[p][q], scale[p]) for q in QUERIES for p in PEERS}
    keyed = {f"{q}|{p}": m for (q, p), m in measures.items()}
    samples = common.interleave(keyed, args.rounds, between=lambda r: print(".", end="", flush=True))
    print()

    print(f"\ncolumnar: {args.rows:,} rows ({t.nbytes / 2**20:.0f} MiB, {t['key'].num_chunks} chunks), "
          f"{common.machine_description()}, {columnar.cores()} cores used by swiftbind; "
          f"pyarrow {pa.__version__}, polars {pl.__version__}; python: {SAMPLE:,}-row sample, scaled\n")
    records = []
    for q in QUERIES:
        rows = []
        for p in PEERS:
            s = samples[f"{q}|{p}"]
            rows.append({"peer": p, "value": common.median(s), "spread": common.spread(s)})
            records.append({"case": q, "peer": p, "value": common.median(s), "unit": "ms"})
        common.print_table(f"{q} (ms; x = time / swiftbind's)", rows, baseline="swiftbind", unit="ms")

    print("peak RSS growth during the four queries (fraction of the table's size):")
    for p in ["swiftbind", "swiftbind-polars", "pyarrow", "polars"]:
        g = peak_rss_growth(folder, args.rows, p)
        print(f"  {p:<17} {g['growth'] * 100:6.2f}%  of {g['input'] / 2**20:.0f} MiB")
        records.append({"case": "peak_rss_growth", "peer": p, "value": g["growth"], "unit": "fraction"})
    return records
