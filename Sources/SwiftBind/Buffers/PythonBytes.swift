/// A new `bytes` object written in place: the copying path at its floor.
///
/// When a result must be a fresh `bytes` (the caller passed `bytes` and
/// expects `bytes` back), make the object first and let Swift write into
/// its memory with the GIL released: one allocation, one pass, no
/// intermediate Swift array (so peak memory is input + output).
///
/// ```swift
/// m.def("xor_copy(data, key=0x5A)") { (data: PythonBuffer<UInt8>, key: UInt8) in
///     let input = data.unsafeElements
///     return try PythonBytes(count: input.count) { out in
///         input.withUnsafeBufferPointer { src in
///             for i in 0..<src.count { out[i] = src[i] ^ key }
///         }
///     }
/// }
/// ```
///
/// The corresponding C functions are `PyBytes_FromStringAndSize(NULL, n)`
/// and `PyBytes_AS_STRING`.
public struct PythonBytes: ToPython {
    public let object: PythonObject

    /// Makes `count` bytes and calls `fill` (without the GIL) to write all of
    /// them.  Bytes that `fill` leaves alone are undefined.
    ///
    /// - Throws: `ValueError` for a negative `count`, `MemoryError` when the
    ///   bytes cannot be allocated, then whatever `fill` throws.
    public init<E: Error>(count: Int, fill: @Sendable (UnsafeMutableBufferPointer<UInt8>) throws(E) -> Void) throws {
        guard count >= 0 else { throw PythonException(.valueError, "PythonBytes: count must be >= 0, not \(count)") }
        let made = PythonObject(owning: try checkedNew(PyBytes_FromStringAndSize(nil, count)))
        let target = UnsafeMutableBufferElements(
            start: UnsafeMutableRawPointer(sb_bytes_as_string(made.unsafePointer)).assumingMemoryBound(to: UInt8.self),
            count: count)
        // SAFETY: nobody else has seen the new object yet; it lives (in
        // `made`) until after `fill` returns.
        try withoutGIL { () throws(E) in try target.withUnsafeMutableBufferPointer(fill) }
        object = made
    }

    public func toPython() throws -> NewReference { object.newReference() }
}
