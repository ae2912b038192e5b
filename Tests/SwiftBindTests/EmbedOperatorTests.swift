import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// PythonObject's arithmetic and bitwise operators run Python's and throw
/// what Python raises.
@Suite struct EmbedOperatorTests {
    init() { TestInterpreter.ensure() }

    @Test func arithmetic() throws {
        try withGIL { () throws in
            let a: PythonObject = 7, b: PythonObject = 2
            #expect(try value(Int.self) { try a + b } == 9)
            #expect(try value(Int.self) { try a - b } == 5)
            #expect(try value(Int.self) { try a * b } == 14)
            #expect(try value(Double.self) { try a / b } == 3.5)
            #expect(try value(Int.self) { try a % b } == 1)
            #expect(try value(Int.self) { try a.floorDivided(by: b) } == 3)
            #expect(try value(Int.self) { try a.power(b) } == 49)
            #expect(try value(Int.self) { try a.power(b, modulo: 5) } == 4)
            #expect(try value(Int.self) { try -a } == -7)
            #expect(try value(Int.self) { try +a } == 7)
            #expect(try value(Int.self) { try (-a).absolute() } == 7)
            let s: PythonObject = "ab"
            #expect(try value(String.self) { try s * 3 } == "ababab")
            #expect(try value(String.self) { try s + "c" } == "abc")
        }
    }

    @Test func bitwise() throws {
        try withGIL { () throws in
            let a: PythonObject = 0b1100, b: PythonObject = 0b1010
            #expect(try value(Int.self) { try a & b } == 0b1000)
            #expect(try value(Int.self) { try a | b } == 0b1110)
            #expect(try value(Int.self) { try a ^ b } == 0b0110)
            #expect(try value(Int.self) { try ~a } == ~0b1100)
            #expect(try value(Int.self) { try a << 2 } == 48)
            #expect(try value(Int.self) { try a >> 2 } == 3)
        }
    }

    /// Integer expressions in a module that imports SwiftBind stay Swift
    /// integers: PythonObject's operators must not outrank the standard
    /// library's for literals (examples/stats has `let limit = 1 << 16`).
    @Test func literalExpressionsStaySwiftIntegers() {
        let shifted = 1 << 16, back = 1 >> 1, sum = 1 + 2, masked = 6 & 3, mixed = 2 * 3 - 1
        #expect(type(of: shifted) == Int.self && type(of: back) == Int.self)
        #expect(type(of: sum) == Int.self && type(of: masked) == Int.self && type(of: mixed) == Int.self)
        var n = 1
        n <<= 3
        #expect(n == 8 && shifted == 65536)
    }

    @Test func compoundAssignmentIsInPlace() throws {
        try withGIL { () throws in
            var list: PythonObject = [1, 2]
            let alias = list
            try list += [3]
            #expect(list === alias)                      // list.__iadd__ extends in place
            #expect(try alias.count() == 3)
            var n: PythonObject = 10
            try n -= 4
            try n *= 2
            try n <<= 1
            #expect(try value(Int.self) { try n } == 24)
        }
    }

    @Test func errorsAreThrownNotTrapped() throws {
        try withGIL { () throws in
            let one: PythonObject = 1, zero: PythonObject = 0, text: PythonObject = "x"
            let e1 = try #require(throws: PythonException.self) { try one / zero }
            #expect(e1.matches(.zeroDivisionError))
            let e2 = try #require(throws: PythonException.self) { try one + text }
            #expect(e2.matches(.typeError))
            #expect(e2.description.contains("unsupported operand"))
            let e3 = try #require(throws: PythonException.self) { try ~text }
            #expect(e3.matches(.typeError))
        }
    }

    @Test func numpyOperatorsGiveArrays() throws {
        try withGIL { () throws in
            let np = try Python.import("numpy")
            let a = try np.arange(4)
            let doubled = try a * 2
            #expect(try doubled.tolist().description == "[0, 2, 4, 6]")
            let mask = try a.compared(.greater, 1)
            #expect(try mask.tolist().description == "[False, False, True, True]")
            #expect(try value(Int.self) { try a.matmul(a) } == 14)
        }
    }
}

/// The conversion of an operator's result, evaluated outside #expect's
/// decomposition (which would split a throwing operator from its `try`).
func value<T: FromPython>(_ type: T.Type, _ body: () throws -> PythonObject) throws -> T {
    try T(body())
}
