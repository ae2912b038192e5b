/// Why a Python value could not become a Swift value.
///
/// Conversions throw it without knowing which parameter they serve; the
/// function trampoline adds the function and parameter name, so the user
/// reads `add() argument 'a' must be int, not str`.
public struct ConversionError: Error, Sendable {
    public enum Kind: Sendable {
        /// A `TypeError`: the object is of the wrong type.
        case wrongType(expected: String, got: String)
        /// An `OverflowError`: a number does not fit.
        case outOfRange(String)
        /// A `ValueError` (or the named subclass): right type, bad value.
        case invalidValue(String, ExceptionType = .valueError)
    }

    public var kind: Kind
    /// Where inside a container the failure happened (`[3]`, `['key']`), outermost first.
    public var path: [String] = []

    public init(_ kind: Kind) { self.kind = kind }

    /// The object has the wrong type.
    public static func wrongType(expected: String, got object: BorrowedObject) -> ConversionError {
        ConversionError(.wrongType(expected: expected, got: object.pythonTypeName))
    }

    /// Adds a container position in front of the path.
    public func at(_ position: String) -> ConversionError {
        var copy = self
        copy.path.insert(position, at: 0)
        return copy
    }

    /// The exception to raise, with `subject` naming what was converted
    /// (`"add() argument 'a'"`).
    public func exception(subject: String) -> PythonException {
        // Index components read "item [3]"; key components (" key 'a'") stand alone.
        let joined = path.joined()
        let place = path.isEmpty ? subject
            : joined.hasPrefix("[") ? "\(subject) item \(joined)" : "\(subject)\(joined)"
        switch kind {
        case .wrongType(let expected, let got):
            return PythonException(.typeError, "\(place) must be \(expected), not \(got)")
        case .outOfRange(let detail):
            return PythonException(.overflowError, "\(place): \(detail)")
        case .invalidValue(let detail, let type):
            return PythonException(type, "\(place): \(detail)")
        }
    }
}
