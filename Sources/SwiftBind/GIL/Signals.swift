/// Lets Python's signal handlers run now, from inside a long Swift call;
/// throws what they raise (`KeyboardInterrupt` for Ctrl-C).
///
/// Python runs signal handlers between bytecodes, so while a bound function
/// computes for a minute, Ctrl-C waits for it.  Call `checkSignals()` at
/// safe points of a long loop (every few milliseconds of work: the call is
/// cheap when no signal arrived) and let the error propagate: leaving the
/// bound function it becomes the Python exception again.
///
/// ```swift
/// m.def("crunch(n)") { (n: Int) throws -> Int in
///     var total = 0
///     for i in 0..<n {
///         if i % 100_000 == 0 { try checkSignals() }   // Ctrl-C stops here
///         total &+= i
///     }
///     return total
/// }
/// ```
///
/// Requires the GIL (a plain bound function has it; inside ``withoutGIL(_:)``
/// it is not allowed).  Python handles signals only in the main thread of the
/// main interpreter: elsewhere, for instance on a job's thread, this returns
/// at once.  A job sees Ctrl-C through cancellation instead: interrupting the
/// Python thread waiting in `job.result()` raises `KeyboardInterrupt` there,
/// and `job.cancel()` (or interpreter exit) raises ``JobContext/isCancelled``.
/// PyO3 calls it `Python::check_signals`.
///
/// - Throws: the exception a signal handler raised, as a ``PythonException``.
///
/// The corresponding C function is `PyErr_CheckSignals`.
public func checkSignals() throws {
    GIL.assertHeld("checkSignals()")
    try checkedStatus(PyErr_CheckSignals())
}
