/// An Arrow stream consumed batch by batch: for tables larger than memory,
/// or producers that compute batches lazily (a `pyarrow.RecordBatchReader`,
/// a `pyarrow.dataset` scanner, DuckDB results).
///
/// ```swift
/// m.def("count_rows(stream)") { (stream: ArrowStream<AnyArrowColumns>) throws -> Int in
///     var rows = 0
///     try stream.forEachBatch { batch in batch.rowCount }   // runs without the GIL
///         .forEach { rows += $0 }
///     return rows
/// }
/// ```
///
/// The schema (and the columns ``Columns`` requires) is checked when the
/// argument is converted; each batch is pulled with the GIL held, then
/// handed to the body with the GIL released, and released itself when the
/// body is done with it (unless the body kept it).  A stream can be
/// consumed once.  Not `Sendable` (it pulls through the producer).
public final class ArrowStream<Columns: ArrowColumns> {
    let stream: ArrowImportedStream
    /// The columns' fields, in order.
    public let fields: [ArrowField]
    private var batchesRead = 0

    init(_ stream: ArrowImportedStream, fields: [ArrowField]) {
        self.stream = stream
        self.fields = fields
    }

    /// Calls `body` on every remaining batch, each with the GIL released,
    /// and returns the results in order.
    ///
    /// - Throws: what `body` throws (the rest of the stream is not read), a
    ///   `ValueError` for a malformed batch or a failing producer.
    public func forEachBatch<R: Sendable>(_ body: @Sendable (ArrowRecordBatch) throws -> R) throws -> [R] {
        var results: [R] = []
        while let batch = try nextBatch() {
            results.append(try withoutGIL { try body(batch) })
        }
        return results
    }

    /// The next batch (GIL held), or nil at the end.
    public func nextBatch() throws -> ArrowRecordBatch? {
        do {
            guard let node = try stream.next() else { return nil }
            let batch = ArrowRecordBatch(unsafeValidated: node)
            try Columns.checkNulls(batch, index: batchesRead)
            batchesRead += 1
            return batch
        } catch let e as ConversionError {
            throw e.exception(subject: "the Arrow stream")
        }
    }
}

extension ArrowStream: FromPython, PythonTyped {
    public static var pythonTypeName: String { "an Arrow stream (an object with __arrow_c_stream__)" }
    public static var pythonTypeHint: String { "typing.Any" }

    public static func fromPython(_ object: BorrowedObject) throws -> ArrowStream<Columns> {
        guard ArrowCapsules.has(object, "__arrow_c_stream__") else {
            throw ConversionError.wrongType(expected: pythonTypeName, got: object)
        }
        let stream = try ArrowImportedStream(object)
        guard case .struct(let fields) = stream.field.type else {
            throw ConversionError(.wrongType(expected: "a stream of record batches", got: "\(object.pythonTypeName) of \(stream.field.type)"))
        }
        try Columns.check(fields, producer: object.pythonTypeName)
        return ArrowStream(stream, fields: fields)
    }
}
