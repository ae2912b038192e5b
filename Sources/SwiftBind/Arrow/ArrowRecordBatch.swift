/// A zero-copy view of an Arrow record batch (a struct array whose children
/// are the columns): `pyarrow.RecordBatch`, a struct `pyarrow.Array`, a
/// batch of a stream.
///
/// ```swift
/// m.def("mean_of(batch, name)") { (batch: ArrowRecordBatch, name: String) throws -> Double in
///     let column = try batch.column(name, as: ArrowPrimitiveArray<Double>.self)
///     return column.values.reduce(0, +) / Double(column.count)
/// }
/// ```
public struct ArrowRecordBatch: Sendable {
    /// The struct array.
    public let node: ArrowArrayNode
    /// The columns' fields, in order.
    public let fields: [ArrowField]

    init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        if case .struct(let fields) = node.type { self.fields = fields } else { self.fields = [] }
    }

    /// Number of rows.
    public var rowCount: Int { node.count }

    /// The column names, in order.
    public var columnNames: [String] { fields.map(\.name) }

    /// The column `name` as a `V`, its rows aligned with the batch's.
    ///
    /// - Throws: `KeyError` when there is no such column, `TypeError` naming
    ///   the column and both types when it has another type, `ValueError`
    ///   when its contents break the format (checked here, once per call:
    ///   O(n) for strings and dictionaries, O(1) for numbers).
    public func column<V: ArrowColumnView>(_ name: String, as type: V.Type) throws -> V {
        guard let i = fields.firstIndex(where: { $0.name == name }) else {
            throw PythonException.keyError("the record batch has no column '\(name)' (its columns: \(columnNames.joined(separator: ", ")))")
        }
        return try column(at: i, as: type)
    }

    /// Column number `index` as a `V`.
    public func column<V: ArrowColumnView>(at index: Int, as type: V.Type) throws -> V {
        guard index >= 0 && index < fields.count else {
            throw PythonException.indexError("column index \(index) out of range for a batch of \(fields.count) columns")
        }
        let node = childNode(index)
        guard V.accepts(node.type) else {
            throw PythonException.typeError("column '\(fields[index].name)' has type \(node.type), expected \(V.arrowTypeName)")
        }
        do throws(ArrowSchemaError) { try node.validateContents() }
        catch { throw PythonException.valueError(error.message) }
        return V(unsafeValidated: node)
    }

    /// Child `index` with the batch's own offset and length applied (a
    /// sliced batch shares its children with the whole one).
    func childNode(_ index: Int) -> ArrowArrayNode {
        node.children[index].sliced(from: node.offset, count: node.count)
    }
}

extension ArrowArrayNode {
    /// This node seen from element `start` for `count` elements (within
    /// what was validated: a struct's children were checked to cover the
    /// parent's offset + length).
    func sliced(from start: Int, count: Int) -> ArrowArrayNode {
        if start == 0 && count == self.count { return self }
        var copy = self
        copy.offset = offset + start
        copy.count = count
        return copy
    }
}

extension ArrowRecordBatch: FromPython, PythonTyped {
    public static var pythonTypeName: String { "an Arrow record batch" }
    public static var pythonTypeHint: String { "typing.Any" }

    public static func fromPython(_ object: BorrowedObject) throws -> ArrowRecordBatch {
        let node = try ArrowCapsules.importSingleArray(object, expected: pythonTypeName)
        guard node.type.isStruct else {
            throw ConversionError(.wrongType(expected: "an Arrow record batch (struct array)", got: "\(object.pythonTypeName) of \(node.type)"))
        }
        guard node.array.pointee.null_count == 0 || node.array.pointee.n_buffers == 0 || node.buffer(0) == nil else {
            throw ConversionError(.invalidValue("the record batch has null rows (a struct array with nulls); pass a RecordBatch or Table"))
        }
        return ArrowRecordBatch(unsafeValidated: node)
    }
}
