"""examples/columnar builds like a user project, and its four queries agree
with pyarrow.compute on a small table given as a pyarrow Table (several
chunks, nulls) and as a polars DataFrame (string views)."""
from __future__ import annotations

import math
import sys

import pytest

from conftest import REPO

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")
pl = pytest.importorskip("polars")

EXAMPLE = REPO / "examples" / "columnar"


@pytest.fixture(scope="module")
def columnar(tmp_path_factory):
    from swiftbind.builder import build_extension
    out = tmp_path_factory.mktemp("columnar")
    build_extension(EXAMPLE, out, quiet=True)
    sys.path.insert(0, str(out))
    try:
        import columnar
        yield columnar
    finally:
        sys.path.remove(str(out))


def small_table(sparse=False):
    n = 5000
    keys = [(i * 7919) % 37 * (10**9 if sparse else 1) - 5 for i in range(n)]
    values = [None if i % 11 == 0 else ((i * 31) % 1000) / 7 for i in range(n)]
    names = [None if i % 13 == 0 else "q" * (300 + i) if i % 1000 == 17 else "ab" * (i % 9) + "é" * (i % 3) for i in range(n)]
    t = pa.table({"key": pa.array(keys, pa.int64()), "value": pa.array(values, pa.float64()), "name": names})
    return pa.Table.from_batches(t.to_batches(max_chunksize=700))


def sources(sparse=False):
    t = small_table(sparse)
    return {"pyarrow": t, "polars": pl.from_arrow(t)}


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("source", ["pyarrow", "polars"])
def test_groupby_sum_and_mean(columnar, source, sparse):
    data = sources(sparse)[source]
    ref = small_table(sparse).group_by("key").aggregate([("value", "sum"), ("value", "mean")]).sort_by("key")
    s = pa.table(columnar.groupby_sum(data))
    m = pa.table(columnar.groupby_mean(data))
    assert s["key"].to_pylist() == ref["key"].to_pylist() == m["key"].to_pylist()
    for got, want in [(s["sum"], ref["value_sum"]), (m["mean"], ref["value_mean"])]:
        assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(got.to_pylist(), want.to_pylist()))


@pytest.mark.parametrize("source", ["pyarrow", "polars"])
@pytest.mark.parametrize("threshold", [-1.0, 50.0, 140.0, 1e9])
def test_filtered_mean(columnar, source, threshold):
    v = small_table()["value"]
    want = pc.mean(pc.filter(v, pc.greater(v, threshold))).as_py()
    got = columnar.filtered_mean(sources()[source], threshold)
    assert (got is None and want is None) or math.isclose(got, want, rel_tol=1e-12)


@pytest.mark.parametrize("source", ["pyarrow", "polars"])
def test_strlen_histogram(columnar, source):
    counts = pc.value_counts(pc.binary_length(small_table()["name"])).to_pylist()
    want = {c["values"]: c["counts"] for c in counts if c["values"] is not None}
    got = pa.array(columnar.strlen_histogram(sources()[source])).to_pylist()
    assert {n: c for n, c in enumerate(got) if c} == want and len(got) == max(want) + 1


def test_wrong_tables_are_named_errors(columnar):
    with pytest.raises(TypeError, match=r"groupby_sum\(\) argument 'table' must be a table whose column 'value' is double, "
                                        r"not pyarrow.lib.Table whose column 'value' is int64"):
        columnar.groupby_sum(pa.table({"key": [1], "value": [2]}))
    with pytest.raises(ValueError, match="column 'key' \\(int64\\) must have no nulls"):
        columnar.groupby_sum(pa.table({"key": pa.array([None], pa.int64()), "value": [1.0]}))
    with pytest.raises(ValueError, match="has no column 'name'"):
        columnar.strlen_histogram(pa.table({"key": [1]}))
    assert pa.table(columnar.groupby_sum(pa.table({"key": pa.array([], pa.int64()), "value": pa.array([], pa.float64())}))).num_rows == 0
