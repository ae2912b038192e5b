"""Swift types as Python classes: initializers, methods, properties, static
and class methods, class attributes, identity, conversions, errors."""
import inspect
import sys
import weakref

import pytest

from conftest import load_fixture

fx = load_fixture("fx_classes")


def test_construct_and_methods():
    c = fx.Counter("a")
    assert (c.name, c.count) == ("a", 0)
    assert c.bump() == 1
    assert c.bump(5) == 6
    assert c.bump(by=2) == 8
    assert c.reset() is None and c.count == 0
    assert fx.Counter("b", 3).count == 3
    assert fx.Counter(name="b", count=4).count == 4
    assert type(c) is fx.Counter and type(c).__module__ == "fx_classes"


def test_properties():
    c = fx.Counter("a")
    c.count = 10
    assert c.count == 10
    with pytest.raises(AttributeError, match="not writable"):
        c.name = "x"
    with pytest.raises(TypeError, match=r"property 'Counter.count' must be int, not str"):
        c.count = "x"
    with pytest.raises(AttributeError, match="cannot delete attribute 'count'"):
        del c.count
    with pytest.raises(ValueError, match="checked must be >= 0"):
        c.checked = -1
    with pytest.raises(AttributeError):
        c.nonexistent = 1  # no __dict__ on the Swift type itself


def test_struct_values_live_inline():
    p = fx.Point(1, 2)
    p.move(1, 1)
    assert (p.x, p.y) == (2.0, 3.0)
    assert p.norm2() == 13.0
    q = fx.mirror(p)
    assert (q.x, q.y) == (-2.0, -3.0) and (p.x, p.y) == (2.0, 3.0)
    assert p == fx.Point(2, 3) and p != fx.Point(0, 0)
    assert (p == 1) is False
    assert hash(p) == hash(fx.Point(2, 3))


def test_static_class_methods_and_attributes():
    assert fx.Counter.twice(4) == 8
    assert fx.Counter("x").twice(2) == 4
    made = fx.Counter.named("z")
    assert type(made) is fx.Counter and made.name == "z"
    assert fx.Counter.LIMIT == 100


def test_identity_round_trip():
    c = fx.Counter("a")
    fx.keep(c)
    assert fx.kept(0) is c
    assert fx.same(c, c) and not fx.same(c, fx.Counter("b"))
    made = fx.make_counter("q")
    fx.keep(made)
    assert fx.kept(1) is made
    fx.forget()


def test_conversions_in_functions():
    a, b = fx.Counter("a", 2), fx.Counter("b", 3)
    assert fx.total([a, b]) == 5
    assert fx.make_opaque().value() == 7
    with pytest.raises(TypeError, match=r"total\(\) argument 'counters' item \[0\] must be Counter, not int"):
        fx.total([1])
    with pytest.raises(TypeError, match="must be Counter, not fx_classes.Point"):
        fx.keep(fx.Point())


def test_errors_become_exceptions():
    c = fx.Counter("a")
    with pytest.raises(TypeError, match=r"Counter.bump\(\) argument 'by' must be int, not str"):
        c.bump("x")
    with pytest.raises(ValueError, match="negative step"):
        c.bump(-1)
    with pytest.raises(ValueError, match="count must be >= 0"):
        fx.Counter("a", -1)
    with pytest.raises(TypeError, match=r"Counter\(\) missing required argument 'name'"):
        fx.Counter()
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        fx.Counter("a", nope=1)
    with pytest.raises(TypeError, match=r"Counter.bump\(\) takes from 1 to 2 positional arguments but 3 were given"):
        c.bump(1, 2)


def test_wrong_receiver_raises():
    with pytest.raises(TypeError, match="'bump' for 'fx_classes.Counter' objects doesn't apply to a 'int' object"):
        fx.Counter.bump(5)
    with pytest.raises(TypeError, match="doesn't apply to a 'fx_classes.Point' object"):
        fx.Counter.bump(fx.Point())
    with pytest.raises(TypeError, match="'__repr__' for 'fx_classes.Counter' objects doesn't apply to a 'int' object"):
        fx.Counter.__repr__(5)
    with pytest.raises(TypeError):
        fx.Counter.bump()
    with pytest.raises(TypeError):
        type(fx.Counter("a")).count.__get__(fx.Point())


def test_uninitialized_instances_raise():
    blank = fx.Counter.__new__(fx.Counter)
    with pytest.raises(TypeError, match="not initialized"):
        blank.bump()
    with pytest.raises(TypeError, match="not initialized"):
        blank.count

    class Bad(fx.Counter):
        def __init__(self):
            pass
    with pytest.raises(TypeError, match="Bad object is not initialized"):
        Bad().bump()
    # As an argument, the message names the parameter.
    with pytest.raises(TypeError, match=r"total\(\) argument 'counters' item \[0\]: Bad object is not initialized"):
        fx.total([Bad()])
    with pytest.raises(TypeError, match=r"same\(\) argument 'a': fx_classes.Counter object is not initialized"):
        fx.same(blank, blank)


def test_reinit_replaces_value():
    c = fx.Counter("a", 5)
    c.__init__("b", 1)
    assert (c.name, c.count) == ("b", 1)


def test_signatures_and_docs():
    if sys.version_info >= (3, 10):  # 3.9's inspect finds no signature on extension classes
        assert str(inspect.signature(fx.Counter)) == "(name, count=0)"
    assert str(inspect.signature(fx.Counter.bump)) == "(self, /, by=1)"
    assert str(inspect.signature(fx.Counter("a").bump)) == "(by=1)"
    assert fx.Counter.bump.__doc__ == "bump(self, by: int = 1) -> int\n\nAdds `by` and returns the new count."
    assert fx.Counter.bump.__qualname__ == "Counter.bump"
    assert "Counts things." in fx.Counter.__doc__
    assert type(fx.Counter).__name__ == "type"
    assert fx.Counter.count.__doc__ == "The count."


def test_weakref():
    c = fx.Counter("a")
    w = weakref.ref(c)
    assert w() is c
    del c
    assert w() is None


def test_repr():
    assert repr(fx.Counter("a", 2)) == 'Counter("a", count=2)'
