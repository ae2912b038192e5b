// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// NDArray to and from Python: out without a copy, in with one.

extension NDArray: ToPython {
    /// A `swiftbind.NDArray` object exporting this array's memory (no copy).
    ///
    /// The corresponding C function is `PyType_GenericAlloc`; the object
    /// implements `bf_getbuffer`, `__dlpack__` and `__dlpack_device__`.
    public func toPython() throws -> NewReference { try exporter(readOnly: false) }

    /// A `swiftbind.NDArray` exporter over this array's memory.
    func exporter(readOnly: Bool) throws -> NewReference {
        let exported = ExportedStorage(owner: storage, base: UnsafeMutableRawPointer(storage.base),
                                       count: storage.count, shape: shape, of: Element.self,
                                       readOnly: readOnly || isReadOnlyExport)
        return try BufferExporterType.make(exported)
    }

    /// This array as a NumPy array over the same memory (needs NumPy at run time).
    public var numpy: NumPyArray<Element> { NumPyArray(self) }

    /// This array, handed to Python read-only: the buffer protocol refuses
    /// writable requests (`numpy.asarray(x)` is not writeable), DLPack
    /// exports set `READ_ONLY` (and legacy, unversioned capsules are
    /// refused, since they cannot say so).  For tables and caches that
    /// Swift keeps using after it returns them.
    public var readOnly: NDArray<Element> {
        var copy = self
        copy.isReadOnlyExport = true
        return copy
    }
}

extension NDArray: FromPython {
    public static var pythonTypeName: String { "array of \(Element.dtypeName)" }

    /// Copies any numeric buffer (converting other dtypes, any strides) or a
    /// nested list/tuple of numbers into a new Swift-owned array.
    ///
    /// Never traps on what the caller passes: more than 64 dimensions, a
    /// size too big to count, or a list that an element's `__float__` /
    /// `__index__` changes while it is read are `ValueError` /
    /// `RuntimeError`; a copy that cannot be allocated is `MemoryError`.
    public static func fromPython(_ object: BorrowedObject) throws -> NDArray<Element> {
        let p = object.unsafePointer
        if PyObject_CheckBuffer(p) != 0 && sb_unicode_check(p) == 0 {
            return try copyFromBuffer(object)
        }
        if sb_list_check(p) != 0 || sb_tuple_check(p) != 0 {
            var nested = NestedSequenceReader<Element>()
            try nested.read(p, depth: 0)
            do throws(ShapeError) { return try NDArray(checkedValues: nested.values, shape: nested.shape) }
            catch { throw error.conversionError }
        }
        throw ConversionError.wrongType(expected: "a buffer or a list of numbers (\(Element.dtypeName))", got: object)
    }

    private static func copyFromBuffer(_ object: BorrowedObject) throws -> NDArray<Element> {
        let lease: BufferLease
        do { lease = try BufferLease(acquiring: object.unsafePointer, flags: PyBUF_RECORDS_RO) }
        catch let e as PythonException {
            throw ConversionError(.invalidValue("could not get a buffer from \(object.pythonTypeName): \(e)", .bufferError))
        }
        let format = lease.format
        guard let read = NumericReader<Element>(format) else {
            throw ConversionError(.wrongType(expected: "a numeric buffer", got: "\(object.pythonTypeName) of \(format)"))
        }
        // The copy is allocated whole, up front, by the failable allocator:
        // a broadcast view of 10^10 elements is a MemoryError, not an abort.
        let layout: StridedLayout
        var copy: NDArray<Element>
        do throws(ShapeError) {
            layout = try StridedLayout(checking: lease)
            copy = try NDArray(checkedZeros: layout.shape)
        } catch { throw error.conversionError }
        let out = copy.storage.base
        var k = 0
        // SAFETY: `copy` is fresh and exclusive; forEachOffset visits exactly
        // layout.count == copy.count elements, so `k` stays in bounds.
        try layout.forEachOffset { (p: UnsafeMutableRawPointer) throws in
            out[k] = try read(p)
            k += 1
        }
        return copy
    }
}

/// Reads a nested list/tuple of numbers into a flat array and its shape.
///
/// Converting an element may run Python code (`__float__`, `__index__`)
/// that changes the list being read, even frees it; so every item is held
/// by a strong reference while it is converted, a list's size is read again
/// before every item, and a list that changed size is a `RuntimeError`.
/// Nesting stops at 64 dimensions (NumPy's limit), which also bounds the
/// recursion: a list nested 100,000 deep (or one that contains itself) is a
/// `ValueError`, not a stack overflow.
struct NestedSequenceReader<Element: BufferElement> {
    var values: [Element] = []
    var shape: [Int] = []
    /// The depth at which numbers were found; all must be at the same one.
    var leafDepth: Int? = nil
    /// The index at each depth, for messages (`item [1][0]`).
    var position: [Int] = []

    /// Reads `p` (a list or tuple, borrowed; the caller keeps it alive),
    /// found at nesting depth `depth`.
    mutating func read(_ p: PyObjectPointer, depth: Int) throws {
        let isList = sb_list_check(p) != 0
        let n = isList ? sb_list_size(p) : sb_tuple_size(p)
        if let leafDepth, depth >= leafDepth {
            throw ConversionError(.invalidValue("ragged nested sequence: expected a number at item \(positionText), got a sequence"))
        }
        if depth == shape.count {
            guard shape.count < maximumArrayDimensions else {
                throw ConversionError(.invalidValue(
                    "the nested sequence has more than \(maximumArrayDimensions) dimensions (the most an array may have)"))
            }
            shape.append(n)
        } else if shape[depth] != n {
            throw ConversionError(.invalidValue("ragged nested sequence: expected \(shape[depth]) items at item \(positionText), got \(n)"))
        }
        position.append(0)
        defer { position.removeLast() }
        var i = 0
        while i < n {
            position[depth] = i
            if isList && i >= sb_list_size(p) { throw changedSize(n, sb_list_size(p)) }
            // SAFETY: i < the current size (checked just above); the new
            // reference keeps the item alive even if converting it (or an
            // item inside it) removes it from `p`.
            let item: PyObjectPointer = sb_newref(isList ? sb_list_get(p, i) : sb_tuple_get(p, i)).unsafelyUnwrapped
            defer { sb_decref(item) }
            if sb_list_check(item) != 0 || sb_tuple_check(item) != 0 {
                try read(item, depth: depth + 1)
            } else {
                // Numbers sit at the deepest level found so far; after the
                // first one, no sequence may be deeper (checked on entry).
                if depth + 1 != shape.count {
                    throw ConversionError(.invalidValue("ragged nested sequence: expected a sequence at item \(positionText), got a number"))
                }
                if leafDepth == nil { leafDepth = depth + 1 }
                do { values.append(try Element.fromPythonNumber(BorrowedObject(item))) }
                catch let e as ConversionError { throw e.at(positionText) }
            }
            i += 1
        }
        if isList && sb_list_size(p) != n { throw changedSize(n, sb_list_size(p)) }
    }

    private var positionText: String { position.map { "[\($0)]" }.joined() }

    private func changedSize(_ before: Int, _ now: Int) -> ConversionError {
        ConversionError(.invalidValue(
            "list changed size during conversion (from \(before) to \(now) items\(position.count > 1 ? " at item \(position.dropLast().map { "[\($0)]" }.joined())" : ""))",
            .runtimeError))
    }
}

/// Reads one element of a buffer's format and converts it to `E` (the
/// explicit, copying conversion of ``NDArray``).
struct NumericReader<E: BufferElement> {
    let read: (UnsafeRawPointer) throws -> E

    init?(_ format: BufferFormat) {
        guard format.isNativeByteOrder else { return nil }
        switch (format.kind, format.itemSize) {
        case (.float, 8): read = { try E.converting($0.loadUnaligned(as: Double.self)) }
        case (.float, 4): read = { try E.converting(Double($0.loadUnaligned(as: Float.self))) }
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        case (.float, 2): read = { try E.converting(Double($0.loadUnaligned(as: Float16.self))) }
        #endif
        case (.signed, 1): read = { try E.converting(Int64($0.loadUnaligned(as: Int8.self))) }
        case (.signed, 2): read = { try E.converting(Int64($0.loadUnaligned(as: Int16.self))) }
        case (.signed, 4): read = { try E.converting(Int64($0.loadUnaligned(as: Int32.self))) }
        case (.signed, 8): read = { try E.converting($0.loadUnaligned(as: Int64.self)) }
        case (.unsigned, 1): read = { try E.converting(UInt64($0.loadUnaligned(as: UInt8.self))) }
        case (.unsigned, 2): read = { try E.converting(UInt64($0.loadUnaligned(as: UInt16.self))) }
        case (.unsigned, 4): read = { try E.converting(UInt64($0.loadUnaligned(as: UInt32.self))) }
        case (.unsigned, 8): read = { try E.converting($0.loadUnaligned(as: UInt64.self)) }
        case (.bool, 1): read = { try E.converting(UInt64($0.loadUnaligned(as: UInt8.self) != 0 ? 1 : 0)) }
        default: return nil
        }
    }

    func callAsFunction(_ p: UnsafeMutableRawPointer) throws -> E { try read(UnsafeRawPointer(p)) }
}

extension BufferElement {
    /// Converts a number read from another dtype: integers must fit
    /// (OverflowError otherwise); floats to integers must be whole.
    static func converting(_ value: Double) throws -> Self {
        switch Self.bufferKind {
        case .float:
            if let r = Self.self as? any BinaryFloatingPoint.Type { return r.init(value) as! Self }
        case .bool:
            return (value != 0) as! Self
        case .signed, .unsigned:
            if let r = Self.self as? any FixedWidthInteger.Type, let v = r.init(exactly: value) { return v as! Self }
            throw ConversionError(.outOfRange("\(value) does not convert exactly to \(Self.dtypeName)"))
        case .other: break
        }
        throw ConversionError(.outOfRange("cannot convert to \(Self.dtypeName)"))
    }

    static func converting<I: BinaryInteger>(_ value: I) throws -> Self {
        switch Self.bufferKind {
        case .float:
            if let r = Self.self as? any BinaryFloatingPoint.Type { return r.init(value) as! Self }
        case .bool:
            return (value != 0) as! Self
        case .signed, .unsigned:
            if let r = Self.self as? any FixedWidthInteger.Type, let v = r.init(exactly: value) { return v as! Self }
            throw ConversionError(.outOfRange("\(value) does not fit in \(Self.dtypeName)"))
        case .other: break
        }
        throw ConversionError(.outOfRange("cannot convert to \(Self.dtypeName)"))
    }

    /// A Python number (int, float, bool, NumPy scalar) as this element type.
    static func fromPythonNumber(_ object: BorrowedObject) throws -> Self {
        let p = object.unsafePointer
        if Self.bufferKind == .float || sb_float_check(p) != 0 {
            return try converting(Double.fromPython(object))
        }
        if sb_bool_check(p) != 0 { return try converting(p == sb_True() ? 1 : 0) }
        // uint64 values above Int64.max are read as UInt64, not refused.
        if Self.bufferKind == .unsigned { return try converting(UInt64.fromPython(object)) }
        return try converting(Int64.fromPython(object))
    }
}
#endif
