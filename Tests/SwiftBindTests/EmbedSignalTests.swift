import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SwiftBind
import SwiftBindEmbed

/// Ctrl-C reaches Python code run from Swift: the test interpreter was
/// started on PythonActor's thread with Python's signal handlers
/// (InterpreterSupport.swift), so SIGINT raises KeyboardInterrupt there.
@Suite struct EmbedSignalTests {
    init() { TestInterpreter.ensure() }

    @Test func sigintRaisesKeyboardInterrupt() async throws {
        let caught = try await PythonActor.run { () throws -> String in
            do {
                _ = try Python.exec("""
                import os, signal
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(10_000_000):
                    pass
                """)
                return "not interrupted"
            } catch let e as PythonException {
                return e.matches(.keyboardInterrupt) ? "KeyboardInterrupt" : e.description
            }
        }
        #expect(caught == "KeyboardInterrupt")
        // The interpreter keeps working afterwards.
        #expect(try await PythonActor.run { try Int(Python.eval("1 + 1")) } == 2)
    }

    @Test func checkSignalsSeesCtrlCInSwiftLoops() async throws {
        let caught = try await PythonActor.run { () throws -> Bool in
            // Sent from Swift: no Python code runs to notice it, until
            // the Swift loop calls checkSignals().
            kill(getpid(), SIGINT)
            do {
                for _ in 0..<1_000_000 { try checkSignals() }
                return false
            } catch let e as PythonException {
                return e.matches(.keyboardInterrupt)
            }
        }
        #expect(caught)
    }
}
