// The Python types of a module's declarations: collected while the module
// is defined, resolved when its body is done (so a function may return a
// class declared after it), then
//   - written into the docstrings of functions as a typed first line
//     (`add(a: int, b: int) -> int`), which `help()` shows;
//   - published as the module attribute `_swiftbind_types` (JSON text),
//     which `swiftbind stubs` turns into NAME.pyi.
// Nothing here runs on the call path.

/// One parameter with its annotation.
struct TypedParameter {
    var name: String
    var kind: Signature.Kind
    var defaultLiteral: String?
    /// The annotation (for *args/**kwargs: of one element), resolved late.
    var hint: () -> String
}

/// What the stub writer knows about one declaration.
struct Declaration {
    enum Kind: String {
        case function, method, staticmethod, classmethod, initializer = "init", property, attribute, constant
    }
    var kind: Kind
    /// The Python class name, for members of a class.
    var owner: String? = nil
    var name: String
    var parameters: [TypedParameter] = []
    var returns: ResultHint
    var doc: String? = nil
    var settable = false
    /// A module function's `PyMethodDef`, whose doc gets the typed line.
    var methodDef: UnsafeMutablePointer<PyMethodDef>? = nil
    var textSignature: String? = nil
    /// Replaced by a later declaration of the same name.
    var superseded = false
}

extension ModuleBuilder {
    /// The typed parameters of `signature` over the Swift parameter types:
    /// an annotation written in the signature wins, unless it contradicts
    /// the Swift type (`a: str` for an `Int`), which is an error.
    func typedParameters(_ signature: Signature, _ infos: [ParameterInfo], where place: String) throws -> [TypedParameter] {
        var result: [TypedParameter] = []
        for (p, info) in zip(signature.parameters, infos) {
            let derived = info.typeHint
            let element: () -> String
            switch p.kind {
            case .varPositional: element = { elementHint(derived(), container: ["list", "tuple"]) }
            case .varKeyword: element = { elementHint(derived(), container: ["dict"]) }
            default: element = derived
            }
            var hint = element
            if let written = p.annotation {
                let swift = element()
                if annotationContradicts(written, swift) {
                    throw PythonException(.typeError,
                        "\(place): parameter '\(p.name)' is annotated '\(written)' but its Swift type converts from '\(swift)'; fix the annotation or the closure's parameter type")
                }
                hint = { written }
            }
            result.append(TypedParameter(name: p.name, kind: p.kind, defaultLiteral: p.defaultLiteral, hint: hint))
        }
        return result
    }

    /// The result annotation: the one written (`-> int`) unless it contradicts `derived`.
    func resultHint(_ signature: Signature, _ derived: ResultHint, where place: String) throws -> ResultHint {
        guard let written = signature.returnAnnotation else { return derived }
        let swift = derived.resolve()
        if annotationContradicts(written, swift) {
            throw PythonException(.typeError,
                "\(place): the return annotation '\(written)' contradicts the Swift result type, which converts to '\(swift)'")
        }
        return .text(written)
    }

    func declare(_ declaration: Declaration) -> Int {
        declarations.append(declaration)
        return declarations.count - 1
    }

    /// `name(a: int, b: int = 2) -> int`, with this module's prefix dropped.
    func typedLine(_ d: Declaration, receiver: String? = nil) -> String {
        var pieces: [String] = receiver.map { [$0] } ?? []
        // A class method's `cls` is not the caller's to pass.
        let parameters = d.kind == .classmethod ? Array(d.parameters.dropFirst()) : d.parameters
        var sawStar = false, slashAfter: Int? = nil
        for (i, p) in parameters.enumerated() where p.kind == .positionalOnly { slashAfter = i }
        for (i, p) in parameters.enumerated() {
            let hint = readable(p.hint())
            switch p.kind {
            case .varPositional: pieces.append("*\(p.name): \(hint)"); sawStar = true
            case .varKeyword: pieces.append("**\(p.name): \(hint)")
            default:
                if p.kind == .keywordOnly && !sawStar { pieces.append("*"); sawStar = true }
                pieces.append(p.defaultLiteral.map { "\(p.name): \(hint) = \($0)" } ?? "\(p.name): \(hint)")
            }
            if i == slashAfter { pieces.append("/") }
        }
        let returns = d.kind == .initializer ? "" : " -> \(readable(d.returns.resolve()))"
        return "\(d.name)(\(pieces.joined(separator: ", ")))\(returns)"
    }

    /// A docstring that starts with the typed line.
    func typedDoc(_ d: Declaration, receiver: String? = nil) -> String {
        let line = typedLine(d, receiver: receiver)
        guard let doc = d.doc, !doc.isEmpty else { return line }
        return "\(line)\n\n\(doc)"
    }

    /// An annotation as a reader wants it: `Counter`, not `mod.Counter`;
    /// `Any`, not `typing.Any`.
    func readable(_ hint: String) -> String {
        var result = "", token = ""
        func flush() {
            for prefix in ["\(name).", "typing.", "collections.abc.", "swiftbind."] where token.hasPrefix(prefix) {
                token.removeFirst(prefix.count)
                break
            }
            result += token
            token = ""
        }
        for ch in hint {
            if ch == "_" || ch == "." || ch.isLetter || ch.isNumber { token.append(ch) } else { flush(); result.append(ch) }
        }
        flush()
        return result
    }

    /// Resolves every declaration: typed docstrings of module functions and
    /// the `_swiftbind_types` attribute.
    func publishTypes() throws {
        for d in declarations {
            guard let def = d.methodDef, let text = d.textSignature else { continue }
            let old = def.pointee.ml_doc
            def.pointee.ml_doc = UnsafePointer(strdup("\(d.name)\(text)\n--\n\n\(typedDoc(d))"))
            free(UnsafeMutablePointer(mutating: old))
        }
        let json = JSONText()
        json.object {
            json.field("version") { json.raw("1") }
            json.field("module") { json.string(name) }
            json.field("declarations") {
                json.array(declarations.filter { !$0.superseded }) { d in
                    json.object {
                        json.field("kind") { json.string(d.kind.rawValue) }
                        if let owner = d.owner { json.field("owner") { json.string(owner) } }
                        json.field("name") { json.string(d.name) }
                        json.field("parameters") {
                            json.array(d.parameters) { p in
                                json.object {
                                    json.field("name") { json.string(p.name) }
                                    json.field("kind") { json.string(p.kind.pythonName) }
                                    if let literal = p.defaultLiteral { json.field("default") { json.string(literal) } }
                                    json.field("annotation") { json.string(p.hint()) }
                                }
                            }
                        }
                        json.field("returns") { json.string(d.returns.resolve()) }
                        if let doc = d.doc { json.field("doc") { json.string(doc) } }
                        if d.settable { json.field("settable") { json.raw("true") } }
                    }
                }
            }
        }
        try module.setAttribute("_swiftbind_types", json.text)
        try publishAnnotations()
    }

    /// `__annotations__` where Python reads them: the module's (constants)
    /// and each class's (properties and class attributes), so
    /// `typing.get_type_hints(mod)` and `(mod.Matrix)` work.  (Functions
    /// are builtins, which have none.)
    func publishAnnotations() throws {
        let eval = try Python.import("builtins").attribute("eval")
        let namespace = try module.attribute("__dict__")
        var byOwner: [String?: [(String, PythonObject)]] = [:]
        for d in declarations where !d.superseded
            && (d.kind == .constant || d.kind == .property || d.kind == .attribute) {
            byOwner[d.owner, default: []].append((d.name, annotationValue(d.returns.resolve(), eval, namespace)))
        }
        for (owner, entries) in byOwner {
            let annotations = PythonObject(owning: try checkedNew(PyDict_New()))
            for (name, value) in entries {
                try checkedStatus(PyDict_SetItemString(annotations.unsafePointer, name, value.unsafePointer))
            }
            let target = try owner.map { try module.attribute($0) } ?? module
            try target.setAttribute("__annotations__", annotations)
        }
    }

    /// The annotation as an object when it evaluates in the module's
    /// namespace without importing anything (`int`, `list[str]`, `Matrix`;
    /// `X | None` from 3.10), else as the string (PEP 563 style), which
    /// `get_type_hints` evaluates itself or reports.
    private func annotationValue(_ hint: String, _ eval: PythonObject, _ namespace: PythonObject) -> PythonObject {
        let local = localized(hint)
        guard !local.contains(".") else { return (try? local.pythonObject()) ?? .none }
        if let value = try? eval.call([local, namespace]) { return value }
        return (try? local.pythonObject()) ?? .none
    }

    /// `hint` without this module's prefix (`mod.Counter` -> `Counter`).
    func localized(_ hint: String) -> String {
        var result = "", token = ""
        func flush() {
            if token.hasPrefix("\(name).") { token.removeFirst(name.count + 1) }
            result += token
            token = ""
        }
        for ch in hint {
            if ch == "_" || ch == "." || ch.isLetter || ch.isNumber { token.append(ch) } else { flush(); result.append(ch) }
        }
        flush()
        return result
    }
}

extension Signature.Kind {
    /// `inspect.Parameter.kind` names, lowercased.
    var pythonName: String {
        switch self {
        case .positionalOnly: return "positional_only"
        case .positionalOrKeyword: return "positional_or_keyword"
        case .keywordOnly: return "keyword_only"
        case .varPositional: return "var_positional"
        case .varKeyword: return "var_keyword"
        }
    }
}

/// The element of `list[X]` / `tuple[X, ...]` / `dict[str, X]` (the
/// annotation of `*args` and `**kwargs` names one element); `object` for
/// anything else.
func elementHint(_ hint: String, container: [String]) -> String {
    guard let parsed = TypeExpression.parse(hint), parsed.terms.count == 1,
          let term = parsed.terms.first, container.contains(term.head), let arg = term.arguments.first else {
        return hint == "typing.Any" ? hint : "object"
    }
    let chosen = term.head == "dict" ? term.arguments.last! : arg
    return chosen.text
}

/// True when the annotation written by the user cannot describe values the
/// Swift conversion takes (or makes): only judged where both sides are
/// builtin types (`int`, `str`, `list[...]`, `X | None`...); anything else
/// (`Sequence[int]`, a user class, `Any`) is taken on trust.
func annotationContradicts(_ written: String, _ swift: String) -> Bool {
    guard let w = TypeExpression.parse(written), let s = TypeExpression.parse(swift) else { return false }
    return w.compatible(with: s) == false
}

/// A parsed annotation: a union of terms `head[arguments]`.
struct TypeExpression {
    struct Term { var head: String; var arguments: [TypeExpression] }
    var terms: [Term]
    var text: String

    static let builtins: Set<String> = ["int", "float", "str", "bytes", "bool", "list", "dict", "set",
                                        "tuple", "None", "frozenset", "bytearray", "complex"]

    static func parse(_ text: String) -> TypeExpression? {
        var chars = Array(text)
        var i = 0
        let result = parseUnion(&chars, &i)
        while i < chars.count, chars[i] == " " { i += 1 }
        return i == chars.count ? result : nil
    }

    private static func parseUnion(_ c: inout [Character], _ i: inout Int) -> TypeExpression? {
        let start = i
        var terms: [Term] = []
        repeat {
            if !terms.isEmpty { i += 1 }  // the '|'
            guard let t = parseTerm(&c, &i) else { return nil }
            terms.append(t)
            while i < c.count, c[i] == " " { i += 1 }
        } while i < c.count && c[i] == "|"
        return TypeExpression(terms: terms, text: String(c[start..<i]).trimmingSpaces())
    }

    private static func parseTerm(_ c: inout [Character], _ i: inout Int) -> Term? {
        while i < c.count, c[i] == " " { i += 1 }
        var head = ""
        while i < c.count, c[i] == "_" || c[i] == "." || c[i].isLetter || c[i].isNumber { head.append(c[i]); i += 1 }
        if head.isEmpty, i + 1 < c.count, c[i] == "(", c[i + 1] == ")" { i += 2; return Term(head: "()", arguments: []) }
        guard !head.isEmpty else { return nil }
        while i < c.count, c[i] == " " { i += 1 }
        var arguments: [TypeExpression] = []
        if i < c.count, c[i] == "[" {
            i += 1
            repeat {
                if c[i] == "," { i += 1 }
                guard let a = parseUnion(&c, &i) else { return nil }
                arguments.append(a)
                while i < c.count, c[i] == " " { i += 1 }
            } while i < c.count && c[i] == ","
            guard i < c.count, c[i] == "]" else { return nil }
            i += 1
        }
        return Term(head: head, arguments: arguments)
    }

    /// false: contradicts; true or nil (cannot tell): accepted.
    func compatible(with swift: TypeExpression) -> Bool? {
        for w in terms {
            guard TypeExpression.builtins.contains(w.head) else { return nil }
            var any = false
            for s in swift.terms {
                guard TypeExpression.builtins.contains(s.head) else { return nil }
                if Self.termCompatible(w, s) != false { any = true }
            }
            if !any { return false }
        }
        return true
    }

    static func termCompatible(_ w: Term, _ s: Term) -> Bool? {
        let narrower = (w.head == "bool" && s.head == "int") || ((w.head == "int" || w.head == "bool") && s.head == "float")
        guard w.head == s.head || narrower else { return false }
        if w.head == s.head, !w.arguments.isEmpty, w.arguments.count == s.arguments.count {
            for (a, b) in zip(w.arguments, s.arguments) where a.compatible(with: b) == false { return false }
        }
        return true
    }
}

/// A small JSON writer (strings escaped per RFC 8259).
final class JSONText {
    var text = ""
    private var needsComma = [false]

    func raw(_ s: String) { text += s }

    func string(_ s: String) {
        text += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(u)
                }
            }
        }
        text += "\""
    }

    private func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    func object(_ body: () -> Void) {
        text += "{"; needsComma.append(false); body(); needsComma.removeLast(); text += "}"
    }

    func field(_ name: String, _ value: () -> Void) {
        separate(); string(name); text += ":"; value()
    }

    func array<S: Sequence>(_ items: S, _ each: (S.Element) -> Void) {
        text += "["; needsComma.append(false)
        for item in items { separate(); each(item) }
        needsComma.removeLast(); text += "]"
    }
}
