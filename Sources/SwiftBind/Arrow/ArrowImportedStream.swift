/// An `ArrowArrayStream` moved out of a producer's `__arrow_c_stream__`
/// capsule, released exactly once (in `deinit`).
///
/// Batches are pulled with ``next()`` while the GIL is held: a producer
/// backed by Python code (a generator given to
/// `pyarrow.RecordBatchReader.from_batches`) needs it, and a native one
/// takes no longer with it.  Each batch is its own ``ArrowImportedArray``:
/// it may outlive the stream (the C stream interface allows it).
///
/// Not `Sendable`: it is read on the thread that holds the GIL.
final class ArrowImportedStream {
    let stream: UnsafeMutablePointer<CPython.ArrowArrayStream>
    let schema: ArrowOwnedSchema
    private(set) var field: ArrowField
    let producer: String

    init(_ object: BorrowedObject) throws {
        producer = "\(object.pythonTypeName).__arrow_c_stream__()"
        let capsule = try ArrowCapsules.call(object, "__arrow_c_stream__")
        let source = try ArrowCapsules.pointer(capsule, ArrowCapsules.streamName, as: CPython.ArrowArrayStream.self, from: producer)
        guard source.pointee.release != nil, source.pointee.get_schema != nil, source.pointee.get_next != nil else {
            throw ConversionError(.invalidValue("\(producer) returned a released or incomplete stream"))
        }
        stream = .allocate(capacity: 1)
        stream.initialize(to: source.pointee)
        source.pointee.release = nil
        schema = ArrowOwnedSchema()
        // From here `deinit` releases the stream if init fails.
        field = ArrowField("", .null)
        let status = stream.pointee.get_schema(stream, schema.schema)
        if status != 0 { throw failure("get_schema", status) }
        do throws(ArrowSchemaError) { field = try ArrowField(reading: schema.schema) }
        catch { throw ConversionError(.invalidValue("\(producer): \(error.message)")) }
    }

    deinit {
        if let release = stream.pointee.release { release(stream) }
        stream.deallocate()
    }

    private func failure(_ call: String, _ status: Int32) -> ConversionError {
        let detail = stream.pointee.get_last_error?(stream).map { String(cString: $0) } ?? "error \(status)"
        return ConversionError(.invalidValue("\(producer): \(call) failed: \(detail)"))
    }

    /// The next batch (checked), or nil at the end of the stream.
    ///
    /// The corresponding C callback is `ArrowArrayStream.get_next`.
    func next() throws -> ArrowArrayNode? {
        let array = UnsafeMutablePointer<CPython.ArrowArray>.allocate(capacity: 1)
        array.initialize(to: CPython.ArrowArray())
        let status = stream.pointee.get_next(stream, array)
        if status != 0 || array.pointee.release == nil {
            array.deallocate()
            if status != 0 { throw failure("get_next", status) }
            return nil
        }
        let owner = ArrowImportedArray(owning: array, schema: schema, field: field)
        return try ArrowCapsules.node(owner, producer: producer)
    }
}
