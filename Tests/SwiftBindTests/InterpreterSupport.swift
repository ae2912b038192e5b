import SwiftBindEmbed

/// Every test runs against one embedded interpreter, started on first use.
/// The GIL is released after start-up; tests take it with `withGIL`.
enum TestInterpreter {
    static let started: Bool = {
        PythonInterpreter.start()
        return true
    }()

    static func ensure() { _ = started }
}
