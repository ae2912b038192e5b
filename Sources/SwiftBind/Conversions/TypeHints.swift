// Python type annotations derived from Swift types: `Int` -> `int`,
// `[String: Double]` -> `dict[str, float]`, `Counter?` -> `mod.Counter | None`.
//
// They are metadata made when a module is defined (docstrings, the stub
// generator's `_swiftbind_types`), never on the call path.  Names other
// than builtins are written with their module (`collections.abc.Buffer`,
// `numpy.typing.NDArray[numpy.float32]`, `mod.Counter`), so a stub writer
// knows what to import.

/// A Swift type that states its Python annotation (the type checkers'
/// name for it): conform a type of your own when its ``FromPython/pythonTypeName``
/// is not a valid annotation, or when it only converts to Python.
///
/// ```swift
/// extension Celsius: PythonTyped { static var pythonTypeHint: String { "float" } }
/// ```
///
/// Without it, a `FromPython` type is annotated with its `pythonTypeName`
/// and a `ToPython`-only type with `typing.Any`.
public protocol PythonTyped {
    /// The annotation, with non-builtin names qualified by their module
    /// (`"tuple[float, float]"`, `"decimal.Decimal"`).
    static var pythonTypeHint: String { get }
}

/// Where an annotation is used: a parameter accepts what converts, a
/// result promises what is made (`PythonObject` is `object` in, `Any` out).
@usableFromInline
enum HintPosition { case parameter, result }

/// The runtime's own conversions, whose annotation depends on the
/// position or on generic arguments that need not convert themselves.
protocol TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String
}

/// The annotation of `type` in `position`.
@usableFromInline
func pythonTypeHint<T>(_ type: T.Type, _ position: HintPosition) -> String {
    if let t = type as? TypeHintProviding.Type { return t.typeHint(position) }
    if let t = type as? PythonTyped.Type { return t.pythonTypeHint }
    if let t = type as? FromPython.Type { return t.pythonTypeName }
    return "typing.Any"
}

/// A result annotation, resolved when the module's declarations are done
/// (so a class declared after the function that returns it has its name).
public struct ResultHint {
    let resolve: () -> String

    /// The annotation of `R` as a result.
    @inlinable
    public static func of<R>(_ type: R.Type) -> ResultHint { ResultHint(resolve: { pythonTypeHint(R.self, .result) }) }

    /// `None`: the function returns nothing.
    public static var none: ResultHint { ResultHint(resolve: { "None" }) }

    /// The `Job` a job or async function returns, whose result is `R`.
    @inlinable
    public static func job<R>(_ type: R.Type) -> ResultHint {
        ResultHint(resolve: { "swiftbind.Job[\(pythonTypeHint(R.self, .result))]" })
    }

    /// Not known from the Swift types.
    public static var any: ResultHint { ResultHint(resolve: { "typing.Any" }) }

    /// An annotation written out.
    public static func text(_ annotation: String) -> ResultHint { ResultHint(resolve: { annotation }) }

    @usableFromInline init(resolve: @escaping () -> String) { self.resolve = resolve }
}

extension PythonObject: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { position == .parameter ? "object" : "typing.Any" }
}

extension SendablePythonObject: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { PythonObject.typeHint(position) }
}

extension PythonNone: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "None" }
}

extension Substring: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "str" }
}

extension Optional: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String {
        let wrapped = pythonTypeHint(Wrapped.self, position)
        return wrapped == "typing.Any" || wrapped.hasSuffix(" | None") ? wrapped : "\(wrapped) | None"
    }
}

extension Array: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String {
        Element.self == UInt8.self ? "bytes" : "list[\(pythonTypeHint(Element.self, position))]"
    }
}

extension ArraySlice: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String {
        Element.self == UInt8.self ? "bytes" : "list[\(pythonTypeHint(Element.self, position))]"
    }
}

extension Dictionary: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String {
        "dict[\(pythonTypeHint(Key.self, position)), \(pythonTypeHint(Value.self, position))]"
    }
}

extension Set: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "set[\(pythonTypeHint(Element.self, position))]" }
}

extension PythonTuple: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String {
        var names: [String] = []
        for t in repeat (each T).self { names.append(pythonTypeHint(t, position)) }
        return names.isEmpty ? "tuple[()]" : "tuple[\(names.joined(separator: ", "))]"
    }
}
