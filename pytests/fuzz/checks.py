"""What a case must satisfy besides not crashing: results of the declared
type (and, for plain inputs to the conversion fixture, the right value), and
TypeError messages that name the parameter."""
from __future__ import annotations

import math
import re

_INT_RANGES = {
    "int_": (-2**63, 2**63 - 1), "int8": (-2**7, 2**7 - 1), "int16": (-2**15, 2**15 - 1),
    "int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1), "uint": (0, 2**64 - 1),
    "uint8": (0, 2**8 - 1), "uint16": (0, 2**16 - 1), "uint32": (0, 2**32 - 1), "uint64": (0, 2**64 - 1),
}

# Result types of functions whose Swift signature fixes them.
RESULT_TYPES = {
    "fx_conversions.bool_": bool, "fx_conversions.double": float, "fx_conversions.float32": float,
    "fx_conversions.string": str, "fx_conversions.list_int": list, "fx_conversions.list_double": list,
    "fx_conversions.list_str": list, "fx_conversions.sum_list": int, "fx_conversions.make_list": list,
    "fx_conversions.nested": list, "fx_conversions.dict_": dict, "fx_conversions.set_": (set, frozenset),
    "fx_conversions.tuple_": tuple, "fx_conversions.swap": tuple, "fx_conversions.point": tuple,
    "fx_conversions.shift": tuple, "fx_conversions.type_name": str, "fx_conversions.string_info": tuple,
    "fx_functions.add": int, "fx_functions.scale": float, "fx_functions.kw": int, "fx_functions.greet": str,
    "fx_functions.posonly": list, "fx_functions.varargs": int, "fx_functions.varkw": tuple,
    "fx_functions.passthrough": tuple, "fx_functions.nodoc": int, "fx_errors.parse": int,
    "fx_errors.checked_div": int, "fx_errors.checked_add": int, "fx_state.bump": int,
    "fx_state.counter": int, "fx_state.get": int, "fx_gil.checksum": int, "fx_gil.gil_held": bool,
    "fx_parallel.sum_squares": int, "fx_parallel.square_roots": list, "fx_buffers.byte_count": int,
    "fx_buffers.sum_f64": float, "fx_buffers.strided_sum": float, "fx_buffers.xor_bytes": bytes,
    "fx_classes.total": int, "fx_classes.same": bool, "fx_bank.Account.fee": int,
    "fx_classes.Counter.twice": int, "fx_classes.Counter.bump": int, "fx_classes.Point.norm2": float,
}
for _n in _INT_RANGES:
    RESULT_TYPES[f"fx_conversions.{_n}"] = int
RESULT_TYPES["fx_conversions.optional_int"] = (int, type(None))


def check_result(case, result):
    """A description of what is wrong with ``result``, or None."""
    t = case.target
    want = RESULT_TYPES.get(t.name)
    if want is not None and not isinstance(result, want):
        return f"{t.name} returned {type(result).__name__}, expected {want}"
    if t.kind == "call" and t.cls is None and isinstance(_callable(t), type) and t.attr is None:
        cls = _callable(t)
        if not isinstance(result, cls) and not hasattr(cls, "_member_map_") and not issubclass(cls, BaseException):
            return f"{t.name}(...) returned {type(result).__name__}"
    name = t.name.split(".", 1)[1] if "." in t.name else t.name
    if t.module == "fx_conversions" and name in _INT_RANGES and case.args and not case.kwargs:
        x = case.args[0]
        if type(x) is int and len(case.args) == 1:
            lo, hi = _INT_RANGES[name]
            if not (lo <= x <= hi) or result != x:
                return f"{name}({x}) returned {result!r}"
    if t.name == "fx_conversions.double" and len(case.args) == 1 and type(case.args[0]) is float:
        x = case.args[0]
        if not (result == x or math.isnan(x) and math.isnan(result)):
            return f"double({x!r}) returned {result!r}"
    return None


def _callable(t):
    from fuzz import targets
    try:
        return targets.resolve(t)
    except AttributeError:
        return None


_MUST_BE = re.compile(r"must be .+, not ")
_NAMED = re.compile(r"argument '([^']*)'")


def check_exception(case, e):
    """For an argument-conversion TypeError ('must be X, not Y'): the
    message should name a parameter of the target.  Returns the message when
    it does not (reported, not failed: the check is heuristic)."""
    if not isinstance(e, TypeError):
        return None
    try:
        msg = str(e)
    except Exception as inner:  # noqa: BLE001 - a message that cannot be read is itself a report
        return f"str(TypeError) raised {type(inner).__name__}"
    if not _MUST_BE.search(msg):
        return None
    names = {p.name for p in case.target.params}
    m = _NAMED.search(msg)
    if m is None:
        return msg[:200] if case.target.kind in ("call", "method") and names else None
    if names and m.group(1) not in names and not m.group(1).isdigit():
        return msg[:200]
    return None
