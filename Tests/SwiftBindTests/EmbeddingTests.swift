import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// Embedding: a Swift program imports Python modules and calls them, from
/// any thread, with the GIL taken by `withGIL`.
@Suite struct EmbeddingTests {
    init() { TestInterpreter.ensure() }

    @Test func importAndCall() throws {
        let root = try withGIL { () throws -> Double in
            let math = try Python.import("math")
            return try Double(try math.sqrt(16.0))
        }
        #expect(root == 4.0)
    }

    @Test func keywordArguments() throws {
        let text = try withGIL { () throws -> String in
            let builtins = try Python.builtins
            // `builtins.sorted` is Sequence's sorted(): a Swift member wins
            // over a dynamic one, so the attribute is named explicitly.
            let sorted = try builtins.attribute("sorted").call([[3, 1, 2]], kwargs: ["reverse": true])
            return sorted.description
        }
        #expect(text == "[3, 2, 1]")
    }

    @Test func pythonExceptionsKeepTheirType() throws {
        try withGIL { () throws in
            let e = try #require(throws: PythonException.self) { try Python.eval("1/0") }
            #expect(e.matches(.zeroDivisionError))
            #expect(e.description.contains("division by zero"))
        }
    }

    @Test func execDefinesFunctions() throws {
        let result = try withGIL { () throws -> Int in
            let ns = try Python.exec("def twice(x):\n    return 2 * x\n")
            return try Int(try ns.item("twice").call([21]))
        }
        #expect(result == 42)
    }

    @Test func manyThreadsTakeTheGIL() async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try withGIL { try Int(try Python.eval("sum(range(\(i * 100)))")) }
                }
            }
            var total = 0
            for try await value in group { total += value }
            let expected = (0..<8).map { i in (0..<(i * 100)).reduce(0, +) }.reduce(0, +)
            #expect(total == expected)
        }
    }

    @Test func objectsReleasedWithoutTheGILAreDeferred() throws {
        // A PythonObject that dies on a thread without the GIL is parked and
        // released on the next withGIL instead of crashing.
        let (object, weak) = try withGIL { () throws -> (PythonObject, PythonObject) in
            let ns = try Python.exec("import weakref\nclass C: pass\nc = C()\nw = weakref.ref(c)\n")
            let c = try ns.item("c"), w = try ns.item("w")
            try ns.callMethod("clear")
            return (c, w)
        }
        nonisolated(unsafe) var holder: PythonObject? = object
        _ = consume object
        #expect(!GIL.isHeld)
        holder = nil          // the last reference dies here, without the GIL
        _ = holder
        // (Another test's withGIL may already have drained the queue, so the
        // queue's count is not checked here; the weak reference is.)
        let alive = try withGIL { () throws -> Bool in   // withGIL drains the queue
            !(try weak.call().isNone)
        }
        #expect(alive == false)
    }
}
