import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// Dynamic members (get and set), keyword calls with member syntax,
/// keyword lists built at run time, builtins, version, checked imports,
/// and the specialised fast calls.  Serialised: a refused attribute
/// assignment reports to sys.unraisablehook.
@Suite(.serialized) struct EmbedMemberTests {
    init() { TestInterpreter.ensure() }

    @Test func memberGetSetDelete() throws {
        try withGIL { () throws in
            let ns = try Python.exec("class Box: pass\nbox = Box()\n")
            let box = try ns["box"]
            box.width = 3
            box.label = "wide"
            box.inner = box
            #expect(try Int(box.width) == 3)
            #expect(try String(box.label) == "wide")
            #expect(try box.inner === box)
            let w: Int? = box.width, missing: Int? = box.height
            #expect(w == 3 && missing == nil)
            try box.deleteAttribute("width")
            let e = try #require(throws: PythonException.self) { try box.width }
            #expect(e.matches(.attributeError))
        }
    }

    @Test func refusedAssignmentIsReported() throws {
        let (_, reports) = try capturingUnraisable {
            let n: PythonObject = 5
            n.real = 7
            #expect(throws: PythonException.self) { try n.setAttribute("imag", 1) }
        }
        #expect(reports.count == 1)
        #expect(reports.first?.hasPrefix("AttributeError:") == true)
    }

    @Test func keywordCallsWithMemberSyntax() throws {
        try withGIL { () throws in
            let json = try Python.import("json")
            let data: PythonObject = ["b": [1, 2]]
            #expect(try String(json.dumps(data, indent: 1, sort_keys: true)) == "{\n \"b\": [\n  1,\n  2\n ]\n}")
            let ns = try Python.exec("def f(*args, **kw):\n    return (args, sorted(kw.items()))\n")
            let f = try ns["f"]
            #expect(try f(1, key: 2, other: "x").debugDescription == "((1,), [('key', 2), ('other', 'x')])")
            #expect(try f().debugDescription == "((), [])")
            // Keywords decided at run time.
            var options: [(String, any ToPython)] = [("a", 1)]
            if Bool.random() || true { options.append(("b", "two")) }
            #expect(try f.call([0], kwargs: options).debugDescription == "((0,), [('a', 1), ('b', 'two')])")
        }
    }

    @Test func fastCallsConvertBothWays() throws {
        try withGIL { () throws in
            let ns = try Python.exec("""
            def ident(x): return x
            def add(a, b, c=0): return a + b + c
            def noop(): pass
            class C:
                def scale(self, x, k): return x * k
            c = C()
            """)
            let ident = try ns["ident"], add = try ns["add"], noop = try ns["noop"], c = try ns["c"]
            #expect(try ident.call(with: 41, as: Int.self) == 41)
            #expect(try ident.call(with: "s", as: String.self) == "s")
            #expect(try ident.call(with: true, as: Bool.self))
            #expect(try ident.call(with: [1.5, 2.5], as: [Double].self) == [1.5, 2.5])
            // An array given to call(_:) is the argument list; to call(with:), one argument.
            let items: [PythonObject] = [1, 2]
            #expect(try add.call(items).description == "3")
            #expect(try ident.call(with: items).debugDescription == "[1, 2]")
            #expect(try add.call(with: 1, 2, 3, as: Int.self) == 6)
            #expect(try add.call(with: 1.5, 2).description == "3.5")
            #expect(try noop.call().isNone)
            #expect(try c.callMethod("scale", 3, 4, as: Int.self) == 12)
            #expect(try c.callMethod("scale", "ab", 2).description == "abab")
            let wrong = try #require(throws: PythonException.self) { try ident.call(with: "s", as: Int.self) }
            #expect(wrong.description == "TypeError: the result must be int, not str")
            let missing = try #require(throws: PythonException.self) { try c.callMethod("nope") }
            #expect(missing.matches(.attributeError))
            let raised = try #require(throws: PythonException.self) { try add.call(with: 1, "x") }
            #expect(raised.matches(.typeError))
        }
    }

    @Test func builtinsVersionAndImports() throws {
        try withGIL { () throws in
            let xs: PythonObject = [3, 1, 2]
            #expect(try Int(Python.len(xs)) == 3)
            #expect(try Python.sorted(xs, reverse: true).debugDescription == "[3, 2, 1]")
            #expect(try Python.isinstance(xs, Python.list).isTrue())
            let e = try #require(throws: PythonException.self) { try Python.no_such_builtin }
            #expect(e.matches(.attributeError))
            let version = try String(Python.version)
            let major = try Int(Python.versionInfo[0]), minor = try Int(Python.versionInfo[1])
            #expect(version.hasPrefix("\(major).\(minor)."))
            #expect(major == 3)
            let missing = try #require(throws: PythonException.self) { try Python.attemptImport("no_such_module_xyz") }
            #expect(missing.matches(.moduleNotFoundError) && missing.matches(.importError))
            #expect(try Python.importIfInstalled("no_such_module_xyz") == nil)
            #expect(try Python.importIfInstalled("math") != nil)
        }
    }
}
