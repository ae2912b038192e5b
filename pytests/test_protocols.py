"""Python protocols declared on Swift types."""
import pytest

from conftest import load_fixture

fx = load_fixture("fx_protocols")


def test_repr_str():
    b = fx.Bag([1, 2])
    assert repr(b) == "Bag([1, 2])" and str(b) == "bag of 2"


def test_container():
    b = fx.Bag([1, 2, 3])
    assert len(b) == 3 and bool(b) and not fx.Bag()
    assert (b[0], b[-1]) == (1, 3)
    b[0] = 10
    del b[1]
    assert b.items == [10, 3]
    with pytest.raises(IndexError, match="Bag index 10 out of range"):
        b[10]
    with pytest.raises(TypeError, match="must be int, not str"):
        b["x"]
    with pytest.raises(TypeError, match="must be int, not str"):
        b[0] = "x"
    assert 3 in b and 4 not in b and "x" not in b


def test_iteration():
    b = fx.Bag([1, 2, 3])
    assert list(b) == [1, 2, 3]
    it = iter(b)
    assert iter(it) is it and next(it) == 1
    assert list(it) == [2, 3]
    with pytest.raises(StopIteration):
        next(it)
    assert sum(fx.Bag(list(range(1000)))) == 499500


def test_call():
    assert fx.Bag([1, 2])(3) == [3, 6]
    assert fx.Bag([1])() == [1]
    assert fx.Bag([1])(factor=2) == [2]


def test_operators():
    v, w = fx.Vector(1, 2), fx.Vector(3, 4)
    assert v + w == fx.Vector(4, 6)
    assert v - w == fx.Vector(-2, -2)
    assert v * 2 == fx.Vector(2, 4) and 2 * v == fx.Vector(2, 4)
    assert v * w == 11.0
    with pytest.raises(TypeError, match="unsupported operand"):
        v + 1
    with pytest.raises(TypeError, match="unsupported operand"):
        "a" - v
    same = v
    v += w
    assert v is same and v == fx.Vector(4, 6)
    with pytest.raises(TypeError):
        v += "x"


def test_comparisons_and_hash():
    vs = [fx.Version(2), fx.Version(1, 5), fx.Version(1)]
    assert [repr(x) for x in sorted(vs)] == ["Version(1, 0)", "Version(1, 5)", "Version(2, 0)"]
    assert fx.Version(1) < fx.Version(2) <= fx.Version(2) and fx.Version(3) > fx.Version(2)
    assert fx.Version(1) == fx.Version(1, 0) and fx.Version(1) != fx.Version(1, 1)
    assert len({fx.Version(1), fx.Version(1), fx.Version(2)}) == 2
    assert (fx.Version(1) == 1) is False
    with pytest.raises(TypeError, match="not supported"):
        fx.Version(1) < 3
    with pytest.raises(TypeError, match="unhashable"):
        hash(fx.Vector(1, 2))  # equatable without hashable


def test_context_manager():
    r = fx.Resource()
    with r as x:
        assert x is r and r.open
    assert not r.open and r.log == ["enter", "exit"]
    with r:
        raise KeyError("swallowed")  # exit returns True for KeyError
    with pytest.raises(ValueError):
        with r:
            raise ValueError("kept")
    assert r.log == ["enter", "exit", "enter", "exit with KeyError", "enter", "exit with ValueError"]


def test_buffer():
    m = memoryview(fx.Blob(b"abc"))
    assert bytes(m) == b"abc" and m.readonly and m.format == "B"
    assert bytes(fx.Blob(b"\x00\xff")) == b"\x00\xff"
    with pytest.raises(TypeError):
        memoryview(fx.Bag([1]))
