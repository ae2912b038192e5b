import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// Every test runs against one embedded interpreter, started on first use
/// on PythonActor's thread, with Python's signal handlers: that thread is
/// Python's main thread, so Ctrl-C (EmbedSignalTests) reaches code run on
/// the actor.  The GIL is released after start-up; tests take it with
/// `withGIL` or run on PythonActor.
enum TestInterpreter {
    static let started: Bool = {
        PythonActor.startInterpreter(handleSignals: true)
        return true
    }()

    static func ensure() { _ = started }
}

/// Runs `body` with the GIL held and `sys.unraisablehook` replaced by a
/// collector; returns body's result and the messages reported meanwhile
/// ("TypeName: text").  The GIL is held throughout, and only the suites
/// that test the non-throwing fallbacks (serialised) report unraisables.
func capturingUnraisable<T>(_ body: () throws -> T) throws -> (T, [String]) {
    try withGIL {
        let sys = try Python.import("sys")
        let previous = try sys.unraisablehook
        let ns = try Python.exec("""
        seen = []
        def hook(u):
            seen.append(f"{type(u.exc_value).__name__}: {u.exc_value}")
        """)
        try sys.setAttribute("unraisablehook", try ns["hook"])
        defer { try? sys.setAttribute("unraisablehook", previous) }
        let value = try body()
        let seen = try ns["seen"].elements().map { try String($0) }
        return (value, seen)
    }
}
