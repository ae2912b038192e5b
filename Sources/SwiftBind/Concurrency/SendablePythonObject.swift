/// A Python object that may cross threads: it can be held anywhere, and
/// used only with the GIL, which its methods take.
///
/// ``PythonObject`` is not `Sendable`, so the compiler stops it from going
/// into a job, a `Task` or a ``parallelFor(_:chunks:_:)`` body.  Take a
/// `SendablePythonObject` parameter instead (for example a callback), and
/// call it from any thread:
///
/// ```swift
/// m.job("count_to(n, report)") { (n: Int, report: SendablePythonObject, job: JobContext) in
///     for i in 0..<n { try report.call(i) }     // takes the GIL for each call
///     return n
/// }
/// ```
///
/// A Python exception raised by the callee is thrown as a ``PythonException``
/// that keeps its traceback; when it ends a job it is what `job.result()`
/// raises.  Dropping the last reference without the GIL defers the release
/// (see ``withGIL(_:)``).  PyO3 calls the same idea `Py<T>`.
public struct SendablePythonObject: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `object` is only touched inside withGIL
    // (every member below); its release without the GIL is deferred by
    // PythonObject's deinit.
    @usableFromInline let object: PythonObject

    /// Wraps `object`.  Requires the GIL.
    public init(_ object: PythonObject) { self.object = object }

    /// Runs `body` with the GIL held and the object in hand.
    ///
    /// The corresponding C function is `PyGILState_Ensure`.
    @inlinable
    public func withObject<T>(_ body: (PythonObject) throws -> T) throws -> T {
        try withGIL { try body(object) }
    }

    /// Calls the object with the GIL held and discards the result.
    public func call(_ args: any ToPython...) throws {
        try withGIL { _ = try object.call(args) }
    }

    /// Calls the object with the GIL held and converts the result.
    public func call<R: FromPython>(returning type: R.Type, _ args: any ToPython...) throws -> R {
        try withGIL { try R.convert(try object.call(args), what: "callback result") }
    }
}

extension SendablePythonObject: FromPython, ToPython {
    public static var pythonTypeName: String { "object" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> SendablePythonObject {
        SendablePythonObject(object.owned())
    }

    /// A new reference to the object.  Requires the GIL.
    @inlinable
    public func toPython() throws -> NewReference { object.newReference() }
}
