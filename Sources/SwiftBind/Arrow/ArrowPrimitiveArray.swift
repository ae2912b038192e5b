/// A fixed-width number type an Arrow array can hold: every integer width,
/// `Float` (Arrow `float`) and `Double` (Arrow `double`).
public protocol ArrowPrimitiveElement: Sendable, Numeric {
    /// The Arrow type of a column of this element.
    static var arrowType: ArrowDataType { get }
}

extension Int8: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .int8 } }
extension Int16: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .int16 } }
extension Int32: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .int32 } }
extension Int64: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .int64 } }
extension UInt8: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .uint8 } }
extension UInt16: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .uint16 } }
extension UInt32: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .uint32 } }
extension UInt64: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .uint64 } }
extension Float: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .float32 } }
extension Double: ArrowPrimitiveElement { public static var arrowType: ArrowDataType { .float64 } }

/// A zero-copy view of an Arrow array of fixed-width numbers.
///
/// ```swift
/// m.def("total(values)") { (values: ArrowPrimitiveArray<Double>) -> Double in
///     withoutGIL { values.values.reduce(0, +) }   // nulls' slots included; see `subscript`
/// }
/// ```
///
/// ``values`` are the raw slots (with the array's offset applied); a null
/// element's slot holds an unspecified number, so read ``subscript(_:)``
/// (an optional) or check ``validity`` when the array may have nulls.
// SAFETY (@unchecked Sendable): `start` points into buffers `node` keeps
// alive, which no one writes (the C data interface's contract).
public struct ArrowPrimitiveArray<Element: ArrowPrimitiveElement>: ArrowColumnView, @unchecked Sendable {
    public let node: ArrowArrayNode
    @usableFromInline let start: UnsafePointer<Element>?

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        self.start = node.values(1, as: Element.self).map { $0 + node.offset }
    }

    public static var arrowTypeName: String { Element.arrowType.description }
    public static func accepts(_ type: ArrowDataType) -> Bool { type == Element.arrowType }

    /// The value slots, nulls included, in place.
    @inlinable
    public var values: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: start, count: node.count) }

    /// Element `i`, nil when null.  Traps when `i` is out of `0..<count`.
    @inlinable
    public subscript(i: Int) -> Element? {
        precondition(i >= 0 && i < node.count, "ArrowPrimitiveArray index out of range")
        return validity.isValid(i) ? start.unsafelyUnwrapped[i] : nil
    }
}
