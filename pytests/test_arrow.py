"""The Arrow PyCapsule interface, in and out (fixture fx_arrow).

In: typed zero-copy views of arrays from pyarrow, polars and nanoarrow
(every primitive type, bool, strings in three layouts, binary, timestamps,
dates, dictionaries), with nulls and slices; record batches, tables and
streams; the messages for a wrong type, a missing column or nulls; producers
that break the rules.  Out: Swift columns and batches read by pyarrow,
polars and nanoarrow without a copy.  Both ways: release callbacks run
exactly once and nothing leaks over many round trips.
"""
from __future__ import annotations

import gc
import threading

import pytest

from conftest import load_fixture, rss_bytes

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")
na = pytest.importorskip("nanoarrow")
np = pytest.importorskip("numpy")
fx = load_fixture("fx_arrow")

PRIMITIVES = {
    "i8": pa.int8(), "i16": pa.int16(), "i32": pa.int32(), "i64": pa.int64(),
    "u8": pa.uint8(), "u16": pa.uint16(), "u32": pa.uint32(), "u64": pa.uint64(),
    "f32": pa.float32(), "f64": pa.float64(),
}


# -- arrays in ---------------------------------------------------------------

@pytest.mark.parametrize("name", PRIMITIVES)
def test_every_primitive_type_with_nulls(name):
    a = pa.array([1, None, 2, 3, None, 5], PRIMITIVES[name])
    assert getattr(fx, f"sum_{name}")(a) == (6, 2, 11.0)


@pytest.mark.parametrize("name", PRIMITIVES)
def test_wrong_element_type_names_parameter_and_both_types(name):
    other = pa.string()
    with pytest.raises(TypeError) as e:
        getattr(fx, f"sum_{name}")(pa.array(["x"], other))
    assert str(e.value) == (f"sum_{name}() argument 'a' must be an Arrow array of {PRIMITIVES[name]}, "
                            "not pyarrow.lib.StringArray of string")


def test_slices_honour_the_array_offset():
    a = pa.array([10, None, 30, 40, None, 60, 70, 80, 90], pa.int64())
    assert fx.i64_values(a.slice(1, 4)) == [None, 30, 40, None]
    assert fx.validity(a.slice(4, 3)) == (True, [False, True, True])
    assert fx.sum_i64(a.slice(2, 0)) == (0, 0, 0.0)
    b = pa.array([True, False, None, True, True, False, None, True, False, True])
    assert fx.bools(b.slice(3, 6)) == b.slice(3, 6).to_pylist()


def test_bools_are_bit_packed():
    values = [i % 3 == 0 if i % 7 else None for i in range(50)]
    assert fx.bools(pa.array(values)) == values


def test_strings_in_every_layout():
    values = ["", "a", None, "héllo wörld", "a string longer than twelve bytes", None, "z" * 100]
    assert fx.strings(pa.array(values)) == values
    assert fx.large_strings(pa.array(values, pa.large_string())) == values
    assert fx.view_strings(pa.array(values, pa.string_view())) == values
    lengths = [-1 if v is None else len(v.encode()) for v in values]
    for t in (pa.string(), pa.large_string(), pa.string_view()):
        assert fx.any_string_lengths(pa.array(values, t)) == lengths
    assert fx.strings(pa.array(values).slice(2, 3)) == values[2:5]
    assert fx.view_strings(pa.array(values, pa.string_view()).slice(3, 3)) == values[3:6]


def test_polars_strings_arrive_as_string_views():
    s = pl.Series(["a", None, "x" * 40])
    assert fx.view_strings(s) == ["a", None, "x" * 40]
    assert fx.any_string_lengths(s) == [1, -1, 40]
    with pytest.raises(TypeError, match="must be an Arrow array of string, not Series of string_view"):
        fx.strings(s)


def test_binary_timestamps_dates():
    assert fx.binaries(pa.array([b"\x00\x01", None, b""])) == [b"\x00\x01", None, b""]
    assert fx.timestamps(pa.array([0, None, 1_700_000_000_000_000], pa.timestamp("us", tz="UTC"))) == \
        ("us", "UTC", [0, None, 1_700_000_000_000_000])
    assert fx.timestamps(pa.array([5], pa.timestamp("ns"))) == ("ns", None, [5])
    assert fx.dates(pa.array([0, None, 19000], pa.date32())) == [0, None, 19000]
    with pytest.raises(TypeError, match="must be an Arrow array of timestamp, not .* of date32"):
        fx.timestamps(pa.array([1], pa.date32()))


def test_dictionary_encoded():
    values = ["red", "green", None, "red", "blue", "green"]
    d = pa.array(values).dictionary_encode()
    assert fx.dict_strings(d) == values
    assert fx.dict_indices(d) == [0, 1, None, 0, 2, 1]
    assert fx.dict_strings(d.slice(3, 3)) == values[3:]
    with pytest.raises(TypeError, match="dictionary<values=string, indices=int32>, not .* of dictionary<values=string, indices=int8>"):
        fx.dict_strings(pa.DictionaryArray.from_arrays(pa.array([0], pa.int8()), pa.array(["a"])))
    cat = pl.Series(["a", "b", "a"], dtype=pl.Categorical)
    try:
        got = fx.dict_strings(cat)
    except TypeError as e:
        assert "dictionary" in str(e)   # polars picks its index width and string layout
    else:
        assert got == ["a", "b", "a"]


def test_polars_and_nanoarrow_producers():
    assert fx.sum_i64(pl.Series([1, None, 3])) == (3, 1, 4.0)
    assert fx.sum_f64(pl.Series([0.5, 0.25])) == (2, 0, 0.75)
    assert fx.sum_i64(na.c_array([1, 2, 3], na.int64())) == (3, 0, 6.0)
    assert fx.sum_i32(na.Array([4, 5], na.int32())) == (2, 0, 9.0)
    assert fx.strings(na.c_array(["p", "q"], na.string())) == ["p", "q"]


def test_schema_parameter():
    assert fx.schema_of(pa.int64()) == "int64"
    assert fx.schema_of(pa.field("t", pa.timestamp("ms", tz="Europe/Paris"))) == "timestamp[ms, tz=Europe/Paris]"
    assert fx.schema_of(pa.schema([("a", pa.int32()), ("b", pa.large_string())])) == "struct<a: int32, b: large_string>"
    assert fx.schema_of(na.list_(na.float64())) == "list<item: double>"
    with pytest.raises(TypeError, match=r"schema_of\(\) argument 'x' must be an Arrow type, field or schema \(an object with __arrow_c_schema__\), not int"):
        fx.schema_of(3)


def test_not_arrow_is_a_type_error():
    with pytest.raises(TypeError, match=r"sum_i64\(\) argument 'a' must be an Arrow array of int64 .*, not list"):
        fx.sum_i64([1, 2])


# -- batches, tables, streams -------------------------------------------------

def sales(n=10, chunks=1):
    per = n // chunks
    batches = [pa.record_batch({"key": pa.array(range(c * per, (c + 1) * per), pa.int64()),
                                "value": pa.array([None if i % 4 == 0 else i * 0.5 for i in range(c * per, (c + 1) * per)]),
                                "extra": pa.array(["x"] * per)}) for c in range(chunks)]
    return pa.Table.from_batches(batches)


def test_record_batch_columns_by_name():
    t = sales(8)
    b = t.to_batches()[0]
    assert fx.batch_names(b) == (8, ["key", "value", "extra"])
    assert fx.batch_sum(b, "value") == pytest.approx(sum(v for v in b.column(1).to_pylist() if v is not None))
    assert fx.batch_sum(b.slice(2, 3), "value") == pytest.approx(1.0 + 1.5)
    with pytest.raises(TypeError, match="column 'key' has type int64, expected double"):
        fx.batch_sum(b, "key")
    with pytest.raises(KeyError, match="no column 'nope'"):
        fx.batch_sum(b, "nope")
    with pytest.raises(TypeError, match=r"batch_names\(\) argument 'batch' must be an Arrow record batch \(struct array\), not pyarrow.lib.Int64Array of int64"):
        fx.batch_names(pa.array([1]))


@pytest.mark.parametrize("chunks", [1, 3])
def test_table_of_many_chunks(chunks):
    t = sales(30, chunks)
    rows, batches, key_sum, value_sum = fx.table_sum(t)
    assert (rows, batches, key_sum) == (30, chunks, sum(range(30)))
    assert value_sum == pytest.approx(pa.compute.sum(t["value"]).as_py())
    assert fx.chunk_sums(t["key"]) == [sum(c.to_pylist()) for c in t["key"].chunks]


def test_polars_dataframe_and_reader_as_tables():
    df = pl.DataFrame({"key": [1, 2, 3], "value": [1.0, None, 4.0], "s": ["a", "b", "c"]})
    assert fx.table_sum(df) == (3, 1, 6, 5.0)
    reader = pa.RecordBatchReader.from_batches(sales(4).schema, sales(12, 3).to_batches())
    assert fx.table_sum(reader)[:3] == (12, 3, sum(range(12)))
    assert fx.any_table_rows(sales(5).to_batches()[0]) == (5, ["key", "value", "extra"])


def test_table_schema_mismatch_names_parameter_column_and_types():
    with pytest.raises(TypeError) as e:
        fx.table_sum(pa.table({"key": ["a"], "value": [1.0]}))
    assert str(e.value) == ("table_sum() argument 'table' must be a table whose column 'key' is int64, "
                            "not pyarrow.lib.Table whose column 'key' is string")
    with pytest.raises(ValueError) as e:
        fx.table_sum(pa.table({"value": [1.0]}))
    assert str(e.value) == "table_sum() argument 'table': has no column 'key' (expected int64); its columns are 'value'"
    with pytest.raises(ValueError) as e:
        fx.table_sum(pa.table({"key": pa.array([1, None], pa.int64()), "value": [1.0, 2.0]}))
    assert str(e.value) == "table_sum() argument 'table': column 'key' (int64) must have no nulls, but batch 0 has 1"


def test_stream_batch_by_batch_without_the_gil():
    t = sales(30, 3)
    got = fx.stream_sums(pa.RecordBatchReader.from_batches(t.schema, t.to_batches()))
    assert [(held, rows) for held, rows, _ in got] == [(False, 10)] * 3
    assert sum(s for _, _, s in got) == pytest.approx(pa.compute.sum(t["value"]).as_py())

    def gen():
        yield from t.to_batches()
        raise RuntimeError("producer broke")
    with pytest.raises(ValueError, match="producer broke"):
        fx.stream_sums(pa.RecordBatchReader.from_batches(t.schema, gen()))


# -- producers that break the rules -----------------------------------------

class Fake:
    def __init__(self, result):
        self.result = result

    def __arrow_c_array__(self, requested_schema=None):
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def test_bad_capsule_producers_raise():
    good = pa.array([1], pa.int64()).__arrow_c_array__()
    for result, error, text in [
        (None, TypeError, "a \\(schema, array\\) tuple of capsules"),
        ((good[1], good[0]), TypeError, "a PyCapsule named 'arrow_schema'"),
        ((1, 2), TypeError, "PyCapsule named 'arrow_schema'"),
        (OSError("no"), ValueError, "Fake.__arrow_c_array__\\(\\) failed"),
    ]:
        with pytest.raises(error, match=text):
            fx.sum_i64(Fake(result))
    schema, array = pa.array([1], pa.int64()).__arrow_c_array__()
    assert fx.sum_i64(Fake((schema, array))) == (1, 0, 1.0)
    with pytest.raises(ValueError, match="already consumed"):
        fx.sum_i64(Fake((schema, array)))   # moved out by the first call


def test_malformed_buffers_are_value_errors_not_crashes():
    offsets = np.array([0, 3, 1, 4], np.int32)
    bad = na.c_array_from_buffers(na.string(), 3, [None, offsets, b"abcd"], validation_level="none")
    with pytest.raises(ValueError, match="offsets decrease at element 1"):
        fx.strings(bad)
    negative = na.c_array_from_buffers(na.string(), 1, [None, np.array([-5, 0], np.int32), b""], validation_level="none")
    with pytest.raises(ValueError, match="negative first offset"):
        fx.strings(negative)
    missing = na.c_array_from_buffers(na.int64(), 4, [None, None], validation_level="none")
    with pytest.raises(ValueError, match="has no values buffer"):
        fx.sum_i64(missing)
    # In a batch, a column's contents are checked when it is read, so an
    # unread bad column costs nothing and a read one is a ValueError.
    value = na.c_array([0.5, 1.5, 2.0], na.float64())
    batch = na.c_array_from_buffers(na.struct({"value": na.float64(), "s": na.string()}), 3, [None],
                                    children=[value, bad], validation_level="none")
    assert fx.batch_sum(batch, "value") == 4.0
    with pytest.raises(ValueError, match="column 's''s offsets decrease at element 1"):
        fx.batch_strings(batch, "s")
    assert fx.batch_strings(pa.record_batch({"s": ["a", None]}), "s") == ["a", None]
    wild = pa.DictionaryArray.from_arrays(pa.array([0, 7], pa.int32()), pa.array(["a"]), safe=False)
    with pytest.raises(ValueError, match="index 7 at row 1, outside its dictionary of 1 values"):
        fx.dict_strings(wild)
    gc.collect()
    assert fx.live_imports() == 0


# -- arrays out ----------------------------------------------------------------

def test_exported_column_is_read_without_a_copy():
    x = fx.squares(1000)
    a, b = pa.array(x), pa.array(x)
    assert a.to_pylist()[:4] == [0.0, 1.0, 4.0, 9.0] and len(a) == 1000 and len(x) == 1000
    assert a.buffers()[1].address == b.buffers()[1].address   # both read the Swift array itself
    assert repr(x) == "swiftbind.ArrowArray(double, length=1000)"
    n = np.asarray(a)
    assert n.ctypes.data == a.buffers()[1].address


@pytest.mark.parametrize("name", PRIMITIVES)
def test_export_every_primitive_type(name):
    a = pa.array(getattr(fx, f"export_{name}")([1, 2, 3]))
    assert a.type == PRIMITIVES[name] and a.to_pylist() == [1, 2, 3]


def test_export_nulls_strings_bools_timestamps_dates():
    assert pa.array(fx.export_optional_i64([1, None, 3])).to_pylist() == [1, None, 3]
    values = ["a", None, "ünïcode", ""]
    assert pa.array(fx.export_strings(values)).to_pylist() == values
    big = pa.array(fx.export_large_strings(values))
    assert big.type == pa.large_string() and big.to_pylist() == values
    bits = [True, False, True, True, False, False, True, False, True]
    assert pa.array(fx.export_bools(bits)).to_pylist() == bits
    ts = pa.array(fx.export_timestamps([0, 1500], "ms", "UTC"))
    assert ts.type == pa.timestamp("ms", tz="UTC") and ts.cast(pa.int64()).to_pylist() == [0, 1500]
    assert pa.array(fx.export_dates([0, 1])).type == pa.date32()
    with pytest.raises(ValueError, match="column 'b' has 1 rows, expected 2"):
        fx.bad_batch()


def test_exported_batch_to_pyarrow_polars_nanoarrow():
    expected = {"id": [0, 1, 2, 3], "score": [None, 0.5, 1.0, None], "name": ["row0", "row1", "row2", "row3"]}
    assert pa.table(fx.make_batch(4)).to_pydict() == expected
    assert pa.record_batch(fx.make_batch(4)).to_pydict() == expected
    assert pl.DataFrame(fx.make_batch(4)).to_dict(as_series=False) == expected
    assert pl.from_arrow(fx.make_batch(4)).struct.unnest().to_dict(as_series=False) == expected
    assert na.Array(fx.make_batch(4)).to_pylist() == [dict(zip(expected, row)) for row in zip(*expected.values())]


def test_exported_stream():
    reader = pa.RecordBatchReader.from_stream(fx.make_stream(3, 4))
    batches = list(reader)
    assert [b.num_rows for b in batches] == [4, 4, 4]
    assert pa.Table.from_batches(batches)["id"].to_pylist() == list(range(12))
    assert pl.DataFrame(fx.make_stream(2, 2))["id"].to_list() == [0, 1, 2, 3]
    s = fx.make_stream(2, 2)
    assert not hasattr(s, "__arrow_c_array__") and hasattr(fx.make_batch(1), "__arrow_c_array__")
    assert repr(s) == "swiftbind.ArrowStream(struct<id: int64>, length=4, 2 batches)"
    assert fx.table_sum is not None and fx.any_table_rows(fx.make_stream(2, 5)) == (10, ["id"])


def test_swift_reads_what_swift_exported():
    assert fx.any_table_rows(fx.make_batch(6)) == (6, ["id", "score", "name"])
    assert fx.sum_f64(fx.squares(4)) == (4, 0, 14.0)
    assert fx.strings(fx.export_strings(["a", None])) == ["a", None]


# -- lifetimes, release once, no leaks ------------------------------------------

def test_export_outlives_the_swift_call_and_releases_from_another_thread():
    a = pa.array(fx.squares(100_000))
    gc.collect()
    assert fx.live_exports() == 1              # the pyarrow array holds the Swift array
    t = threading.Thread(target=lambda: None)
    holder = [a]
    del a

    def drop():
        holder.clear()                          # pyarrow calls release on this thread
    t = threading.Thread(target=drop)
    t.start()
    t.join()
    gc.collect()
    assert fx.live_exports() == 0


def test_many_round_trips_release_exactly_once_and_do_not_leak():
    def round_trip():
        x = fx.make_batch(64)
        t = pa.table(x)
        assert fx.any_table_rows(t) == (64, ["id", "score", "name"])
        assert fx.sum_f64(pa.array(fx.squares(16))) == (16, 0, 1240.0)
        df = pl.DataFrame(fx.make_stream(2, 8))
        assert fx.table_sum(pa.table({"key": df["id"].to_arrow(), "value": pa.array([1.0] * 16)}))[0] == 16
    for _ in range(200):
        round_trip()
    gc.collect()
    made0, released0 = fx.export_counts()
    imports0, rss0 = fx.import_releases(), rss_bytes()
    arrow0 = pa.total_allocated_bytes()
    for _ in range(2000):
        round_trip()
    gc.collect()
    made, released = fx.export_counts()
    assert made - made0 == released - released0 > 2000 * 3
    assert fx.live_exports() == 0 and fx.live_imports() == 0
    assert fx.import_releases() - imports0 == 2000 * 3   # one table, one array, one table (stream) per trip
    assert pa.total_allocated_bytes() <= arrow0
    assert rss_bytes() - rss0 < 16 << 20
