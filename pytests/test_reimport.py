"""Per-process class state under re-import and subinterpreters.

A Swift type has one Python class per process: a re-import (after
``del sys.modules[...]``) while the first module object's class is alive
reuses that class, so the functions of both module objects agree on it.
Once every module object and instance is gone the class dies, its registry
entry goes and its method slots return to the pool.  (Subinterpreters:
test_state.py.)  Each case runs in a fresh interpreter."""
import textwrap

from conftest import run_fresh_python_ok


def run(body):
    return run_fresh_python_ok("import gc, importlib\n" + textwrap.dedent(body))


def test_reimport_shares_the_class_and_both_modules_accept_each_others_instances():
    out = run("""
        import fx_classes as old
        kept_old = old.Counter("a", 1)
        del sys.modules["fx_classes"]
        new = importlib.import_module("fx_classes")
        assert new is not old
        assert new.Counter is old.Counter
        made_by_old, made_by_new = old.make_counter("x"), new.make_counter("y")
        assert type(made_by_old) is type(made_by_new) is new.Counter
        assert old.total([made_by_new, kept_old]) == 1 and new.total([made_by_old, kept_old]) == 1
        assert old.same(made_by_old, made_by_old) and new.mirror(old.Point(1, 2)) == old.Point(-1, -2)
        del old
        gc.collect()
        assert new.make_counter("z").bump(2) == 2 and kept_old.bump() == 2
        print("ok")
    """)
    assert out.strip() == "ok"


def test_a_dead_class_is_unregistered_and_its_method_slots_are_reused():
    out = run("""
        import fx_classes
        first = type(fx_classes.Counter.bump).__name__
        for round in range(300):
            del sys.modules["fx_classes"]
            del fx_classes
            gc.collect()
            fx_classes = importlib.import_module("fx_classes")
            c = fx_classes.make_counter("n")   # made in Swift: the registry finds the live class
            assert type(c) is fx_classes.Counter and c.bump(3) == 3
            assert fx_classes.total([c, fx_classes.Counter("m", 4)]) == 7
        # 300 re-imports x 5 methods would exhaust the 256 slots if dead
        # classes kept theirs: the methods would fall back to swiftbind's
        # own descriptor type.
        print(first, type(fx_classes.Counter.bump).__name__)
    """)
    assert out.split() == ["method_descriptor", "method_descriptor"]


def test_enums_are_shared_across_a_reimport():
    out = run("""
        import fx_inheritance as old
        del sys.modules["fx_inheritance"]
        new = importlib.import_module("fx_inheritance")
        assert new.Level is old.Level
        assert old.level_value(new.Level.high) == new.level_value(old.Level.high)
        print("ok")
    """)
    assert out.strip() == "ok"
