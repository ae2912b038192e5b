import Testing
@testable import SwiftBind

/// The signature parser needs no interpreter.
@Suite struct SignatureTests {
    @Test func parsesKinds() throws {
        let s = try Signature(parsing: "kw(a, b=2, /, c='x, y', *, d=(1, 2), **rest)")
        #expect(s.name == "kw")
        #expect(s.parameters.map(\.name) == ["a", "b", "c", "d", "rest"])
        #expect(s.parameters.map(\.kind) == [.positionalOnly, .positionalOnly, .positionalOrKeyword, .keywordOnly, .varKeyword])
        #expect(s.parameters[2].defaultLiteral == "'x, y'")
        #expect(s.parameters[3].defaultLiteral == "(1, 2)")
        #expect(s.textSignature == "(a, b=2, /, c='x, y', *, d=(1, 2), **rest)")
    }

    @Test func noParentheses() throws {
        let s = try Signature(parsing: "noop")
        #expect(s.parameters.isEmpty && s.textSignature == "()")
    }

    @Test(arguments: ["f(a=1, b)", "f(a, a)", "1f(a)", "f(a", "f(*, *)", "f(**k, a)", "f(/, a)", "f(a=)"])
    func rejectsBadSignatures(_ text: String) {
        #expect(throws: Signature.ParseError.self) { try Signature(parsing: text) }
    }
}
