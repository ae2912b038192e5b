import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// Conversions through the embedded interpreter: Swift -> Python -> Swift.
@Suite struct ConversionTests {
    init() { TestInterpreter.ensure() }

    func roundTrip<T: PythonConvertible & Equatable>(_ value: T) throws -> T {
        try withGIL { try T.convert(value.pythonObject()) }
    }

    @Test func integersRoundTrip() throws {
        #expect(try roundTrip(Int.max) == Int.max)
        #expect(try roundTrip(Int.min) == Int.min)
        #expect(try roundTrip(UInt64.max) == UInt64.max)
        #expect(try roundTrip(Int8(-128)) == -128)
    }

    @Test func overflowIsAnError() throws {
        try withGIL {
            let big = try Python.eval("2**64")
            #expect(throws: PythonException.self) { try Int.convert(big) }
            let e = try #require(throws: PythonException.self) { try UInt8.convert(try Python.eval("256")) }
            #expect(e.matches(.overflowError))
        }
    }

    @Test func stringsAndContainers() throws {
        #expect(try roundTrip("héllo \u{1F600}") == "héllo \u{1F600}")
        #expect(try roundTrip([1, 2, 3]) == [1, 2, 3])
        #expect(try roundTrip(["a": 1.5]) == ["a": 1.5])
        #expect(try roundTrip(Set([1, 2])) == Set([1, 2]))
        #expect(try roundTrip([UInt8]([0, 255])) == [0, 255])
        #expect(try roundTrip(Optional<Int>.none) == nil)
    }

    @Test func wrongTypeNamesTheExpectedType() throws {
        try withGIL {
            let text = try Python.eval("'x'")
            let e = try #require(throws: PythonException.self) { try Int.convert(text, what: "the value") }
            #expect(e.matches(.typeError))
            #expect(e.description.contains("the value must be int, not str"))
        }
    }
}
