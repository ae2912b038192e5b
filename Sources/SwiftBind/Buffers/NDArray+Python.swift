// NDArray to and from Python: out without a copy, in with one.

extension NDArray: ToPython {
    /// A `swiftbind.NDArray` object exporting this array's memory (no copy).
    ///
    /// The corresponding C function is `PyType_GenericAlloc`; the object
    /// implements `bf_getbuffer`, `__dlpack__` and `__dlpack_device__`.
    public func toPython() throws -> NewReference {
        let exported = ExportedStorage(owner: storage, base: UnsafeMutableRawPointer(storage.base),
                                       shape: shape, of: Element.self)
        return try BufferExporterType.make(exported)
    }

    /// This array as a NumPy array over the same memory (needs NumPy at run time).
    public var numpy: NumPyArray<Element> { NumPyArray(self) }
}

extension NDArray: FromPython {
    public static var pythonTypeName: String { "array of \(Element.dtypeName)" }

    /// Copies any numeric buffer (converting other dtypes, any strides) or a
    /// nested list/tuple of numbers into a new Swift-owned array.
    public static func fromPython(_ object: BorrowedObject) throws -> NDArray<Element> {
        let p = object.unsafePointer
        if PyObject_CheckBuffer(p) != 0 && sb_unicode_check(p) == 0 {
            return try copyFromBuffer(object)
        }
        if sb_list_check(p) != 0 || sb_tuple_check(p) != 0 {
            var values: [Element] = []
            var shape: [Int] = []
            try flatten(p, depth: 0, shape: &shape, into: &values)
            return NDArray(values, shape: shape)
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
        let layout = StridedLayout(base: lease.base, shape: lease.shape, strides: lease.strides)
        var values: [Element] = []
        values.reserveCapacity(layout.count)
        guard let read = NumericReader<Element>(format) else {
            throw ConversionError(.wrongType(expected: "a numeric buffer", got: "\(object.pythonTypeName) of \(format)"))
        }
        try layout.forEachOffset { (p: UnsafeMutableRawPointer) throws in values.append(try read(p)) }
        return NDArray(values, shape: layout.shape)
    }

    private static func flatten(_ p: PyObjectPointer, depth: Int, shape: inout [Int], into values: inout [Element]) throws {
        let isList = sb_list_check(p) != 0
        let n = isList ? sb_list_size(p) : sb_tuple_size(p)
        if depth == shape.count { shape.append(n) }
        else if shape[depth] != n {
            throw ConversionError(.invalidValue("ragged nested sequence: expected \(shape[depth]) items at depth \(depth), got \(n)"))
        }
        for i in 0..<n {
            let item = isList ? sb_list_get(p, i)! : sb_tuple_get(p, i)!
            if sb_list_check(item) != 0 || sb_tuple_check(item) != 0 {
                try flatten(item, depth: depth + 1, shape: &shape, into: &values)
            } else {
                if depth + 1 != shape.count {
                    throw ConversionError(.invalidValue("ragged nested sequence at depth \(depth + 1)"))
                }
                do { values.append(try Element.fromPythonNumber(BorrowedObject(item))) }
                catch let e as ConversionError { throw e.at("[\(i)]") }
            }
        }
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
        return try converting(Int64.fromPython(object))
    }
}
