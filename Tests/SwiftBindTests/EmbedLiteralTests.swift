import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// Swift literals as Python objects.  Serialised: a dictionary literal
/// with an unhashable key reports to sys.unraisablehook.
@Suite(.serialized) struct EmbedLiteralTests {
    init() { TestInterpreter.ensure() }

    @Test func scalarLiterals() throws {
        try withGIL { () throws in
            let i: PythonObject = 42, f: PythonObject = 2.5, b: PythonObject = true
            let s: PythonObject = "héllo 🐍", n: PythonObject = nil
            #expect(i.pythonTypeName == "int" && f.pythonTypeName == "float" && b.pythonTypeName == "bool")
            #expect(try Int(i) == 42)
            #expect(try Double(f) == 2.5)
            #expect(try Bool(b) == true)
            #expect(try String(s) == "héllo 🐍")
            #expect(n.isNone)
        }
    }

    @Test func arrayAndDictionaryLiterals() throws {
        try withGIL { () throws in
            let xs: PythonObject = [1, "a", 2.5, nil, [true]]
            #expect(xs.debugDescription == "[1, 'a', 2.5, None, [True]]")
            // Literal order, not hash order, for many keys.
            let d: PythonObject = ["z": 1, "y": 2, "x": 3, "w": 4, "v": 5, "u": 6, "t": 7]
            #expect(try Python.list(d).debugDescription == "['z', 'y', 'x', 'w', 'v', 'u', 't']")
            let dup: PythonObject = ["k": 1, "k": 2]
            #expect(dup.debugDescription == "{'k': 2}")
            let built = try PythonObject.dict(["b": 1, "a": "x"])
            #expect(built.debugDescription == "{'b': 1, 'a': 'x'}")
            #expect(try PythonObject.tuple([1, 2]).debugDescription == "(1, 2)")
        }
    }

    @Test func unhashableKeyIsLeftOutAndReported() throws {
        let (text, reports) = try capturingUnraisable { () throws -> String in
            let bad: PythonObject = [[1]: "list key", "ok": 1]
            let e = try #require(throws: PythonException.self) { try PythonObject.dict([([1], 2)]) }
            #expect(e.matches(.typeError))
            return bad.debugDescription
        }
        #expect(text == "{'ok': 1}")
        #expect(reports == ["TypeError: unhashable type: 'list'"])
    }
}
