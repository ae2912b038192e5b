"""The binder, table-driven: the same calls go through every binding path
(plain positional, keywords in order, the stack binder, the general binder
with *args/**kwargs, more than 8 parameters) and must bind exactly as
CPython binds an equivalent ``def``: the same values, or a TypeError where
CPython raises one."""
import itertools

import pytest

from conftest import load_fixture

fx = load_fixture("fx_functions")


# Pure-Python twins: same signature, same result shape.
def b_plain(a, b, c): return [a, b, c]
def b_defaults(a, b=2, c=3): return [a, b, c]
def b_kwonly(a, *, b=2, c): return [a, b, c]
def b_posonly(a, b=2, /, c=3): return [a, b, c]
def b_varargs(a, b=2, *rest, c=5): return ([a, b, c], rest)
def b_varkw(a, b=2, **kw): return ([a, b], kw)
def b_both(a, /, b=2, *args, c=3, **kw): return ([a, b, c], args, kw)
def b_many(a, b, c, d, e, f, g, h, i=9, j=10): return [a, b, c, d, e, f, g, h, i, j]
def b_many_kw(a, b=2, c=3, d=4, e=5, f=6, g=7, h=8, *, i=9, j=10, k=11):
    return [a, b, c, d, e, f, g, h, i, j, k]

TWINS = [b_plain, b_defaults, b_kwonly, b_posonly, b_varargs, b_varkw, b_both, b_many, b_many_kw]
NAMES = "abcdefghijk"


def calls_for(twin):
    """Positional counts from 0 to arity+2, each with every subset (up to
    3 names) of keywords, in declaration and in reverse order, plus
    unknown and duplicated keywords."""
    arity = twin.__code__.co_argcount + twin.__code__.co_kwonlyargcount
    names = list(NAMES[:arity]) + ["zz"]
    for npos in range(arity + 3):
        args = tuple(100 + i for i in range(npos))
        for r in range(0, 4):
            for combo in itertools.combinations(names, r):
                for order in (combo, combo[::-1]):
                    yield args, {k: 200 + NAMES.find(k) for k in order}


CASES = [(twin.__name__, args, kwargs) for twin in TWINS for args, kwargs in calls_for(twin)]


def outcome(f, args, kwargs):
    try:
        return ("ok", f(*args, **kwargs))
    except TypeError:
        return ("TypeError", None)


@pytest.mark.parametrize("name", [t.__name__ for t in TWINS])
def test_every_binding_path_binds_like_cpython(name):
    twin = globals()[name]
    swift = getattr(fx, name)
    mismatches = []
    count = 0
    for args, kwargs in calls_for(twin):
        count += 1
        expected, got = outcome(twin, args, kwargs), outcome(swift, args, dict(kwargs))
        if expected != got:
            mismatches.append((args, kwargs, expected, got))
    assert count > 20
    assert not mismatches, f"{len(mismatches)} of {count} calls bound differently, first: {mismatches[:3]}"


def test_defaults_fill_on_the_general_path():
    # The regression: leaving a defaulted parameter out segfaulted here.
    assert fx.b_varargs(1) == ([1, 2, 5], ())
    assert fx.b_varkw(1) == ([1, 2], {})
    assert fx.b_both(1) == ([1, 2, 3], (), {})
    assert fx.b_many(1, 2, 3, 4, 5, 6, 7, 8) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert fx.b_many_kw(1, k=0) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0]


def test_the_general_path_reports_what_is_missing():
    with pytest.raises(TypeError, match=r"b_varargs\(\) missing required argument 'a' \(pos 1\)"):
        fx.b_varargs()
    with pytest.raises(TypeError, match=r"b_many\(\) missing required argument 'h' \(pos 8\)"):
        fx.b_many(1, 2, 3, 4, 5, 6, 7)
    with pytest.raises(TypeError, match=r"b_kwonly\(\) missing required keyword-only argument 'c'"):
        fx.b_kwonly(1)
