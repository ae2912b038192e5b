/// A zero-copy view of a whole Arrow table: every batch of an
/// `__arrow_c_stream__` producer (`pyarrow.Table`, `polars.DataFrame`,
/// `pyarrow.RecordBatchReader`, a nanoarrow stream), read when the argument
/// is converted, and the columns ``Columns`` requires checked.
///
/// The batches are the producer's, in place (a pyarrow Table's chunks are
/// exported without a copy); they are released when the last copy of the
/// view goes away.  The view is `Sendable`: work on it inside
/// ``withoutGIL(_:)``, in parallel with ``parallelFor(_:chunks:_:)``.
/// For data too large to hold at once, take an ``ArrowStream``.
public struct ArrowTable<Columns: ArrowColumns>: Sendable {
    /// The batches, in stream order.
    public let batches: [ArrowRecordBatch]
    /// The columns' fields, in order.
    public let fields: [ArrowField]

    /// Total number of rows.
    public var rowCount: Int { batches.reduce(0) { $0 + $1.rowCount } }

    /// Column `name`, one view per batch (its chunks).
    ///
    /// - Throws: `KeyError` / `TypeError` as ``ArrowRecordBatch/column(_:as:)``.
    public func column<V: ArrowColumnView>(_ name: String, as type: V.Type) throws -> [V] {
        guard fields.contains(where: { $0.name == name }) else {
            throw PythonException.keyError("the table has no column '\(name)' (its columns: \(fields.map(\.name).joined(separator: ", ")))")
        }
        return try batches.map { try $0.column(name, as: type) }
    }
}

/// Any table.
public typealias ArrowAnyTable = ArrowTable<AnyArrowColumns>

extension ArrowTable: FromPython, PythonTyped {
    public static var pythonTypeName: String { "an Arrow table (an object with __arrow_c_stream__)" }
    public static var pythonTypeHint: String { "typing.Any" }

    public static func fromPython(_ object: BorrowedObject) throws -> ArrowTable<Columns> {
        if !ArrowCapsules.has(object, "__arrow_c_stream__") {
            // A single record batch (`__arrow_c_array__` of a struct) is a one-batch table.
            if ArrowCapsules.has(object, "__arrow_c_array__") {
                let batch = try ArrowRecordBatch.fromPython(object)
                try Columns.check(batch.fields, producer: object.pythonTypeName)
                try Columns.checkNulls(batch, index: 0)
                return ArrowTable(batches: [batch], fields: batch.fields)
            }
            throw ConversionError.wrongType(expected: pythonTypeName, got: object)
        }
        let stream = try ArrowImportedStream(object)
        guard case .struct(let fields) = stream.field.type else {
            throw ConversionError(.wrongType(expected: "a stream of record batches", got: "\(object.pythonTypeName) of \(stream.field.type)"))
        }
        try Columns.check(fields, producer: object.pythonTypeName)
        var batches: [ArrowRecordBatch] = []
        while let node = try stream.next() {
            let batch = ArrowRecordBatch(unsafeValidated: node)
            try Columns.checkNulls(batch, index: batches.count)
            batches.append(batch)
        }
        return ArrowTable(batches: batches, fields: fields)
    }
}

/// A zero-copy view of a chunked Arrow column: every chunk of an
/// `__arrow_c_stream__` producer of plain arrays (`pyarrow.ChunkedArray`,
/// `polars.Series`), or the one array of an `__arrow_c_array__` producer.
public struct ArrowChunkedArray<Chunk: ArrowColumnView>: Sendable {
    /// The chunks, in order.
    public let chunks: [Chunk]

    /// Total number of elements.
    public var count: Int { chunks.reduce(0) { $0 + $1.count } }
}

extension ArrowChunkedArray: FromPython, PythonTyped {
    public static var pythonTypeName: String { "a chunked Arrow array of \(Chunk.arrowTypeName)" }
    public static var pythonTypeHint: String { "typing.Any" }

    public static func fromPython(_ object: BorrowedObject) throws -> ArrowChunkedArray<Chunk> {
        if !ArrowCapsules.has(object, "__arrow_c_stream__") {
            return ArrowChunkedArray(chunks: [try Chunk.fromPython(object)])
        }
        let stream = try ArrowImportedStream(object)
        guard Chunk.accepts(stream.field.type) else {
            throw ConversionError(.wrongType(expected: pythonTypeName, got: "\(object.pythonTypeName) of \(stream.field.type)"))
        }
        var chunks: [Chunk] = []
        while let node = try stream.next() { chunks.append(try Chunk.checkedView(node, producer: object.pythonTypeName)) }
        return ArrowChunkedArray(chunks: chunks)
    }
}
