import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// Swift closures as Python callables: callbacks, keyword arguments,
/// errors raised in Python, methods of classes made at run time.
@Suite struct EmbedFunctionTests {
    init() { TestInterpreter.ensure() }

    @Test func closureAsCallback() throws {
        try withGIL { () throws in
            let square = try PythonFunction(name: "square") { args in
                let x = try Double(args[0])
                return x * x
            }
            let mapped = try Python.list(Python.map(square, [1, 2, 3]))
            #expect(try [Double](numpy: mapped) == [1, 4, 9])
            #expect(try String(square.object.__name__) == "square")
            let kw = try #require(throws: PythonException.self) { try square.object(1, extra: 2) }
            #expect(kw.description == "TypeError: square() takes no keyword arguments")
        }
    }

    @Test func keywordArgumentsArriveInOrder() throws {
        try withGIL { () throws in
            let record = try PythonFunction { args, kwargs in
                "\(args.count):" + kwargs.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            }
            let ns = try Python.exec("def use(f):\n    return f(1, 2, z=3, a=4)\n")
            #expect(try String(ns["use"].call(with: record)) == "2:z=3,a=4")
        }
    }

    @Test func swiftErrorsBecomePythonExceptions() throws {
        try withGIL { () throws in
            struct Oops: Error {}
            let failing = try PythonFunction { _ in throw PythonException(.valueError, "bad value") }
            let other = try PythonFunction { _ in throw Oops() }
            let ns = try Python.exec("""
            def guard(f):
                try:
                    f()
                except ValueError as e:
                    return "caught " + str(e)
            def plain(f):
                try:
                    f()
                except RuntimeError as e:
                    return "runtime"
            """)
            #expect(try String(ns["guard"].call(with: failing)) == "caught bad value")
            #expect(try String(ns["plain"].call(with: other)) == "runtime")
            // Straight from Swift, the exception comes back as thrown.
            let e = try #require(throws: PythonException.self) { try failing.object() }
            #expect(e.description == "ValueError: bad value")
        }
    }

    @Test func closureIsReleasedWithTheFunction() throws {
        final class Token {}
        weak var weakToken: Token?
        try withGIL { () throws in
            let token = Token()
            weakToken = token
            var f: PythonFunction? = try PythonFunction { _ in _ = token; return PythonNone() }
            _ = try f!.object()
            f = nil
            _ = f
        }
        #expect(weakToken == nil)
    }

    @Test func classMadeAtRunTime() throws {
        try withGIL { () throws in
            let base = try Python.eval("type('Base', (), {'kind': 'base'})")
            let point = try Python.makeClass("Point", superclasses: [base], members: [
                "__init__": try PythonInstanceMethod { args in
                    try args[0].setAttribute("x", args[1])
                    try args[0].setAttribute("y", args[2])
                    return PythonNone()
                },
                "norm2": try PythonInstanceMethod { args in
                    let x = try Double(args[0].x), y = try Double(args[0].y)
                    return x * x + y * y
                },
                "scaled": try PythonInstanceMethod { args, kwargs in
                    let k = try kwargs.first { $0.0 == "by" }.map { try Double($0.1) } ?? 1
                    return try Python.type(args[0]).call(with: Double(args[0].x) * k, Double(args[0].y) * k)
                },
                "dims": 2,
            ])
            let p = try point(3.0, 4.0)
            #expect(try Double(p.norm2()) == 25)
            #expect(try Double(p.scaled(by: 2).norm2()) == 100)
            #expect(try Int(p.dims) == 2)
            #expect(try String(p.kind) == "base")
            #expect(try String(point.__name__) == "Point")
            #expect(try Python.isinstance(p, base).isTrue())
        }
    }
}
