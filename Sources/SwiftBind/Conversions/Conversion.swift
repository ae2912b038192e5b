/// A Swift type that can be made from a Python object.
///
/// Conformances exist for Bool, every integer width, Double, Float, String,
/// Optional, Array, Dictionary, Set, ``PythonTuple``, ``PythonObject`` and
/// ``BorrowedObject``.  Conform your own types to take them as arguments:
///
/// ```swift
/// struct Point: FromPython {
///     var x, y: Double
///     static var pythonTypeName: String { "tuple[float, float]" }
///     static func fromPython(_ object: BorrowedObject) throws -> Point {
///         let t = try PythonTuple<Double, Double>.fromPython(object)
///         return Point(x: t.values.0, y: t.values.1)
///     }
/// }
/// ```
///
/// Throw ``ConversionError`` for a wrong type or value: the caller adds the
/// parameter name to the message.  Requires the GIL.
public protocol FromPython {
    /// How the type reads in Python messages and signatures (`"int"`).
    static var pythonTypeName: String { get }
    /// Converts a borrowed object.  Throws ``ConversionError`` or
    /// ``PythonException``.
    static func fromPython(_ object: BorrowedObject) throws -> Self
}

/// A Swift value that can become a Python object.  Requires the GIL.
public protocol ToPython {
    /// A new Python reference holding this value.
    func toPython() throws -> NewReference
}

/// Both directions.
public typealias PythonConvertible = FromPython & ToPython

extension FromPython {
    /// Converts a Python object, with a message naming `what` on failure.
    @inlinable
    public static func convert(_ object: PythonObject, what: String = "value") throws -> Self {
        do { return try fromPython(object.borrowed) }
        catch let e as ConversionError { throw e.exception(subject: what) }
    }
}

extension ToPython {
    /// The value as a ``PythonObject``.
    @inlinable
    public func pythonObject() throws -> PythonObject { try toPython().object() }
}
