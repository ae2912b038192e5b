import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// `for x in object`, Sequence algorithms, and the throwing iterator.
/// Serialised: the fallback reports to sys.unraisablehook.
@Suite(.serialized) struct EmbedSequenceTests {
    init() { TestInterpreter.ensure() }

    @Test func forInAndAlgorithms() throws {
        try withGIL { () throws in
            var total = 0
            for x in try Python.range(5) { total += try Int(x) }
            #expect(total == 10)
            let squares = try Python.eval("(i * i for i in range(4))").map { try Int($0) }
            #expect(squares == [0, 1, 4, 9])
            let d: PythonObject = ["b": 1, "a": 2]
            #expect(d.map(\.description) == ["b", "a"])      // a dict iterates its keys
            #expect(try Python.eval("{3, 1, 2}").sorted().map { try Int($0) } == [1, 2, 3])
            #expect(try Python.eval("'héllo'").map(\.description).joined() == "héllo")
        }
    }

    @Test func checkedIteratorThrows() throws {
        try withGIL { () throws in
            let ns = try Python.exec("""
            def gen():
                yield 1
                raise KeyError("boom")
            """)
            var it = try ns["gen"].call().checkedIterator()
            #expect(try Int(#require(try it.next())) == 1)
            let e = try #require(throws: PythonException.self) { try it.next() }
            #expect(e.matches(.keyError))
            let e2 = try #require(throws: PythonException.self) { try PythonObject(5).checkedIterator() }
            #expect(e2.matches(.typeError))
            #expect(try Python.eval("[1, 2]").elements().count == 2)
        }
    }

    @Test func iterationErrorEndsTheLoopAndIsReported() throws {
        let (items, reports) = try capturingUnraisable { () throws -> [Int] in
            let ns = try Python.exec("""
            def gen():
                yield 1
                yield 2
                raise KeyError("boom")
            """)
            var seen: [Int] = []
            for x in try ns["gen"].call() { seen.append(try Int(x)) }
            for _ in PythonObject(5) { seen.append(-1) }   // not iterable: no items
            return seen
        }
        #expect(items == [1, 2])
        #expect(reports == ["KeyError: 'boom'", "TypeError: 'int' object is not iterable"])
    }
}

extension PythonObject {
    /// A test helper: an int object.
    convenience init(_ value: Int) throws { self.init(owning: try value.toPython().take()) }
}
