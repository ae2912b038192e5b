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

    @Test func parsesAnnotations() throws {
        let s = try Signature(parsing: "f(a: int, b: dict[str, int] = {'k': 1}, /, *args: str, c: 'x: y' = 'z=1', **kw: float) -> tuple[int, str]")
        #expect(s.parameters.map(\.name) == ["a", "b", "args", "c", "kw"])
        #expect(s.parameters.map(\.annotation) == ["int", "dict[str, int]", "str", "'x: y'", "float"])
        #expect(s.parameters[1].defaultLiteral == "{'k': 1}")
        #expect(s.parameters[3].defaultLiteral == "'z=1'")
        #expect(s.returnAnnotation == "tuple[int, str]")
        // inspect cannot parse annotations in __text_signature__: they are left out.
        #expect(s.textSignature == "(a, b={'k': 1}, /, *args, c='z=1', **kw)")
    }

    @Test func returnAnnotationAlone() throws {
        let s = try Signature(parsing: "g() -> None")
        #expect(s.parameters.isEmpty && s.returnAnnotation == "None" && s.textSignature == "()")
    }

    @Test(arguments: [("str", "int", true), ("int", "float", false), ("bool", "int", false), ("float", "int", true),
                      ("list[str]", "list[int]", true), ("list[int] | None", "list[int] | None", false),
                      ("None", "int", true), ("None", "int | None", false), ("Sequence[int]", "list[int]", false),
                      ("int", "mod.Counter", false), ("str", "object", false), ("tuple[int, str]", "tuple[int, int]", true)])
    func judgesAnnotations(_ written: String, _ swift: String, _ contradicts: Bool) {
        #expect(annotationContradicts(written, swift) == contradicts)
    }

    @Test(arguments: ["f(a", "f(a) ->", "f(a) int", "f(a:)", "f(a: = 1)"])
    func rejectsBadAnnotations(_ text: String) {
        #expect(throws: Signature.ParseError.self) { try Signature(parsing: text) }
    }

    @Test(arguments: ["f(a=1, b)", "f(a, a)", "1f(a)", "f(a", "f(*, *)", "f(**k, a)", "f(/, a)", "f(a=)"])
    func rejectsBadSignatures(_ text: String) {
        #expect(throws: Signature.ParseError.self) { try Signature(parsing: text) }
    }
}
