"""Pickling Swift-backed objects: by properties (the default) and by a
declared state; through copy, multiprocessing and concurrent.futures."""
import concurrent.futures
import copy
import multiprocessing
import pickle

import pytest

from conftest import load_fixture

fx = load_fixture("fx_pickle")


def deposit_ten(account):
    account.deposit(10)
    return account


def bag_total(bag):
    return bag.total()


def test_default_pickle_by_properties():
    a = fx.Account("ann", 5)
    a.tags = ["x", "y"]
    for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
        b = pickle.loads(pickle.dumps(a, proto))
        assert (b.owner, b.balance, b.tags) == ("ann", 5, ["x", "y"]) and b is not a


def test_copy_and_deepcopy():
    a = fx.Account("ann", 5)
    c, d = copy.copy(a), copy.deepcopy(a)
    assert (c.owner, c.balance, d.owner, d.balance) == ("ann", 5, "ann", 5)
    d.deposit(1)
    assert a.balance == 5


def test_explicit_state():
    bag = fx.Bag(1, 2, 3)
    assert pickle.loads(pickle.dumps(bag)).total() == 6
    assert copy.deepcopy(bag).total() == 6


def test_unpicklable_says_what_to_do():
    with pytest.raises(TypeError, match=r"initializer parameter 'hidden' has no property.*c.pickle"):
        pickle.dumps(fx.Secret(1))


class Savings(fx.Account):
    pass


def test_python_subclass_keeps_dict():
    s = Savings("s", 1)
    s.rate = 0.5
    t = pickle.loads(pickle.dumps(s))
    assert type(t) is Savings and (t.owner, t.balance, t.rate) == ("s", 1, 0.5)


def test_bad_state_raises():
    a = fx.Account("a")
    with pytest.raises(TypeError):
        a.__setstate__(5)


def test_multiprocessing_pool():
    accounts = [fx.Account(f"a{i}", i) for i in range(4)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(deposit_ten, accounts)
        totals = pool.map(bag_total, [fx.Bag(1, 2), fx.Bag(3)])
    assert [r.balance for r in results] == [10, 11, 12, 13]
    assert [r.owner for r in results] == ["a0", "a1", "a2", "a3"]
    assert totals == [3, 3]


def test_process_pool_executor():
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as ex:
        out = list(ex.map(deposit_ten, [fx.Account("x", 1), fx.Account("y", 2)]))
    assert [(o.owner, o.balance) for o in out] == [("x", 11), ("y", 12)]
