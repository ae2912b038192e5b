"""What the fuzzer calls: every bound function, class, method, property and
protocol slot of the fixture modules, found by introspection.

A *target* is one way into Swift: ``fx_state.bump`` (a call),
``fx_bank.Account.deposit`` (a method), ``fx_bank.Account.balance`` (a
property: get, set, delete) or ``fx_protocols.Bag.__getitem__`` (a slot,
reached through the operator syntax ``bag[key]``).  Parameter names come
from ``inspect.signature``.
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "Sources"

# Functions designed to block, sleep, spin or allocate: the parameters that
# size the work are bounded (inclusive ranges); every other hostile value
# (strings, floats, evil objects ...) still reaches them.  Lower bounds of 0
# keep negative sizes out where the *fixture's own* Swift code writes
# `0..<n` (a Swift precondition traps there: fixture code, not the runtime).
BOUNDS: Dict[str, Dict[str, Tuple[int, int]]] = {
    # allocations: an array of n (or rows*cols, n*n) elements
    "fx_conversions.make_list": {"n": (-2, 2000)},
    "fx_buffers.eye": {"n": (0, 50)},
    "fx_buffers.ramp_numpy": {"n": (0, 2000)},
    "fx_buffers.ramp_shaped": {"rows": (0, 40), "cols": (0, 40)},
    "fx_buffers.address_kept": {"n": (0, 2000)},
    "fx_buffers.zeros_u8": {"n": (0, 5000)},
    **{f"fx_buffers.ramp_{t}": {"n": (0, 2000)} for t in
       ["f32", "f64", "f16", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "bool"]},
    "fx_arrow.squares": {"n": (0, 2000)},
    "fx_arrow.make_batch": {"n": (0, 2000)},
    "fx_arrow.make_stream": {"batches": (0, 20), "rows": (0, 200)},
    # spins: n steps of busy work, GIL released
    "fx_gil.spin_released": {"iterations": (0, 20_000)},
    # spins with the GIL held until a signal comes or `seconds` pass
    "fx_gil.wait_for_signal": {"seconds": (0, 0)},
    "fx_parallel.spin_total": {"total": (0, 20_000), "chunks": (0, 16)},
    "fx_parallel.probe": {"steps": (0, 20_000)},
    "fx_parallel.pieces_overlap": {"pieces": (0, 16), "steps": (0, 5_000)},
    "fx_parallel.sum_squares": {"n": (0, 20_000), "chunks": (0, 16)},
    "fx_parallel.fail_in_piece": {"n": (0, 16)},
    "fx_parallel.callbacks_from_workers": {"n": (0, 40)},
    # jobs and async functions: bounded so that .result(timeout) returns
    "fx_jobs.long_task": {"n": (0, 20), "step_ms": (-1, 2)},
    "fx_jobs.partial_sum": {"n": (0, 20)},
    "fx_jobs.fails": {"after_ms": (-1, 5)},
    "fx_jobs.squares": {"n": (0, 1000)},
    "fx_jobs.parallel_job": {"n": (0, 10_000)},
    "fx_jobs.call_back": {"n": (0, 20)},
    "fx_jobs.sleep_async": {"ms": (-1, 10)},
    "fx_jobs.gather_async": {"n": (0, 100)},
}

# Left out entirely (each with its reason).
DENY = {
    # Recorded by other calls; fuzzing them adds nothing and they keep state
    # that makes other cases order-dependent.
    # User-code traps on purpose (test_trap_report.py checks the report):
    # Swift's own `+` overflowing and `!` on nil, which no runtime can catch.
    "fx_errors.trapping_add", "fx_errors.trapping_unwrap", "fx_errors.trap_after_callback",
}

# A valid instance of every class: methods, properties and slots run on a
# fresh one per case (so a case replays alone).  Classes not listed are
# built with no arguments.
FACTORIES: Dict[str, Callable[[Any], Any]] = {
    "fx_bank.Account": lambda m: m.Account("alice", 10),
    "fx_bank.Vector": lambda m: m.Vector(1.0, 2.0),
    "fx_classes.Counter": lambda m: m.Counter("c", 1),
    "fx_classes.Point": lambda m: m.Point(1.0, 2.0),
    "fx_classes.Opaque": lambda m: m.make_opaque(),
    "fx_inheritance.Shape": lambda m: m.Shape("s"),
    "fx_inheritance.Circle": lambda m: m.Circle(1.0),
    "fx_pickle.Account": lambda m: m.Account("bob", 5),
    "fx_pickle.Bag": lambda m: m.Bag(1, 2, 3),
    "fx_pickle.Secret": lambda m: m.Secret(3),
    "fx_pickle.Node": lambda m: m.Node(1),
    "fx_protocols.Bag": lambda m: m.Bag([1, 2, 3]),
    "fx_protocols.Vector": lambda m: m.Vector(1.0, 2.0),
    "fx_protocols.Version": lambda m: m.Version(1, 2),
    "fx_protocols.Blob": lambda m: m.Blob(b"abc"),
    "swiftbind.Job": lambda m: importlib.import_module("fx_jobs").squares(3),
}

# Operators and protocols reached through Python syntax for each dunder.
SLOTS = {
    "__add__", "__sub__", "__mul__", "__rmul__", "__iadd__", "__eq__", "__ne__", "__lt__",
    "__le__", "__gt__", "__ge__", "__hash__", "__repr__", "__str__", "__len__", "__bool__",
    "__iter__", "__contains__", "__getitem__", "__setitem__", "__delitem__", "__call__",
    "__enter__", "__exit__", "__reduce__", "__setstate__", "__init__", "__new__", "__buffer__",
}


@dataclass
class Param:
    name: str
    kind: str            # POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD, VAR_POSITIONAL, KEYWORD_ONLY, VAR_KEYWORD
    has_default: bool
    bound: Optional[Tuple[int, int]] = None


@dataclass
class Target:
    name: str            # "fx_bank.Account.deposit"
    kind: str            # call | method | property | slot
    module: str
    params: List[Param] = field(default_factory=list)
    cls: Optional[str] = None       # qualified class name for method/property/slot
    attr: Optional[str] = None      # attribute name on the class
    settable: bool = False


def _params(obj, name) -> Optional[List[Param]]:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    bounds = BOUNDS.get(name, {})
    out = []
    for p in sig.parameters.values():
        if p.name == "self" and p.kind == p.POSITIONAL_ONLY:
            continue
        out.append(Param(p.name, p.kind.name, p.default is not p.empty, bounds.get(p.name)))
    return out


ANY_ARGS = [Param("args", "VAR_POSITIONAL", False), Param("kwargs", "VAR_KEYWORD", False)]


def fixture_names() -> List[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.name.startswith("fx_"))


def _class_targets(modname, cls, qual) -> List[Target]:
    out = []
    ctor = _params(cls, qual)
    out.append(Target(qual, "call", modname, ctor if ctor is not None else ANY_ARGS))
    for attr, d in vars(cls).items():
        full = f"{qual}.{attr}"
        if attr in DENY or full in DENY:
            continue
        kind = type(d).__name__
        if kind == "getset_descriptor":
            if attr in ("__dict__", "__weakref__"):
                continue
            out.append(Target(full, "property", modname, [], qual, attr, settable=True))
        elif kind in ("staticmethod", "classmethod"):
            fn = getattr(cls, attr)
            out.append(Target(full, "call", modname, _params(fn, full) or ANY_ARGS, qual, attr))
        elif kind in ("method_descriptor", "wrapper_descriptor", "builtin_function_or_method"):
            params = _params(getattr(cls, attr), full)
            if attr == "__init__":
                params = ctor if ctor is not None else ANY_ARGS
            out.append(Target(full, "method", modname, params if params is not None else ANY_ARGS, qual, attr))
            if attr in SLOTS:
                out.append(Target(full + " (slot)", "slot", modname, [], qual, attr))
    try:  # the buffer protocol has no dunder in Python 3.11: ask memoryview
        memoryview(make_instance(qual)).release()
        out.append(Target(f"{qual}.__buffer__ (slot)", "slot", modname, [], qual, "__buffer__"))
    except Exception:
        pass
    return out


def collect(modules: Optional[List[str]] = None) -> List[Target]:
    """Every target of the given fixture modules (default: all), sorted."""
    out: List[Target] = []
    seen_types = set()
    for modname in modules or fixture_names():
        mod = importlib.import_module(modname)
        for name, obj in sorted(vars(mod).items()):
            if name.startswith("__"):
                continue
            full = f"{modname}.{name}"
            if full in DENY:
                continue
            if type(obj).__name__ == "builtin_function_or_method":
                out.append(Target(full, "call", modname, _params(obj, full) or ANY_ARGS))
            elif isinstance(obj, type) and obj.__module__ == modname and obj not in seen_types:
                seen_types.add(obj)
                if issubclass(obj, BaseException) or hasattr(obj, "_member_map_"):
                    # exceptions and enum.Enum types are Python classes: their
                    # constructors are fuzzed as calls, their members as values
                    out.append(Target(full, "call", modname, ANY_ARGS))
                    continue
                out.extend(_class_targets(modname, obj, full))
    if modules is None or "fx_jobs" in modules:
        job = type(importlib.import_module("fx_jobs").empty())
        out.extend(_class_targets("fx_jobs", job, "swiftbind.Job"))
    return out


def resolve_class(qual: str):
    if qual == "swiftbind.Job":
        return type(importlib.import_module("fx_jobs").empty())
    mod, name = qual.split(".", 1)
    return getattr(importlib.import_module(mod), name)


def resolve(target: Target):
    """The callable of a 'call' target (a function, class, static or class method)."""
    if target.cls and target.attr:
        return getattr(resolve_class(target.cls), target.attr)
    if target.name == "swiftbind.Job":
        return resolve_class(target.name)
    return getattr(importlib.import_module(target.module), target.name.split(".", 1)[1])


def make_instance(qual: str):
    cls = resolve_class(qual)
    mod = importlib.import_module(qual.split(".")[0]) if qual != "swiftbind.Job" else None
    factory = FACTORIES.get(qual)
    return factory(mod) if factory else cls()


def summary(targets: List[Target]) -> Dict[str, Dict[str, int]]:
    """{module: {kind: count}} with class counts."""
    out: Dict[str, Dict[str, int]] = {}
    for t in targets:
        row = out.setdefault(t.module, {"functions": 0, "classes": 0, "methods": 0,
                                        "properties": 0, "slots": 0})
        if t.kind == "call" and t.cls is not None:
            row["methods"] += 1          # static and class methods
        elif t.kind == "call":
            row["classes" if isinstance(_safe_resolve(t), type) else "functions"] += 1
        else:
            row[{"method": "methods", "property": "properties", "slot": "slots"}[t.kind]] += 1
    return out


def _safe_resolve(t):
    try:
        return resolve(t)
    except AttributeError:
        return None
