/// A zero-copy view of a dictionary-encoded Arrow array: integer
/// ``indices`` into a ``dictionary`` of values (`pyarrow.DictionaryArray`,
/// a polars `Categorical`).
///
/// Every valid index was checked to lie within the dictionary at import.
public struct ArrowDictionaryArray<Index: ArrowPrimitiveElement & FixedWidthInteger, Values: ArrowColumnView>: ArrowColumnView {
    public let node: ArrowArrayNode
    /// The indices; nulls of the dictionary array are nulls here.
    public let indices: ArrowPrimitiveArray<Index>
    /// The distinct values.
    public let dictionary: Values

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        self.indices = ArrowPrimitiveArray(unsafeValidated: node)
        self.dictionary = Values(unsafeValidated: node.dictionary[0])
    }

    public static var arrowTypeName: String { "dictionary<values=\(Values.arrowTypeName), indices=\(Index.arrowType)>" }
    public static func accepts(_ type: ArrowDataType) -> Bool {
        guard case .dictionary(let index, let values, _) = type else { return false }
        return index == Index.arrowType && Values.accepts(values)
    }

    /// The dictionary position of element `i`, nil when null.
    @inlinable
    public func index(at i: Int) -> Int? { indices[i].map { Int($0) } }
}
