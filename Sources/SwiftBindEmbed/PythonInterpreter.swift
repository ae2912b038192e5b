@_exported import SwiftBind
import Synchronization

/// Starts and owns an embedded CPython interpreter in a Swift program.
///
/// ```swift
/// import SwiftBindEmbed
/// PythonInterpreter.start()
/// let answer = try withGIL { try Python.eval("6 * 7").description }
/// ```
///
/// After `start()` the calling thread does not hold the GIL; use
/// ``withGIL(_:)`` from any thread, or ``PythonActor`` from Swift
/// concurrency, to call Python.  The program must link libpython
/// (`swiftbind embed-flags` prints the flags; docs/embedding.md).
public enum PythonInterpreter {
    /// True once the interpreter runs.
    public static var isRunning: Bool { Py_IsInitialized() != 0 }

    /// Serialises start and finalize: test suites (and programs) may call
    /// `start()` from several threads at once.
    private static let lifecycle = Mutex<Void>(())

    /// Starts the interpreter if it is not running, then releases the GIL
    /// so any thread can take it with ``withGIL(_:)``.
    ///
    /// - Parameter handleSignals: install Python's signal handlers, so
    ///   Ctrl-C (SIGINT) raises `KeyboardInterrupt` in the Python code
    ///   running then, which Swift receives as a ``PythonException``
    ///   matching `.keyboardInterrupt`.  Python runs signal handlers only in
    ///   its main thread: the thread that calls `start` (use
    ///   ``PythonActor/startInterpreter(handleSignals:)`` to make the
    ///   actor's thread that thread).  With `false` (the default) the
    ///   host program keeps its own handlers.
    ///
    /// The corresponding C functions are `Py_InitializeEx` and
    /// `PyEval_SaveThread`.
    /// Safe to call from several threads at once: one starts the
    /// interpreter, the others return when it runs.
    public static func start(handleSignals: Bool = false) {
        lifecycle.withLock { _ in
            guard Py_IsInitialized() == 0 else { return }
            Py_InitializeEx(handleSignals ? 1 : 0)
            _ = PyEval_SaveThread()
        }
    }

    /// Finalises the interpreter: runs `atexit` functions, flushes
    /// `sys.stdout`, frees Python's objects.  Call it once, at the end.
    ///
    /// What is safe: call it from any thread that does not hold the GIL,
    /// after every other thread and task has stopped calling Python and
    /// after the program's own `PythonObject`s are gone (one that dies
    /// later is parked, never released: no crash, no use after free).  No
    /// Python call may follow: `withGIL` after `finalize()` is undefined
    /// behaviour in CPython, and this API cannot restart the interpreter in
    /// the same process (extension modules such as NumPy do not support
    /// it).  Does nothing when the interpreter is not running.
    ///
    /// - Returns: false when flushing buffered output failed
    ///   (`Py_FinalizeEx` returned -1).
    ///
    /// The corresponding C functions are `PyGILState_Ensure` and
    /// `Py_FinalizeEx`.
    @discardableResult
    public static func finalize() -> Bool {
        lifecycle.withLock { _ in
            guard Py_IsInitialized() != 0 else { return true }
            withGIL {}   // releases what objects that died without the GIL parked
            _ = PyGILState_Ensure()
            #if !SWIFTBIND_NO_BUFFER_API
            NumPyCache.reset()
            #endif
            return Py_FinalizeEx() == 0
        }
    }
}
