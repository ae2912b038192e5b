"""Swift-backed objects and memory: cyclic GC, weakrefs, no growth over many
constructions, argument reference counts unchanged."""
import gc
import sys
import tracemalloc
import weakref

from conftest import load_fixture

fx = load_fixture("fx_pickle")
fc = load_fixture("fx_classes")


def test_cycle_through_python_list_is_collected():
    n = fx.Node(1)
    n.children = [n]          # Node -> list -> Node
    w = weakref.ref(n)
    del n
    gc.collect()
    assert w() is None


def test_cycle_between_two_nodes():
    a, b = fx.Node(1), fx.Node(2)
    a.children, b.children = [b], [a]
    wa, wb = weakref.ref(a), weakref.ref(b)
    del a, b
    gc.collect()
    assert wa() is None and wb() is None


def test_gc_sees_held_objects():
    n = fx.Node()
    held = [1, 2]
    n.children = held
    assert held in gc.get_referents(n)


def growth(fn, n=100_000):
    fn()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(n):
        fn()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before


def test_constructions_do_not_grow():
    assert growth(lambda: fc.Counter("a", 1)) < 64 * 1024
    assert growth(lambda: fc.Point(1.0, 2.0)) < 64 * 1024
    assert growth(lambda: fx.Account("a", 1)) < 64 * 1024


def test_methods_properties_do_not_grow():
    c = fc.Counter("a")
    assert growth(lambda: (c.bump(1), c.count, c.name)) < 64 * 1024
    assert growth(lambda: fc.make_counter("m")) < 64 * 1024


def test_identity_map_does_not_leak():
    def cycle():
        c = fc.Counter("a")
        fc.keep(c)
        fc.forget()
    assert growth(cycle, 20_000) < 64 * 1024
    fc.forget()


def test_argument_refcounts_unchanged():
    name = "refcount-probe-name"
    c = fc.Counter(name)
    p = fc.Point(1.0, 2.0)
    before = (sys.getrefcount(name), sys.getrefcount(c), sys.getrefcount(p))
    for _ in range(10_000):
        fc.Counter(name, 1)
        c.bump(1)
        c.count = 3
        fc.total([c])
        fc.mirror(p)
        p.move(0.0, 0.0)
    assert (sys.getrefcount(name), sys.getrefcount(c), sys.getrefcount(p)) == before
