import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// Equatable, Comparable and Hashable, with the documented fallbacks when
/// Python raises, and their throwing twins.  Serialised: the fallbacks
/// report to sys.unraisablehook, which the tests replace.
@Suite(.serialized) struct EmbedComparisonTests {
    init() { TestInterpreter.ensure() }

    @Test func equalityAndOrder() throws {
        try withGIL { () throws in
            let one: PythonObject = 1, oneFloat: PythonObject = 1.0, two: PythonObject = 2
            #expect(one == oneFloat)                 // Python's ==, not identity
            #expect(one != two)
            #expect(one < two && two > one && one <= oneFloat && two >= one)
            #expect(try one.equals(oneFloat))
            #expect(try one.isLess(than: two))
            #expect(try !two.compare(.lessEqual, one))
            let words = try Python.eval("['pear', 'apple', 'fig']")
            #expect(words.sorted().map(\.description) == ["apple", "fig", "pear"])
        }
    }

    @Test func hashMatchesPython() throws {
        try withGIL { () throws in
            let a: PythonObject = "key", b = try Python.eval("'ke' + 'y'")
            #expect(try a.pythonHash() == b.pythonHash())
            #expect(try a.pythonHash() == Int(Python.hash(a)))
            let set: Set<PythonObject> = [a, b, 1, 1.0, true]
            #expect(set.count == 2)                  // "key", and 1 == 1.0 == True
            var d: [PythonObject: Int] = [:]
            d[a] = 5
            #expect(d[b] == 5)
        }
    }

    @Test func unhashableHashesAConstant() throws {
        let (result, reports) = try capturingUnraisable { () throws -> (Int, Bool) in
            let l1 = try Python.eval("[1]"), l2 = try Python.eval("[1]")
            let e = try #require(throws: PythonException.self) { try l1.pythonHash() }
            #expect(e.matches(.typeError))
            let set: Set<PythonObject> = [l1, l2]    // no trap; equal lists collapse
            return (set.count, l1.hashValue == l2.hashValue)
        }
        #expect(result.0 == 1)
        #expect(result.1)
        #expect(reports.isEmpty)
    }

    @Test func raisingComparisonIsFalseAndReported() throws {
        let (results, reports) = try capturingUnraisable { () throws -> [Bool] in
            let ns = try Python.exec("""
            class Bad:
                def __eq__(self, other): raise ValueError("no eq")
                def __lt__(self, other): raise ValueError("no lt")
            bad = Bad()
            """)
            let bad = try ns["bad"], other: PythonObject = 1
            let thrown = try #require(throws: PythonException.self) { try bad.equals(other) }
            #expect(thrown.description == "ValueError: no eq")
            let none: PythonObject = nil
            #expect(throws: PythonException.self) { try other.isLess(than: none) }
            return [bad == other, bad < other, other < none]
        }
        #expect(results == [false, false, false])
        #expect(reports == ["ValueError: no eq", "ValueError: no lt",
                            "TypeError: '<' not supported between instances of 'int' and 'NoneType'"])
    }
}
