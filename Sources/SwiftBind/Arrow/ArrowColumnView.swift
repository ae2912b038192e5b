/// A typed, zero-copy view of one Arrow array, usable as a function
/// parameter: ``ArrowPrimitiveArray``, ``ArrowBooleanArray``,
/// ``ArrowStringArray``, ``ArrowBinaryArray``, ``ArrowTimestampArray``,
/// ``ArrowDate32Array``, ``ArrowDictionaryArray``.
///
/// As a parameter, it accepts any object with `__arrow_c_array__` (a
/// pyarrow `Array`, a nanoarrow `Array`, a polars `Series`), or one with
/// `__arrow_c_stream__` of a single chunk; the producer's buffers are read
/// in place, and released when the last copy of the view goes away.  Views
/// are `Sendable`: read them inside ``withoutGIL(_:)`` and from
/// ``parallelFor(_:chunks:_:)`` pieces.
public protocol ArrowColumnView: FromPython, PythonTyped, Sendable {
    /// The Arrow type in messages (`"int64"`).
    static var arrowTypeName: String { get }
    /// True when an array of `type` can be read through this view.
    static func accepts(_ type: ArrowDataType) -> Bool
    /// A view of a node whose type ``accepts(_:)`` approved and whose
    /// contents were checked.  The runtime makes views through the
    /// parameter conversions and ``ArrowRecordBatch/column(_:as:)``; a view
    /// made here of any other node reads memory unchecked.
    init(unsafeValidated node: ArrowArrayNode)
    /// The array the view reads.
    var node: ArrowArrayNode { get }
}

extension ArrowColumnView {
    /// Number of elements.
    @inlinable public var count: Int { node.count }
    /// Number of null elements.
    public var nullCount: Int { node.nullCount }
    /// Which elements are valid (not null).
    public var validity: ArrowValidity { ArrowValidity(node) }
    /// The producer's field: name, type, nullability.
    public var field: ArrowField { node.field }

    public static var pythonTypeName: String { "an Arrow array of \(arrowTypeName)" }
    public static var pythonTypeHint: String { "typing.Any" }

    public static func fromPython(_ object: BorrowedObject) throws -> Self {
        let node = try ArrowCapsules.importSingleArray(object, expected: pythonTypeName)
        guard accepts(node.type) else {
            throw ConversionError(.wrongType(expected: pythonTypeName, got: "\(object.pythonTypeName) of \(node.type)"))
        }
        return try checkedView(node, producer: object.pythonTypeName)
    }

    /// The view of `node` (whose type `accepts`) once its contents are checked.
    static func checkedView(_ node: ArrowArrayNode, producer: String) throws -> Self {
        do throws(ArrowSchemaError) { try node.validateContents() }
        catch { throw ConversionError(.invalidValue("\(producer): \(error.message)")) }
        return Self(unsafeValidated: node)
    }
}
