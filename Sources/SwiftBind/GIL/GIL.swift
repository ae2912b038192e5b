/// The global interpreter lock, as the runtime sees it.
///
/// Code that touches Python objects runs with the GIL held.  Inside a call
/// from Python (every function declared with `def`) it is held already.
/// ``withoutGIL(_:)`` gives it up for a block of pure Swift work, and
/// ``withGIL(_:)`` takes it from any thread.
///
/// Compile-time part: ``PythonObject`` and ``BorrowedObject`` are not
/// `Sendable`, and the closure given to ``withoutGIL(_:)`` is `@Sendable`,
/// so Swift 6 refuses to capture a Python object in it.  Run-time part: in
/// debug builds every reference-count change asserts that the GIL is held.
public enum GIL {
    /// True when the current thread holds the GIL (has an attached thread
    /// state).  Right on any thread, in subinterpreters and during
    /// finalisation, where `PyGILState_Check` answers yes on every thread.
    ///
    /// The corresponding C function is `PyThreadState_GetUnchecked`.
    @inlinable
    public static var isHeld: Bool { sb_thread_has_gil() != 0 }

    /// Stops a debug build when the current thread does not hold the GIL.
    @inlinable @inline(__always)
    public static func assertHeld(_ what: @autoclosure () -> String = "this call",
                                  file: StaticString = #fileID, line: UInt = #line) {
        assert(sb_thread_has_gil() != 0,
               "swiftbind: \(what()) needs the GIL; call it inside withGIL { } or outside withoutGIL { }",
               file: file, line: line)
    }
}

/// Runs `body` with the GIL released, so other Python threads run meanwhile.
///
/// `body` cannot capture Python objects (they are not `Sendable`) and must
/// not call into Python; debug builds assert this.  Errors thrown by `body`
/// propagate after the GIL is taken back.  Retaking the GIL releases what
/// was parked meanwhile (a ``SendablePythonObject`` dropped inside `body`,
/// see ``withGIL(_:)``): one atomic load when nothing was.
///
/// ```swift
/// m.def("checksum(data)") { (data: [UInt8]) in
///     withoutGIL { data.reduce(0) { $0 &+ Int($1) } }
/// }
/// ```
///
/// The corresponding C functions are `PyEval_SaveThread` and
/// `PyEval_RestoreThread`.
@inlinable
public func withoutGIL<T: Sendable, E: Error>(_ body: @Sendable () throws(E) -> T) throws(E) -> T {
    GIL.assertHeld("withoutGIL")
    // Other threads may enter bound functions while the GIL is free; the
    // current call (for TrapReport) is this thread's again once it is back.
    let call = sb_current_call_name()
    let state = PyEval_SaveThread()
    defer {
        PyEval_RestoreThread(state)
        sb_set_current_call(call)
        PendingReleases.drainIfNeeded()
    }
    return try body()
}

/// Runs `body` with the GIL held, from any thread.
///
/// Safe to nest and to call on a thread that already holds the GIL.  Use it
/// in Swift threads and tasks that call back into Python.  Taking the GIL
/// first releases the Python references parked by objects that died on
/// threads without it (``PendingReleases``).
///
/// The corresponding C functions are `PyGILState_Ensure` and
/// `PyGILState_Release`.
@inlinable
public func withGIL<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    let state = PyGILState_Ensure()
    defer { PyGILState_Release(state) }
    PendingReleases.drainIfNeeded()
    return try body()
}
