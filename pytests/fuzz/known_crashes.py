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
    # Empty: every crash the fuzzer found (Job.result timeouts, deep or cyclic
    # nesting, Parallel.chunk with 0 chunks, elements that empty their
    # container, and the fixtures' own unchecked arithmetic and indices) is
    # fixed, and `make test` proves it.  Add an entry only for a crash being
    # fixed elsewhere, with the reason, and remove it with the fix.
]


def excluded(case) -> str | None:
    """The reason ``case`` is excluded, or None."""
    for name, predicate, why in KNOWN:
        if (name == case.target.name or name == "*") and predicate(case):
            return why
    return None
