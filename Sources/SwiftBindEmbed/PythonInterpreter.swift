@_exported import SwiftBind

/// Starts and owns an embedded CPython interpreter in a Swift program.
///
/// ```swift
/// import SwiftBindEmbed
/// PythonInterpreter.start()
/// let answer = try withGIL { try Python.eval("6 * 7").description }
/// ```
///
/// After `start()` the calling thread does not hold the GIL; use
/// ``withGIL(_:)`` from any thread to call Python.  The program must link
/// libpython (the build passes `-lpython3.X`).
public enum PythonInterpreter {
    /// True once the interpreter runs.
    public static var isRunning: Bool { Py_IsInitialized() != 0 }

    /// Starts the interpreter if it is not running, then releases the GIL
    /// so any thread can take it with ``withGIL(_:)``.  Signal handlers are
    /// left to the host program.
    ///
    /// The corresponding C functions are `Py_InitializeEx` and
    /// `PyEval_SaveThread`.
    public static func start() {
        guard Py_IsInitialized() == 0 else { return }
        Py_InitializeEx(0)
        _ = PyEval_SaveThread()
    }
}
