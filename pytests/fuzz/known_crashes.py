"""Cases that crash the runtime today and are being fixed elsewhere.

Each entry: (target name, predicate on the case, what crashes).  A matching
case is written down and counted as ``excluded`` but not run.  Keep this
list SHORT and specific, and empty it as the fixes land: the lead removes an
entry when its fix merges, and `make test` then proves the fix.
"""
from __future__ import annotations

def _huge(t):
    return isinstance(t, (int, float)) and not isinstance(t, bool) and (t != t or abs(t) > 1e9)


def _huge_timeout(case):
    """Job.result(timeout) called directly, or on the Job a case returned."""
    if case.target.name == "swiftbind.Job.result":
        return any(_huge(v) for v in [*case.args, *case.kwargs.values()])
    return case.target.module == "fx_jobs" and _huge(case.extra["job"][1])


def _any_arg(pred):
    return lambda case: any(pred(v) for v in [*case.args, *case.kwargs.values()])


def _cyclic_or_deep(v, depth=0):
    if type(v) not in (list, tuple, dict) or depth > 200:
        return depth > 200
    items = v.values() if isinstance(v, dict) else v
    return any(x is v or _cyclic_or_deep(x, depth + 1) for x in items)


def _evil_clear(case):
    """A list element whose __index__/__float__ empties the list (freeing itself)."""
    from fuzz.values import Evil

    def walk(v, depth=0):
        if type(v) is dict:
            return any(walk(x, depth + 1) for x in v.values())
        if type(v) not in (list, tuple) or depth > 5:
            return False
        return any(isinstance(x, Evil) and x.kind == "clear" or walk(x, depth + 1) for x in v)
    return any(walk(v) for v in [*case.args, *case.kwargs.values()])


def _big_int_arg(case):
    return any(type(v) is int and abs(v) >= 2**61 for v in [*case.args, *case.kwargs.values()])


# Fixture functions whose own Swift arithmetic traps on Int overflow (a + b ...).
_FIXTURE_ARITHMETIC = {"fx_functions.add", "fx_functions.kw", "fx_functions.varargs", "fx_functions.varkw",
                       "fx_classes.Counter.twice", "fx_classes.Counter.bump", "fx_bank.Account.deposit",
                       "fx_pickle.Account.deposit", "fx_state.bump", "fx_jobs.add_async"}

KNOWN: list = [
    # runtime: Job.result(timeout=inf or > ~1e9 s) traps converting the timeout
    ("*", _huge_timeout, "Job.result(timeout=huge)"),
    # runtime: nested-list conversion recurses without a depth limit (a list
    # that contains itself, or 30,000 levels) and overflows the C stack
    ("*", _any_arg(_cyclic_or_deep), "deep or cyclic nesting"),
    # runtime: Parallel.chunk(_, of: 0, in:) divides by zero
    ("fx_parallel.chunk", lambda c: True, "Parallel.chunk with 0 chunks"),
    # runtime: an element whose __index__ or __float__ empties its list is
    # freed while the conversion still uses it (OverflowError message, NDArray copy)
    ("*", _evil_clear, "element that empties its container"),
    # fixture bugs (Swift traps in the fixture's own code, not the runtime):
    # kept[i], history[i] index without a check
    ("fx_classes.kept", lambda c: True, "fixture: kept[i] unchecked"),
    ("fx_bank.Account.__getitem__", lambda c: True, "fixture: history[i] unchecked"),
    ("fx_bank.Account.__getitem__ (slot)", lambda c: True, "fixture: history[i] unchecked"),
    *[(name, _big_int_arg, "fixture: Int arithmetic overflows") for name in _FIXTURE_ARITHMETIC],
]


def excluded(case) -> str | None:
    """The reason ``case`` is excluded, or None."""
    for name, predicate, why in KNOWN:
        if (name == case.target.name or name == "*") and predicate(case):
            return why
    return None
