/// The one funnel from C error conventions to Swift errors.
///
/// (These throw untyped errors on purpose: with `throws(PythonException)`,
/// Swift 6.3 stops devirtualising and inlining the conversions that call
/// them, which doubled the cost of returning an Int.)
///
/// Every C API call that signals failure by a NULL result, a -1 status or a
/// sentinel value goes through one of these helpers; nothing else in the
/// runtime reads `PyErr_Occurred`.  On failure the pending Python exception
/// is taken out of the interpreter and thrown as a ``PythonException`` that
/// keeps its type, value and traceback.

/// Returns `result`, or throws the pending Python exception when it is NULL.
///
/// The result is a new reference when the wrapped C function returns one;
/// the caller owns it.
@inlinable @inline(__always)
func checkedNew(_ result: PyObjectPointer?) throws -> PyObjectPointer {
    guard let result else { throw PythonException.fetch() }
    return result
}

/// Throws the pending Python exception when `status` is -1 (or negative).
@inlinable @inline(__always)
func checkedStatus(_ status: Int32) throws {
    if status < 0 { throw PythonException.fetch() }
}

/// Returns `value`, or throws when it equals `sentinel` and an exception is
/// pending (C functions such as `PyLong_AsLongLong` return -1 both as a
/// value and as an error marker).
@inlinable @inline(__always)
func checkedValue<T: Equatable>(_ value: T, sentinel: T) throws -> T {
    if value == sentinel, PyErr_Occurred() != nil { throw PythonException.fetch() }
    return value
}

/// True when a Python exception is pending.  Used only where a C function
/// gives no other way to tell (documented at each call).
@inlinable @inline(__always)
func exceptionIsPending() -> Bool { PyErr_Occurred() != nil }
