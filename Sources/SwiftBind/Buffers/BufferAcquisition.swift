// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// Turning an argument into a typed buffer lease: the checks every view type
// shares, and the messages a Python caller reads when one fails.

/// What a view type requires of the buffer it is made from.
@usableFromInline
struct BufferRequirements {
    var writable: Bool
    var contiguous: Bool

    @usableFromInline
    init(writable: Bool, contiguous: Bool) {
        self.writable = writable
        self.contiguous = contiguous
    }
}

extension BufferLease {
    /// Acquires `object`'s buffer and checks it against `E` and
    /// `requirements`; throws a ``ConversionError`` (the caller adds the
    /// parameter name) when it does not fit.
    ///
    /// Wrong type or dtype is a `TypeError`; a read-only, non-contiguous or
    /// misaligned buffer of the right dtype is a `ValueError`.
    @usableFromInline
    static func acquire<E: BufferElement>(_ object: BorrowedObject, as type: E.Type,
                                          _ requirements: BufferRequirements) throws -> BufferLease {
        let p = object.unsafePointer
        // The expected type is described only on failure: a successful
        // acquisition builds no message.
        guard PyObject_CheckBuffer(p) != 0 else {
            throw ConversionError.wrongType(expected: describe(E.self, requirements), got: object)
        }
        // Ask for strides and format only; writability and contiguity are
        // checked here so the message can say what was wrong.
        let lease: BufferLease
        do {
            lease = try BufferLease(acquiring: p, flags: PyBUF_RECORDS_RO)
        } catch let e as PythonException {
            throw ConversionError(.invalidValue("could not get a buffer from \(object.pythonTypeName): \(e)", .bufferError))
        }
        let format = lease.format
        guard format.matches(E.self) else {
            throw ConversionError(.wrongType(expected: describe(E.self, requirements), got: "\(object.pythonTypeName) of \(format)"))
        }
        if requirements.writable && lease.isReadOnly {
            throw ConversionError(.invalidValue(
                "needs a writable buffer of \(E.dtypeName), but this \(object.pythonTypeName) is read-only "
                + "(pass a bytearray, a writable numpy array or another mutable buffer)"))
        }
        if requirements.contiguous && !lease.isCContiguous {
            throw ConversionError(.invalidValue(
                "needs a C-contiguous buffer, but this \(object.pythonTypeName) has shape \(tupleText(lease.shape)) "
                + "and strides \(tupleText(lease.strides)) (pass numpy.ascontiguousarray(x))"))
        }
        let alignment = MemoryLayout<E>.alignment
        if let base = lease.base, Int(bitPattern: base) % alignment != 0
            || lease.strides.contains(where: { $0 % alignment != 0 }) {
            throw ConversionError(.invalidValue(
                "the \(object.pythonTypeName)'s \(E.dtypeName) data is not aligned to \(alignment) bytes (pass a copy: numpy.require(x, requirements='A'))"))
        }
        return lease
    }

    static func describe<E: BufferElement>(_ type: E.Type, _ r: BufferRequirements) -> String {
        var words = ["a"]
        if r.writable { words.append("writable") }
        if r.contiguous { words.append("contiguous") }
        words.append("buffer of \(E.dtypeName) (format '\(E.exportFormat)')")
        return words.joined(separator: " ")
    }
}

func tupleText(_ values: [Int]) -> String {
    values.count == 1 ? "(\(values[0]),)" : "(\(values.map(String.init).joined(separator: ", ")))"
}
#endif
