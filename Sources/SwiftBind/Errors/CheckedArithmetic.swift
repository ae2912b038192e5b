/// The value of a Swift `…ReportingOverflow` operation, or an
/// OverflowError: checked integer arithmetic for bound functions, whose
/// arguments come from Python ints of any size.
///
/// Swift's `+`, `-` and `*` trap on overflow, which kills the interpreter;
/// `&+` wraps silently to a wrong number.  Write instead:
///
/// ```swift
/// m.def("add(a, b)") { (a: Int, b: Int) in try checked(a.addingReportingOverflow(b)) }
/// // add(2**62, 2**62) raises OverflowError: add() result does not fit in Int
/// ```
///
/// - Parameter what: names the value in the message (default "result").
/// - Throws: ``PythonException`` (OverflowError) when `result.overflow`.
@inlinable
public func checked<T: FixedWidthInteger>(_ result: (partialValue: T, overflow: Bool),
                                          _ what: @autoclosure () -> String = "result") throws -> T {
    if _slowPath(result.overflow) { throw overflowError(what(), T.self) }
    return result.partialValue
}

@usableFromInline @inline(never)
func overflowError<T>(_ what: String, _ type: T.Type) -> PythonException {
    PythonException(.overflowError, "\(what) does not fit in \(T.self)")
}
