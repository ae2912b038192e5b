import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// `try obj.with { }`: `__enter__` and `__exit__`, as Python's `with`.
@Suite struct EmbedContextTests {
    init() { TestInterpreter.ensure() }

    static let manager = """
    log = []
    class Manager:
        def __init__(self, suppress=False): self.suppress = suppress
        def __enter__(self):
            log.append("enter")
            return "resource"
        def __exit__(self, t, v, tb):
            log.append(("exit", None if t is None else t.__name__, str(v) if v else None, tb is not None))
            return self.suppress
    """

    @Test func normalExit() throws {
        try withGIL { () throws in
            let ns = try Python.exec(Self.manager)
            let got = try ns["Manager"].call().with { value in try String(value) }
            #expect(got == "resource")
            #expect(try ns["log"].debugDescription == "['enter', ('exit', None, None, False)]")
        }
    }

    @Test func errorReachesExitAndPropagates() throws {
        try withGIL { () throws in
            let ns = try Python.exec(Self.manager)
            let e = try #require(throws: PythonException.self) {
                try ns["Manager"].call().with { _ in try Python.eval("1/0") }
            }
            #expect(e.matches(.zeroDivisionError))
            #expect(try ns["log"].debugDescription == "['enter', ('exit', 'ZeroDivisionError', 'division by zero', True)]")
        }
    }

    @Test func swiftErrorAndSuppression() throws {
        try withGIL { () throws in
            struct Stop: Error {}
            let ns = try Python.exec(Self.manager)
            let result = try ns["Manager"].call(with: true).with { _ -> Int in throw Stop() }
            #expect(result == nil)                    // suppressed by __exit__
            #expect(try ns["log"][1][1].description == "RuntimeError")
            #expect(throws: Stop.self) {
                try ns["Manager"].call(with: false).with { _ -> Int in throw Stop() }
            }
        }
    }

    @Test func realFile() throws {
        try withGIL { () throws in
            let tempfile = try Python.import("tempfile")
            let text = try tempfile.TemporaryFile(mode: "w+").with { f -> String in
                _ = try f.write("line")
                _ = try f.seek(0)
                return try String(f.read())
            }
            #expect(text == "line")
        }
    }
}
