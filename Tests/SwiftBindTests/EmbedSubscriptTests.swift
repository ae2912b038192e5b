import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// Subscripts get, set and delete; Swift ranges as slices.  Serialised:
/// the failing setter reports to sys.unraisablehook.
@Suite(.serialized) struct EmbedSubscriptTests {
    init() { TestInterpreter.ensure() }

    @Test func getSetDelete() throws {
        try withGIL { () throws in
            let d: PythonObject = ["a": 1]
            #expect(try Int(d["a"]) == 1)
            d["b"] = 2
            d["c"] = "three"
            #expect(d.map(\.description) == ["a", "b", "c"])
            let n: Int? = d["b"]
            #expect(n == 2)
            let missing: Int? = d["zzz"]
            #expect(missing == nil)
            try d.deleteItem("a")
            #expect(throws: PythonException.self) { try d["a"] }
            d["b"] = nil as Int?                     // nil deletes
            #expect(try d.count() == 1)
            let list: PythonObject = [10, 20, 30]
            list[-1] = 99
            #expect(try Int(list[2]) == 99)
            let e = try #require(throws: PythonException.self) { try list[7] }
            #expect(e.matches(.indexError))
        }
    }

    @Test func rangesAreSlices() throws {
        try withGIL { () throws in
            let xs = try Python.list(try Python.range(10))
            #expect(try xs[2..<5].description == "[2, 3, 4]")
            #expect(try xs[2...4].description == "[2, 3, 4]")
            #expect(try xs[7...].description == "[7, 8, 9]")
            #expect(try xs[..<2].description == "[0, 1]")
            #expect(try xs[...1].description == "[0, 1]")
            #expect(try xs.slice(nil, nil, step: -3).description == "[9, 6, 3, 0]")
            let text: PythonObject = "swiftbind"
            #expect(try String(text[5...]) == "bind")
            try xs.setItem(PythonSlice(start: 0, stop: 8), [PythonObject]())
            #expect(try xs.description == "[8, 9]")
        }
    }

    @Test func tupleKeysIndexNumPy() throws {
        try withGIL { () throws in
            let np = try Python.import("numpy")
            let m = try np.arange(6).reshape(2, 3)
            #expect(try Int(m[1, 2]) == 5)
        }
    }

    @Test func failingSetterIsReported() throws {
        let (_, reports) = try capturingUnraisable {
            let t = try Python.eval("(1, 2)")
            t[0] = 5
            let s = try Python.eval("'abc'")
            #expect(throws: PythonException.self) { try s.setItem(0, "x") }
        }
        #expect(reports == ["TypeError: 'tuple' object does not support item assignment"])
    }
}
