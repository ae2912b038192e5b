"""Swift class hierarchies as Python types, Python subclasses that
override methods Swift calls, Swift enums as enum.Enum."""
import enum

import pytest

from conftest import load_fixture

fx = load_fixture("fx_inheritance")


def test_swift_hierarchy():
    c = fx.Circle(2)
    assert isinstance(c, fx.Shape) and issubclass(fx.Circle, fx.Shape)
    assert c.area() == 12.0 and c.name == "circle" and c.radius == 2.0
    assert c.describe() == "circle with area 12.0"
    made = fx.make_circle(1)  # returned as Shape, wrapped as the dynamic type
    assert type(made) is fx.Circle and made.area() == 3.0
    assert fx.describe(c) == "circle with area 12.0"


def test_python_subclass_overrides_seen_by_swift():
    class Square(fx.Shape):
        def __init__(self, side):
            super().__init__("square")
            self.side = side

        def area(self):
            return float(self.side ** 2)

    s = Square(3)
    assert s.area() == 9.0 and s.side == 3
    assert s.describe() == "square with area 9.0"   # Swift's describe() calls the override
    assert fx.describe(s) == "square with area 9.0"
    assert fx.Shape("plain").describe() == "plain with area 0.0"

    class Bad(fx.Shape):
        def area(self):
            return "not a number"
    with pytest.raises(TypeError, match="result of area"):
        Bad("b").describe()


def test_subclass_identity_and_attributes():
    class Tagged(fx.Circle):
        pass
    t = Tagged(1)
    t.tag = "x"
    fx.store(t)
    assert fx.stored()[0] is t and fx.stored()[0].tag == "x"
    fx.clear()


def test_enums():
    assert issubclass(fx.Color, enum.Enum)
    assert fx.Color.red.value == "red" and fx.Color.__doc__ == "Colors."
    assert [m.value for m in fx.Level] == [1, 5, 10]
    assert fx.complement(fx.Color.red) is fx.Color.green
    assert fx.level_value(fx.Level.high) == 20
    with pytest.raises(TypeError, match="must be fx_inheritance.Color, not str"):
        fx.complement("red")
    assert fx.Color.__module__ == "fx_inheritance"
