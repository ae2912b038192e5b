"""Containers whose elements' Python code (__index__, __float__) empties or
frees the container mid-conversion: a clean exception or a consistent
result, never a read of freed memory (these crashed or corrupted memory
before items were held during conversion)."""
import gc
import sys

import pytest

from conftest import load_fixture

c = load_fixture("fx_conversions")


class Clearing:
    """An int-like whose __index__ empties the list it sits in and returns
    a value too large for Int64, so the OverflowError message is built
    after the object lost its last container reference."""
    def __init__(self, box, value=2**70):
        self.box, self.value = box, value

    def __index__(self):
        self.box.clear()
        gc.collect()
        return self.value


class ClearingFloat:
    def __init__(self, box):
        self.box = box

    def __float__(self):
        self.box.clear()
        return 1.5


def test_overflow_message_after_index_freed_the_item():
    for _ in range(200):
        box = []
        box.extend([Clearing(box)])
        with pytest.raises(OverflowError, match=r"list_int\(\) argument 'x' item \[0\]"):
            c.list_int(box)


def test_index_that_empties_the_list_stops_the_conversion():
    box = []
    box.extend([1, Clearing(box, 5), 3, 4])
    assert c.list_int(box) == [1, 5]


def test_float_that_empties_the_list():
    box = []
    box.extend([ClearingFloat(box), 2.0, 3.0])
    assert c.list_double(box) == [1.5]


def test_nested_inner_list_freed_by_an_element():
    outer = []
    inner = [1, None, 3]
    inner[1] = Clearing(outer, 7)
    outer.append(inner)
    del inner
    # The inner list's only owner is `outer`, which the element empties.
    assert c.nested([{"k": outer[0]}]) == [{"k": [1, 7, 3]}]
    box = [[Clearing(None, 1)]]
    box[0][0].box = box
    result = c.nested([{"k": box[0]}])
    assert result == [{"k": [1]}]


def test_dict_whose_value_conversion_clears_the_dict():
    d = {}
    d["a"] = ClearingFloat(d)
    d["b"] = 2.0
    # The held entry converts; iteration then ends on the emptied dict.
    assert c.dict_(d) == {"a": 1.5}
    assert d == {}


def test_no_reference_left_on_the_elements():
    item = 12345678901
    box = [item] * 10
    before = sys.getrefcount(item)
    for _ in range(1000):
        c.list_int(box)
    assert sys.getrefcount(item) == before
