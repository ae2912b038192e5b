"""The worked example of docs/classes.md, as module fx_bank."""
import inspect
import sys
import pickle

import pytest

from conftest import load_fixture

bank = load_fixture("fx_bank")


def test_worked_example():
    a = bank.Account("ann", 10)
    assert a.deposit(5) == 15
    with pytest.raises(ValueError, match="deposit must be positive, not -1"):
        a.deposit(-1)
    with pytest.raises(TypeError, match=r"Account.deposit\(\) argument 'amount' must be int, not str"):
        a.deposit("x")
    with pytest.raises(AttributeError, match="not writable"):
        a.owner = "bob"
    assert bank.richest([a, bank.Account("bob", 3)]) is a
    assert (list(a), len(a), a[0]) == ([5], 1, 5)
    b = pickle.loads(pickle.dumps(a))
    assert (b.owner, b.balance) == ("ann", 15)
    v = bank.Vector(1, 2)
    v += bank.Vector(1, 1)
    assert 2 * v == bank.Vector(4, 6)
    with pytest.raises(TypeError, match="unsupported operand"):
        bank.Vector(1, 2) + 1
    assert bank.Currency.eur.value == "eur"
    if sys.version_info >= (3, 10):  # 3.9's inspect finds no signature on extension classes
        assert str(inspect.signature(bank.Account)) == "(owner, balance=0)"
    assert str(inspect.signature(a.deposit)) == "(amount)"
    assert bank.Account.fee(500) == 5 and bank.Account.empty("z").balance == 0
    assert repr(a) == 'Account("ann", balance=15)'


def test_the_page_shows_the_fixture_verbatim():
    """docs/classes.md's complete example is fx_bank.swift (less its two
    comment lines, with the module named bank), so what the page shows is
    what this file tests."""
    from conftest import FIXTURES, REPO
    page = (REPO / "docs" / "classes.md").read_text()
    block = page.split("```swift\n", 1)[1].split("```", 1)[0]
    source = (FIXTURES / "Sources" / "fx_bank" / "fx_bank.swift").read_text()
    body = "".join(source.splitlines(keepends=True)[2:]).replace("fx_bank", "bank")
    assert block == body


def test_bad_input_to_the_example_raises():
    a = bank.Account("ann", 10)
    with pytest.raises(IndexError, match="history index out of range"):
        a[5]
    with pytest.raises(OverflowError, match="balance does not fit in Int"):
        a.deposit(2**63 - 1)
    assert a.balance == 10
