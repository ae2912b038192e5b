"""One fuzz batch, run in its own process so that a crash is observed, not suffered.

    python3 pytests/fuzz/runner.py --seed 7 --count 2000 --case-file /tmp/case --out /tmp/out.json

Hypothesis draws ``count`` cases from ``seed`` (no database, no shrinking:
the seed alone reproduces the batch).  Each case is written to the case
file, flushed, *before* it runs; if the process dies, the file names the
case that killed it.  At the end the runner writes a JSON summary (calls,
findings, per-target counts) to ``--out``.

``--replay N`` draws the same cases but runs only case N (its text goes to
stdout first): reproduce a crash with the seed, count and index from the
report.  ``--only REGEX`` restricts the targets; ``--no-exclusions`` runs
the cases that known_crashes.py holds back.
"""
from __future__ import annotations

import argparse
import copy
import ctypes
import gc
import itertools
import json
import os
import pickle
import re
import sys
import sysconfig
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))          # pytests/: `fuzz` package
sys.path.insert(0, str(HERE.parent.parent / "python"))


def build_dir() -> Path:
    override = os.environ.get("SWIFTBIND_FUZZ_BUILD")
    if override:
        return Path(override)
    tag = sysconfig.get_config_var("EXT_SUFFIX").split(".")[1]
    return HERE.parent / "_build" / tag


sys.path.insert(0, str(build_dir()))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz import checks, known_crashes, targets, values  # noqa: E402
from fuzz.values import describe  # noqa: E402

_pending = ctypes.pythonapi.PyErr_Occurred
_pending.restype = ctypes.c_void_p
_pending.argtypes = []


class Case:
    def __init__(self, index, target):
        self.index, self.target = index, target
        self.variant = "fresh"
        self.op = None
        self.args, self.kwargs = [], {}
        self.extra = {}
        self.text = ""

    def arg(self, name, default=None):
        """The value given for parameter ``name`` (positional or keyword)."""
        if name in self.kwargs:
            return self.kwargs[name]
        for p, v in zip([p for p in self.target.params if p.kind != "KEYWORD_ONLY"], self.args):
            if p.name == name:
                return v
        return default


# -- drawing a case ------------------------------------------------------------

def instances(quals):
    return st.sampled_from(quals).map(_instance_or_none)


def _instance_or_none(qual):
    try:
        return targets.make_instance(qual)
    except Exception:
        return None


class Draw:
    def __init__(self, all_targets, class_quals, enum_members):
        extra = st.one_of(instances(class_quals), st.sampled_from(enum_members or [None]))
        self.any = values.hostile(extra)
        self.quals = class_quals
        # Strategies are built once: hypothesis labels a sampled_from by
        # hashing all its elements, which dominated the cost per case.
        self.targets = st.sampled_from(all_targets)
        self.modes = st.sampled_from(["ok"] * 8 + ["missing", "extra", "unknown_kw", "twice",
                                                   "posonly_kw", "many", "kw_only_pos", "empty"])
        self.rest = st.lists(self.any, max_size=4)
        self.more = st.lists(self.any, min_size=1, max_size=3)
        self.kw_names = st.lists(st.one_of(values.texts, st.sampled_from(["x", "options", "kwargs", "a"])),
                                 max_size=3)
        self.unknown = st.sampled_from(["zzz", "", "self", "x y", "\ud800", "job", "callback"])
        self.many = st.sampled_from([9, 17, 64, 300])
        self.selves = st.sampled_from(SELF_VARIANTS)
        self.slot_selves = st.sampled_from(SELF_VARIANTS[:-1])
        self.prop_ops = st.sampled_from(["get", "set", "set", "del"])
        self.sides = st.sampled_from(["left", "right"])
        self.new_first = st.one_of(st.just("cls"), self.any)
        self.job = st.tuples(st.booleans(), values.timeouts)
        self._bounded = {}

    def value(self, data, param=None):
        if param is not None and param.bound is not None:
            if param.bound not in self._bounded:
                self._bounded[param.bound] = values.bounded_int(*param.bound)
            return data.draw(self._bounded[param.bound])
        return data.draw(self.any)

    def call(self, data, case, params):
        """Arguments for ``params``: a valid shape most of the time, then each
        way of getting the shape wrong."""
        mode = data.draw(self.modes)
        case.extra["mode"] = mode
        positional = [p for p in params if p.kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
        kwonly = [p for p in params if p.kind == "KEYWORD_ONLY"]
        var_pos = any(p.kind == "VAR_POSITIONAL" for p in params)
        var_kw = any(p.kind == "VAR_KEYWORD" for p in params)
        if mode == "empty":
            return
        split = data.draw(st.integers(0, len(positional)))
        omitted_tail = False
        for i, p in enumerate(positional):
            if p.has_default and data.draw(st.booleans()):
                omitted_tail = True
                continue
            v = self.value(data, p)
            if i < split and not omitted_tail or p.kind == "POSITIONAL_ONLY" and mode != "posonly_kw":
                case.args.append(v)
            else:
                case.kwargs[p.name] = v
        for p in kwonly:
            if p.has_default and data.draw(st.booleans()):
                continue
            if mode == "kw_only_pos":
                case.args.append(self.value(data, p))
            else:
                case.kwargs[p.name] = self.value(data, p)
        if var_pos and not case.kwargs:
            case.args.extend(data.draw(self.rest))
        if var_kw:
            for k in data.draw(self.kw_names):
                if k not in case.kwargs and all(p.name != k for p in params):
                    case.kwargs[k] = self.value(data)
        if mode == "missing":
            required = [p for p in positional + kwonly if not p.has_default]
            if case.args and (not required or data.draw(st.booleans())):
                case.args.pop(data.draw(st.integers(0, len(case.args) - 1)))
            elif case.kwargs:
                case.kwargs.pop(data.draw(st.sampled_from(sorted(case.kwargs))))
        elif mode == "extra":
            case.args.extend(data.draw(self.more))
        elif mode == "unknown_kw":
            key = data.draw(self.unknown)
            if all(p.name != key for p in params):
                case.kwargs[key] = self.value(data)
        elif mode == "twice" and positional:
            p = data.draw(st.sampled_from(positional))
            case.kwargs[p.name] = self.value(data, p)
            while len(case.args) <= positional.index(p):
                case.args.append(self.value(data, positional[len(case.args)]))
        elif mode == "many":
            case.args.extend([1] * data.draw(self.many))


SELF_VARIANTS = ["fresh"] * 6 + ["uninit", "subclass", "wrong"]


def draw_case(data, index, d: Draw, all_targets):
    t = data.draw(d.targets)
    case = Case(index, t)
    if t.kind == "call":
        d.call(data, case, t.params)
    elif t.kind == "method":
        case.variant = data.draw(d.selves)
        if case.variant == "wrong":
            case.extra["self"] = data.draw(d.any)
        if t.attr == "__new__":
            case.args.append(data.draw(d.new_first))
        d.call(data, case, t.params)
    elif t.kind == "property":
        case.variant = data.draw(d.selves)
        case.op = data.draw(d.prop_ops)
        if case.variant == "wrong":
            case.extra["self"] = data.draw(d.any)
        if case.op == "set":
            case.args.append(data.draw(d.any))
    elif t.kind == "slot":
        case.variant = data.draw(d.slot_selves)
        case.op = data.draw(d.sides)
        case.args = [data.draw(d.any), data.draw(d.any)]
        if t.attr == "__call__":
            case.args = []
            d.call(data, case, targets._params(targets.resolve_class(t.cls).__call__, t.name) or [])
    case.extra["job"] = data.draw(d.job)
    case.text = describe_case(case)
    return case


def describe_case(case):
    t = case.target
    args = ", ".join([describe(a) for a in case.args] + [f"{k if k.isidentifier() else '**{%r: ...}' % k}={describe(v)}"
                                                 for k, v in case.kwargs.items()])
    self_text = case.variant if "self" not in case.extra else f"wrong self {describe(case.extra['self'])}"
    if t.kind == "call":
        what = f"{t.name}({args})"
    elif t.kind == "method":
        what = f"{t.name}(<{self_text}>, {args})"
    elif t.kind == "property":
        what = f"{t.name} {case.op} on <{self_text}> {args}"
    else:
        what = f"{t.name} {case.op} on <{self_text}> with ({args})"
    return f"{what}  [mode={case.extra.get('mode', '-')}, job={case.extra['job']!r}]"


# -- running a case -------------------------------------------------------------

_subclasses = {}


def subclass_of(qual):
    if qual not in _subclasses:
        cls = targets.resolve_class(qual)
        try:
            _subclasses[qual] = type("Py" + cls.__name__, (cls,), {"__module__": "fuzz"})
        except TypeError:
            _subclasses[qual] = None
    return _subclasses[qual]


def make_self(case):
    qual = case.target.cls
    cls = targets.resolve_class(qual)
    if case.variant == "wrong":
        return case.extra["self"]
    if case.variant == "uninit":
        return cls.__new__(cls)
    if case.variant == "subclass":
        sub = subclass_of(qual)
        if sub is not None:
            inst = targets.make_instance(qual)
            try:
                return sub.__new__(sub) if not hasattr(inst, "__reduce__") else _rebuild(sub, qual)
            except Exception:
                return sub.__new__(sub)
    return targets.make_instance(qual)


def _rebuild(sub, qual):
    """An instance of the Python subclass, built by the factory's arguments."""
    factory_args = {
        "fx_bank.Account": ("alice", 10), "fx_classes.Counter": ("c", 1), "fx_inheritance.Shape": ("s",),
        "fx_inheritance.Circle": (1.0,), "fx_pickle.Account": ("bob", 5), "fx_pickle.Bag": (1, 2),
        "fx_pickle.Secret": (3,), "fx_protocols.Bag": ([1, 2],), "fx_protocols.Vector": (1.0, 2.0),
        "fx_protocols.Version": (1, 2), "fx_protocols.Blob": (b"ab",),
    }.get(qual, ())
    return sub(*factory_args)


def run_slot(case, obj):
    a, b = case.args[:2] if len(case.args) >= 2 else (None, None)
    left = case.op == "left"
    attr = case.target.attr
    binary = {"__add__": lambda x, y: x + y, "__sub__": lambda x, y: x - y, "__mul__": lambda x, y: x * y,
              "__rmul__": lambda x, y: y * x, "__eq__": lambda x, y: x == y, "__ne__": lambda x, y: x != y,
              "__lt__": lambda x, y: x < y, "__le__": lambda x, y: x <= y, "__gt__": lambda x, y: x > y,
              "__ge__": lambda x, y: x >= y}
    if attr in binary:
        other = a if not isinstance(b, type(obj)) or left else b
        return binary[attr](obj, other) if left else binary[attr](other, obj)
    if attr == "__iadd__":
        obj += a
        return obj
    if attr == "__hash__":
        return hash(obj)
    if attr == "__repr__":
        return repr(obj)
    if attr == "__str__":
        return str(obj)
    if attr == "__len__":
        return len(obj)
    if attr == "__bool__":
        return bool(obj)
    if attr == "__iter__":
        it = iter(obj)
        out = list(itertools.islice(it, 100))
        if left and hasattr(obj, "__delitem__"):
            try:
                del obj[0]           # mutate while an iterator is alive
            except Exception:
                pass
            out += list(itertools.islice(it, 100))
        return out
    if attr == "__contains__":
        return a in obj
    if attr == "__getitem__":
        return obj[a]
    if attr == "__setitem__":
        obj[a] = b
        return None
    if attr == "__delitem__":
        del obj[a]
        return None
    if attr == "__call__":
        return obj(*case.args, **case.kwargs)
    if attr in ("__enter__", "__exit__"):
        exc = {"left": values.Hostile("in with"), "right": KeyError("k")}[case.op]
        with obj:
            if not isinstance(a, int):
                raise exc
        return None
    if attr in ("__reduce__", "__setstate__"):
        if left:
            return pickle.loads(pickle.dumps(obj))
        obj.__setstate__(a)
        return copy.deepcopy(obj)
    if attr == "__init__":
        sub = subclass_of(case.target.cls)
        return (sub or type(obj))(a, b) if left else type(obj)(a)
    if attr == "__new__":
        cls = type(obj)
        o = cls.__new__(cls)
        return repr(o) if left else o
    if attr == "__buffer__":
        with memoryview(obj) as m:
            return bytes(m) if left else m.tolist()
    raise AssertionError(f"no slot driver for {attr}")


def execute(case):
    t = case.target
    if t.kind == "call":
        fn = targets.resolve(t)
        return fn(*case.args, **case.kwargs)
    obj = make_self(case)
    cls = targets.resolve_class(t.cls)
    if t.kind == "method":
        args = list(case.args)
        if t.attr == "__new__" and args and args[0] == "cls":
            args[0] = cls
        if t.attr == "__new__":
            return getattr(cls, "__new__")(*args, **case.kwargs)
        return getattr(cls, t.attr)(obj, *args, **case.kwargs)
    if t.kind == "property":
        if case.variant == "wrong":
            d = vars(cls)[t.attr]
            if case.op == "get":
                return d.__get__(obj, cls)
            return d.__set__(obj, case.args[0]) if case.op == "set" else d.__delete__(obj)
        if case.op == "get":
            return getattr(obj, t.attr)
        if case.op == "set":
            return setattr(obj, t.attr, case.args[0])
        return delattr(obj, t.attr)
    return run_slot(case, obj)


def follow_job(case, result):
    """A Job or async call: cancel it perhaps, then wait with a hostile timeout."""
    cancel, timeout = case.extra["job"]
    if cancel:
        result.cancel()
    try:
        result.result(timeout=timeout if timeout is not None or cancel else 2)
    except BaseException as e:          # its own error, a timeout, a cancellation
        if type(e).__name__ not in ("CancelledError",) and not isinstance(e, Exception):
            raise
    finally:
        if not result.done():
            result.cancel()
    return result


class Batch:
    def __init__(self):
        self.calls = self.excluded = 0
        self.findings = []
        self.per_target = {}
        self.exceptions = {}
        self.typeerror_unnamed = []

    def finding(self, case, kind, detail):
        if len(self.findings) < 200:
            self.findings.append({"index": case.index, "kind": kind, "case": case.text,
                                  "detail": detail[:500]})


def run_case(case, batch: Batch):
    batch.calls += 1
    batch.per_target[case.target.name] = batch.per_target.get(case.target.name, 0) + 1
    try:
        result = execute(case)
        if type(result).__name__ == "Job":
            follow_job(case, result)
        problem = checks.check_result(case, result)
        if problem:
            batch.finding(case, "wrong result", problem)
        repr_ok(result)
    except SystemError as e:
        batch.finding(case, "SystemError", repr(e))
    except Exception as e:
        name = type(e).__name__
        batch.exceptions[name] = batch.exceptions.get(name, 0) + 1
        problem = checks.check_exception(case, e)
        if problem and len(batch.typeerror_unnamed) < 50:
            batch.typeerror_unnamed.append({"case": case.text, "message": problem})
    except BaseException as e:  # KeyboardInterrupt, SystemExit, GeneratorExit: never expected
        batch.finding(case, "unexpected " + type(e).__name__, repr(e)[:300])
    try:
        if _pending():
            batch.finding(case, "exception left set", "PyErr_Occurred() after the case")
    except BaseException as e:  # ctypes raises the pending exception itself
        batch.finding(case, "exception left set", repr(e)[:300])


def repr_ok(result):
    """Touch what came back: a broken object shows here, not later."""
    if isinstance(result, (list, tuple)):
        for x in result[:50]:
            type(x).__name__
    elif isinstance(result, dict):
        for k in list(result)[:50]:
            hash(k)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--case-file")
    ap.add_argument("--out")
    ap.add_argument("--replay", type=int)
    ap.add_argument("--only")
    ap.add_argument("--no-exclusions", action="store_true")
    ap.add_argument("--canary", action="store_true", help="add a target that segfaults (tests the harness)")
    ap.add_argument("--list", action="store_true", help="print the targets and exit")
    opts = ap.parse_args(argv)
    sys.stdout.reconfigure(errors="backslashreplace")

    all_targets = targets.collect()
    if opts.list:
        for t in all_targets:
            print(t.kind, t.name, [(p.name, p.kind) for p in t.params])
        print(json.dumps(targets.summary(all_targets)))
        return 0
    if opts.only:
        all_targets = [t for t in all_targets if re.search(opts.only, t.name)]
    if opts.canary:
        all_targets.append(targets.Target("canary.segfault", "call", "ctypes",
                                          [targets.Param("x", "POSITIONAL_OR_KEYWORD", False)]))
    class_quals = sorted({t.cls for t in all_targets if t.cls} |
                         {t.name for t in all_targets if t.kind == "call" and t.name in targets.FACTORIES})
    enum_members = []
    for m in targets.fixture_names():
        for obj in vars(__import__(m)).values():
            if isinstance(obj, type) and hasattr(obj, "_member_map_"):
                enum_members.extend(obj)
    d = Draw(all_targets, class_quals or ["fx_classes.Counter"], enum_members)
    batch = Batch()
    case_fh = open(opts.case_file, "w", errors="backslashreplace") if opts.case_file else None
    counter = itertools.count()
    started = time.monotonic()

    @seed(opts.seed)
    @settings(max_examples=opts.count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=False, print_blob=False)
    @given(st.data())
    def one(data):
        index = next(counter)
        case = draw_case(data, index, d, all_targets)
        if opts.replay is not None and index != opts.replay:
            return
        if case_fh:
            case_fh.seek(0)
            case_fh.write(f"{opts.seed}\t{opts.count}\t{index}\t{case.text}\n")
            case_fh.truncate()
            case_fh.flush()
        if opts.replay is not None:
            print(f"case {index}: {case.text}", flush=True)
        if case.target.name == "canary.segfault":
            ctypes.string_at(0)           # a deliberate crash
        if not opts.no_exclusions and known_crashes.excluded(case):
            batch.excluded += 1
            return
        run_case(case, batch)
        if index % 256 == 255:
            gc.collect()

    one()
    gc.collect()
    summary = {"seed": opts.seed, "count": opts.count, "cases": next(counter), "calls": batch.calls,
               "excluded": batch.excluded, "findings": batch.findings, "per_target": batch.per_target,
               "exceptions": batch.exceptions, "typeerror_unnamed": batch.typeerror_unnamed,
               "seconds": round(time.monotonic() - started, 2)}
    if opts.out:
        Path(opts.out).write_text(json.dumps(summary))
    if opts.replay is not None:
        print(json.dumps({k: summary[k] for k in ("calls", "findings", "exceptions")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
