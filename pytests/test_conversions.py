"""Every built-in conversion, both directions, with edge values."""
import math
import sys

import os

import pytest

from conftest import load_fixture

c = load_fixture("fx_conversions")


@pytest.mark.parametrize("fn, lo, hi", [
    ("int_", -2**63, 2**63 - 1), ("int64", -2**63, 2**63 - 1), ("int32", -2**31, 2**31 - 1),
    ("int16", -2**15, 2**15 - 1), ("int8", -2**7, 2**7 - 1),
    ("uint", 0, 2**64 - 1), ("uint64", 0, 2**64 - 1), ("uint32", 0, 2**32 - 1),
    ("uint16", 0, 2**16 - 1), ("uint8", 0, 2**8 - 1),
])
def test_integer_widths(fn, lo, hi):
    f = getattr(c, fn)
    assert f(lo) == lo and f(hi) == hi and f(0) == 0
    for bad in (lo - 1, hi + 1):
        with pytest.raises(OverflowError, match=rf"{fn}\(\) argument 'x': {bad} does not fit in"):
            f(bad)


def test_integer_edges_named_in_issue():
    with pytest.raises(OverflowError):
        c.int_(2**63)
    with pytest.raises(OverflowError):
        c.int_(-2**63 - 1)
    with pytest.raises(OverflowError):
        c.uint64(2**64)
    assert c.uint64(2**64 - 1) == 2**64 - 1


def test_integer_accepts_index_but_not_float_or_str():
    class Idx:
        def __index__(self):
            return 7
    assert c.int_(Idx()) == 7
    assert c.int_(True) == 1
    with pytest.raises(TypeError, match=r"int_\(\) argument 'x' must be int, not float"):
        c.int_(1.0)
    with pytest.raises(TypeError, match="must be int, not str"):
        c.int_("1")


def test_index_that_raises_passes_through():
    class Bad:
        def __index__(self):
            raise RuntimeError("index failed")
    with pytest.raises(RuntimeError, match="index failed"):
        c.int_(Bad())


def test_floats():
    assert math.isnan(c.double(float("nan")))
    assert c.double(float("inf")) == float("inf")
    assert c.double(float("-inf")) == float("-inf")
    assert math.copysign(1.0, c.double(-0.0)) == -1.0
    assert c.double(3) == 3.0 and type(c.double(3)) is float
    assert c.double(sys.float_info.max) == sys.float_info.max
    assert c.float32(1.5) == 1.5
    assert math.isinf(c.float32(float("inf")))
    with pytest.raises(OverflowError, match="does not fit in Float"):
        c.float32(1e300)
    with pytest.raises(OverflowError, match="int too large to convert to float"):
        c.double(2**1100)
    with pytest.raises(TypeError, match=r"double\(\) argument 'x' must be float, not str"):
        c.double("1.0")


def test_bool_is_strict():
    assert c.bool_(True) is True and c.bool_(False) is False
    with pytest.raises(TypeError, match=r"bool_\(\) argument 'x' must be bool, not int"):
        c.bool_(1)
    np = pytest.importorskip("numpy")
    assert c.bool_(np.bool_(True)) is True


def test_strings():
    assert c.string("") == ""
    assert c.string("héllo") == "héllo"
    text = "\U0001F600 non-BMP \U00010348 and é"
    assert c.string(text) == text
    assert c.string_info("\U0001F600é") == (2, 6)
    big = "x" * 1_000_000
    assert c.string(big) == big


def test_lone_surrogate_raises_value_error():
    with pytest.raises(UnicodeError, match=r"string\(\) argument 'x': str contains a lone surrogate"):
        c.string("a\ud800b")
    with pytest.raises(ValueError):
        c.string("\udfff")


def test_bytes():
    assert c.bytes_(b"") == b""
    assert c.bytes_(b"\x00\xff") == b"\x00\xff"
    assert c.bytes_(bytearray(b"ab")) == b"ab"
    assert c.bytes_(memoryview(b"xyz")) == b"xyz"
    import array
    assert c.bytes_(array.array("B", [1, 2])) == b"\x01\x02"
    assert c.bytes_([1, 2, 255]) == b"\x01\x02\xff"
    with pytest.raises(OverflowError, match=r"item \[0\]: 256 does not fit in UInt8"):
        c.bytes_([256])
    with pytest.raises(TypeError, match="must be bytes, not str"):
        c.bytes_("text")
    if os.environ.get("SWIFTBIND_TEST_ABI3_FLOOR") == "3.10":
        # An abi3 build for 3.10 has no buffer protocol: memoryview and
        # array.array come through as sequences of ints, item by item.
        with pytest.raises(TypeError, match=r"item \[0\] must be int, not float"):
            c.bytes_(array.array("d", [1.0]))
    else:
        with pytest.raises(TypeError, match="format 'd'"):
            c.bytes_(array.array("d", [1.0]))


def test_optional():
    assert c.optional_int(None) is None
    assert c.optional_int(5) == 5
    assert c.none() is None


def test_lists():
    assert c.list_int([]) == []
    assert c.list_int((1, 2)) == [1, 2]
    assert c.list_int(range(3)) == [0, 1, 2]
    assert c.list_str(["a", "é"]) == ["a", "é"]
    assert c.list_double([1, 2.5]) == [1.0, 2.5]
    million = list(range(1_000_000))
    assert c.list_int(million) == million
    assert c.sum_list(million) == sum(million)
    assert c.make_list(5) == [0, 1, 2, 3, 4]
    assert len(c.make_list(1_000_000)) == 1_000_000
    with pytest.raises(TypeError, match=r"must be list\[int\], not str"):
        c.list_int("abc")
    with pytest.raises(TypeError, match=r"item \[2\] must be int, not str"):
        c.list_int([1, 2, "x"])
    with pytest.raises(TypeError, match=r"must be list\[int\], not dict"):
        c.list_int({1: 2})


def test_list_mutated_during_conversion_is_safe():
    lst = [1, 2, 3, 4]

    class Shrink:
        def __index__(self):
            lst.clear()
            return 0
    lst[1] = Shrink()
    assert c.list_int(lst) == [1, 0]


def test_nested_containers():
    value = [{"a": [1, 2], "b": []}, {}]
    assert c.nested(value) == value
    with pytest.raises(TypeError, match=r"item \[0\]\['a'\]\[1\] must be int, not str"):
        c.nested([{"a": [1, "x"]}])


def test_dict_and_set():
    assert c.dict_({"a": 1, "b": 2.5}) == {"a": 1.0, "b": 2.5}
    assert c.dict_({}) == {}
    with pytest.raises(TypeError, match=r"dict_\(\) argument 'x' key 1 must be str, not int"):
        c.dict_({1: 1.0})
    with pytest.raises(TypeError, match=r"item \['a'\] must be float, not str"):
        c.dict_({"a": "b"})
    assert c.set_({1, 2}) == {1, 2}
    assert c.set_(frozenset({3})) == {3}
    assert type(c.set_(set())) is set
    with pytest.raises(TypeError, match=r"must be set\[int\], not list"):
        c.set_([1])


def test_tuples():
    assert c.tuple_((1, "a", 2.5)) == (1, "a", 2.5)
    assert c.tuple_([1, "a", 2]) == (1, "a", 2.0)
    assert c.swap((1, "a")) == ("a", 1)
    with pytest.raises(ValueError, match="expected a tuple of 3 items, got 2"):
        c.tuple_((1, "a"))
    with pytest.raises(TypeError, match=r"item \[1\] must be str, not int"):
        c.tuple_((1, 2, 3.0))


def test_python_object_passthrough():
    sentinel = object()
    assert c.object_(sentinel) is sentinel
    assert c.object_(None) is None
    assert c.type_name([]) == "list"


def test_user_type_joins_through_protocols():
    assert c.point((1, 2)) == (1.0, 2.0)
    assert c.shift((1, 2), 3) == (4.0, 2.0)
    with pytest.raises(TypeError, match=r"point\(\) argument 'p' must be tuple\[float, float\], not int"):
        c.point(5)
