/// What a swiftbind module prints when Swift code traps.
///
/// A Swift runtime check that fails (integer overflow, an index out of
/// range, a nil force-unwrapped, a failed `precondition`, `fatalError`)
/// stops the process with SIGILL (SIGTRAP on arm64).  Swift cannot catch
/// it, and a release build prints nothing of its own for most checks, so
/// a Python user would see the interpreter vanish.  This handler writes,
/// before the process dies, which module and which bound function was
/// running (`sb_current_call`, kept by every call through a
/// `FunctionRecord`), and the Python traceback of the trapping thread
/// (CPython's own dumper, as faulthandler uses).  Then it gives the signal
/// back to whoever had it (faulthandler, a debugger, or the default
/// action), so the process still dies with the same signal.
///
/// Traps are not turned into Python exceptions: unwinding out of Swift code
/// that trapped would skip its cleanups (PyO3 can do it for panics because
/// Rust unwinds; Swift does not).  The runtime's own APIs never trap on
/// values from Python; this report is for user code.
///
/// Set `SWIFTBIND_TRAP_REPORT=0` to leave the signals alone.
enum TrapReport {
    // SAFETY: written once, under the GIL, before the handler is installed;
    // the handler only reads them.
    nonisolated(unsafe) static var installed = false
    nonisolated(unsafe) static var previousIllegal = sigaction()
    nonisolated(unsafe) static var previousTrap = sigaction()
    nonisolated(unsafe) static var dumpTraceback: sb_dump_traceback_fn? = nil
    /// `faulthandler.dump_traceback`, where CPython does not export its C
    /// dumper (3.9, 3.10, 3.13 do not; 3.11 and 3.12 do).  Owned, never freed.
    nonisolated(unsafe) static var faulthandlerDump: PyObjectPointer? = nil

    /// Installs the handler for SIGILL and SIGTRAP, once per process.
    /// Requires the GIL.
    static func installOnce() {
        guard !installed else { return }
        installed = true
        if let setting = getenv("SWIFTBIND_TRAP_REPORT"), String(cString: setting) == "0" { return }
        dumpTraceback = sb_find_dump_traceback()
        if dumpTraceback == nil, let module = PyImport_ImportModule("faulthandler") {
            faulthandlerDump = PyObject_GetAttrString(module, "dump_traceback")
            sb_decref(module)
        }
        PyErr_Clear()
        _ = sb_install_signal_handler(sb_sigill(), trapHandler, &previousIllegal)
        _ = sb_install_signal_handler(sb_sigtrap(), trapHandler, &previousTrap)
    }
}

@inline(__always)
private func write(_ text: StaticString) {
    sb_write_stderr(UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self))
}

/// The signal handler.  Only async-signal-tolerant work: write(2) of
/// static and prepared C strings, and CPython's traceback dumper (which
/// faulthandler calls from its own handler).
private let trapHandler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { signal, info, _ in
    var previous = signal == sb_sigill() ? TrapReport.previousIllegal : TrapReport.previousTrap
    // Each extension module has its own runtime and handler, chained; only
    // the one whose library trapped reports (its current call is the one
    // that was running).  Others pass the signal down the chain.
    guard sb_siginfo_is_fault(info) != 0, sb_address_in_this_library(sb_siginfo_address(info)) != 0 else {
        passOn(signal, info, &previous)
        return
    }
    write("\nswiftbind: fatal: Swift code trapped (")
    write(signal == sb_sigill() ? "SIGILL" : "SIGTRAP")
    write(") ")
    if let name = sb_current_call_name() {
        // The name is the GIL holder's call: this thread's when it holds the GIL.
        write(sb_thread_has_gil() != 0 ? "in " : "in code running without the GIL (last bound function entered: ")
        sb_write_stderr(name)
        write(sb_thread_has_gil() != 0 ? "\n" : ")\n")
    } else {
        write("outside a bound function call (a job, a task, a callback or the module's import)\n")
    }
    write("  A Swift runtime check failed: integer overflow, an index out of range, a nil unwrapped,\n")
    write("  a precondition or fatalError (Swift prints the message above this report when it has one).\n")
    write("  `swiftbind develop --debug` builds with the messages and line numbers; docs/errors.md says more.\n")
    // Always, even when faulthandler will print it again: the handler we
    // pass the signal to may be Swift's backtracer, which knows no Python.
    if let dump = TrapReport.dumpTraceback, let state = PyGILState_GetThisThreadState() {
        dump(2, state)   // "Stack (most recent call first):" and the frames
    } else if let dump = TrapReport.faulthandlerDump, sb_thread_has_gil() != 0 {
        // Python code from a signal handler: acceptable only because the
        // process is about to die, and only with the GIL held.
        if let result = PyObject_CallNoArgs(dump) { sb_decref(result) } else { PyErr_Clear() }
    }
    // Give the signal back: faulthandler (which prints the traceback
    // itself), a debugger, or the default action, which ends the process.
    passOn(signal, info, &previous)
}

/// Reinstates the handler that was there before ours and lets it have the
/// signal: a trapping instruction runs again on return (and so reaches it
/// with its own siginfo); a sent signal is sent again.
private func passOn(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ previous: inout sigaction) {
    _ = sb_restore_signal_handler(signal, &previous)
    if sb_siginfo_is_fault(info) == 0 { raise(signal) }
}
