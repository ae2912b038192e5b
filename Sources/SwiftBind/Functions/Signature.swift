/// A Python signature as the user writes it: `"kw(a, b=2, *, c=3)"`.
///
/// It names the function and its parameters, in Python's own syntax, with
/// `/` (positional-only), `*` (keyword-only), `*args` and `**kwargs`.
/// Defaults are Python literals (evaluated once, at import, by
/// `ast.literal_eval`).  Parameters may carry annotations and the list a
/// return annotation (`"f(a: int, b: str = 'x') -> int"`); they override
/// the ones derived from the Swift types.  The text without annotations
/// becomes `__text_signature__` (inspect cannot parse annotations there),
/// so `help()` and `inspect.signature()` show it.
struct Signature {
    enum Kind: Equatable { case positionalOnly, positionalOrKeyword, keywordOnly, varPositional, varKeyword }

    struct Parameter {
        var name: String
        var kind: Kind
        var defaultLiteral: String?
        /// The annotation written in the signature, if any.
        var annotation: String? = nil
    }

    var name: String
    var parameters: [Parameter]
    /// The return annotation written in the signature (`-> int`), if any.
    var returnAnnotation: String? = nil

    /// The parameter list as written, for `__text_signature__` (`"(a, b=2, *, c=3)"`).
    var textSignature: String

    struct ParseError: Error, CustomStringConvertible { var description: String }

    init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingSpaces()
        guard let open = trimmed.firstIndex(of: "(") else {
            guard trimmed.isPythonIdentifier else {
                throw ParseError(description: "'\(text)' is not a name or a signature like 'f(a, b=2)'")
            }
            name = trimmed; parameters = []; textSignature = "()"
            return
        }
        guard let close = matchingParenthesis(trimmed, from: open) else {
            throw ParseError(description: "signature '\(text)' must end with ')' (or ') -> annotation')")
        }
        let rest = trimmed[trimmed.index(after: close)...].trimmingSpaces()
        if !rest.isEmpty {
            guard rest.hasPrefix("->"), !rest.dropFirst(2).trimmingSpaces().isEmpty else {
                throw ParseError(description: "signature '\(text)' must end with ')' (or ') -> annotation')")
            }
            returnAnnotation = rest.dropFirst(2).trimmingSpaces()
        }
        name = String(trimmed[..<open]).trimmingSpaces()
        guard name.isPythonIdentifier else {
            throw ParseError(description: "'\(name)' in '\(text)' is not a valid Python name")
        }
        let inner = trimmed[trimmed.index(after: open)..<close]
        let pieces = splitTopLevel(String(inner))
        var result: [Parameter] = []
        var kind = Kind.positionalOrKeyword
        var sawDefault = false, sawStar = false, sawSlash = false
        var untyped: [String] = []
        for typedPiece in pieces {
            let (piece, annotation) = try splitAnnotation(typedPiece, in: text)
            untyped.append(piece)
            let before = result.count
            defer { if let annotation, result.count > before { result[result.count - 1].annotation = annotation } }
            if piece == "/" {
                guard !sawSlash, !sawStar, !result.isEmpty else {
                    throw ParseError(description: "misplaced '/' in '\(text)'")
                }
                for i in result.indices { result[i].kind = .positionalOnly }
                sawSlash = true
                continue
            }
            if piece == "*" {
                guard !sawStar else { throw ParseError(description: "two '*' in '\(text)'") }
                sawStar = true; kind = .keywordOnly
                continue
            }
            if piece.hasPrefix("**") {
                let n = String(piece.dropFirst(2)).trimmingSpaces()
                guard n.isPythonIdentifier else { throw ParseError(description: "bad '**' parameter '\(piece)' in '\(text)'") }
                result.append(Parameter(name: n, kind: .varKeyword))
                continue
            }
            if result.last?.kind == .varKeyword {
                throw ParseError(description: "'**\(result.last!.name)' must be the last parameter in '\(text)'")
            }
            if piece.hasPrefix("*") {
                let n = String(piece.dropFirst()).trimmingSpaces()
                guard !sawStar, n.isPythonIdentifier else { throw ParseError(description: "bad '*' parameter '\(piece)' in '\(text)'") }
                sawStar = true; kind = .keywordOnly
                result.append(Parameter(name: n, kind: .varPositional))
                continue
            }
            var n = piece, literal: String? = nil
            if let eq = piece.firstIndex(of: "=") {
                n = String(piece[..<eq]).trimmingSpaces()
                literal = String(piece[piece.index(after: eq)...]).trimmingSpaces()
                if literal!.isEmpty { throw ParseError(description: "empty default for '\(n)' in '\(text)'") }
            }
            guard n.isPythonIdentifier else {
                throw ParseError(description: "'\(n)' in '\(text)' is not a valid parameter name")
            }
            if literal != nil { sawDefault = true }
            else if sawDefault && kind == .positionalOrKeyword {
                throw ParseError(description: "parameter '\(n)' without a default follows one with a default in '\(text)'")
            }
            result.append(Parameter(name: n, kind: kind, defaultLiteral: literal))
        }
        var seen = Set<String>()
        for p in result where !seen.insert(p.name).inserted {
            throw ParseError(description: "duplicate parameter '\(p.name)' in '\(text)'")
        }
        parameters = result
        textSignature = "(" + untyped.joined(separator: ", ") + ")"
    }
}

/// `"b: int = 2"` -> (`"b=2"`, `"int"`): the annotation is what follows a
/// `:` outside brackets and quotes, up to a `=` outside them.
private func splitAnnotation(_ piece: String, in text: String) throws(Signature.ParseError) -> (String, String?) {
    var depth = 0, quote: Character? = nil, escaped = false
    var colon: String.Index? = nil, equals: String.Index? = nil
    var i = piece.startIndex
    while i < piece.endIndex {
        let ch = piece[i]
        if let q = quote {
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == q { quote = nil }
        } else {
            switch ch {
            case "'", "\"": quote = ch
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            case ":" where depth == 0 && colon == nil && equals == nil: colon = i
            case "=" where depth == 0 && equals == nil: equals = i
            default: break
            }
        }
        i = piece.index(after: i)
    }
    guard let colon else { return (piece, nil) }
    let end = equals ?? piece.endIndex
    let annotation = piece[piece.index(after: colon)..<end].trimmingSpaces()
    let name = piece[..<colon].trimmingSpaces()
    guard !annotation.isEmpty else {
        throw Signature.ParseError(description: "empty annotation for '\(name)' in '\(text)'")
    }
    if let equals { return ("\(name)=\(piece[piece.index(after: equals)...].trimmingSpaces())", annotation) }
    return (name, annotation)
}

/// The index of the `)` closing the `(` at `open`, outside quotes.
private func matchingParenthesis(_ text: String, from open: String.Index) -> String.Index? {
    var depth = 0, quote: Character? = nil, escaped = false
    var i = open
    while i < text.endIndex {
        let ch = text[i]
        if let q = quote {
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == q { quote = nil }
        } else {
            switch ch {
            case "'", "\"": quote = ch
            case "(", "[", "{": depth += 1
            case ")", "]", "}":
                depth -= 1
                if depth == 0 { return ch == ")" ? i : nil }
            default: break
            }
        }
        i = text.index(after: i)
    }
    return nil
}

/// Splits on commas that are not inside brackets or quotes.
private func splitTopLevel(_ text: String) -> [String] {
    var pieces: [String] = [], current = "", depth = 0
    var quote: Character? = nil, escaped = false
    for ch in text {
        if let q = quote {
            current.append(ch)
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == q { quote = nil }
            continue
        }
        switch ch {
        case "'", "\"": quote = ch; current.append(ch)
        case "(", "[", "{": depth += 1; current.append(ch)
        case ")", "]", "}": depth -= 1; current.append(ch)
        case "," where depth == 0: pieces.append(current.trimmingSpaces()); current = ""
        default: current.append(ch)
        }
    }
    let last = current.trimmingSpaces()
    if !last.isEmpty || !pieces.isEmpty { pieces.append(last) }
    return pieces.filter { !$0.isEmpty }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    var isPythonIdentifier: Bool {
        guard let first = first, first == "_" || first.isLetter else { return false }
        return allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }
}
