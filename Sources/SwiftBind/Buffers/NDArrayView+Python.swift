// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// NDArrayView from Python: DLPack first (it carries the device and the
// read-only flag), the buffer protocol for objects without `__dlpack__`;
// then the dtype, the shape pattern and the memory order are checked.

extension NDArrayView: FromPython {
    public static var pythonTypeName: String { arrayViewDescription(Element.self, Shape.self, Order.self, writable: false) }
    public static func fromPython(_ object: BorrowedObject) throws -> NDArrayView<Element, Shape, Order> {
        let (source, layout) = try takeArrayView(object, Element.self, Shape.self, Order.self, writable: false)
        return NDArrayView(source: source, layout: layout)
    }
}

extension MutableNDArrayView: FromPython {
    public static var pythonTypeName: String { arrayViewDescription(Element.self, Shape.self, Order.self, writable: true) }
    public static func fromPython(_ object: BorrowedObject) throws -> MutableNDArrayView<Element, Shape, Order> {
        let (source, layout) = try takeArrayView(object, Element.self, Shape.self, Order.self, writable: true)
        return MutableNDArrayView(source: source, layout: layout)
    }
}

extension NDArrayView: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "typing.Any" }
}

extension MutableNDArrayView: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "typing.Any" }
}

/// "a writable C-contiguous array of float64 with shape (*, 3)".
func arrayViewDescription<E: BufferElement, S: ShapePattern, O: MemoryOrder>(
    _ e: E.Type, _ s: S.Type, _ o: O.Type, writable: Bool) -> String {
    var words: [String] = []
    if writable { words.append("writable") }
    switch O.layout {
    case .any: break
    case .c: words.append("C-contiguous")
    case .f: words.append("Fortran-contiguous")
    }
    words.append("array of \(E.dtypeName)")
    if let d = S.dimensions { words.append("with shape \(patternText(d))") }
    return (words[0].hasPrefix("array") ? "an " : "a ") + words.joined(separator: " ")
}

/// Takes `object`'s memory as a checked view.  Throws ``ConversionError``s
/// (the trampoline adds the function and parameter): `TypeError` for no
/// array or the wrong dtype, `ValueError` for a shape, order, alignment or
/// writability that does not fit, `BufferError` for a device that is not
/// the CPU.
func takeArrayView<E: BufferElement, S: ShapePattern, O: MemoryOrder>(
    _ object: BorrowedObject, _ e: E.Type, _ s: S.Type, _ o: O.Type, writable: Bool
) throws -> (ArrayViewSource, StridedLayout) {
    let what = arrayViewDescription(E.self, S.self, O.self, writable: writable)
    let source: ArrayViewSource
    let layout: StridedLayout
    if PythonObject(borrowing: object.unsafePointer).hasAttribute("__dlpack__") {
        let tensor = try DLPackImport(taking: object, expected: what)
        source = .dlpack(tensor)
        layout = try dlpackLayout(tensor, object, E.self, what: what)
        if writable && tensor.isReadOnly {
            throw ConversionError(.invalidValue(
                "needs a writable array of \(E.dtypeName), but this \(object.pythonTypeName) is read-only "
                + "(its DLPack tensor has the READ_ONLY flag; pass a writable copy)"))
        }
    } else if PyObject_CheckBuffer(object.unsafePointer) != 0 {
        let lease = try BufferLease.acquire(object, as: E.self, BufferRequirements(writable: writable, contiguous: false))
        source = .buffer(lease)
        do throws(ShapeError) { layout = try StridedLayout(checking: lease) }
        catch { throw error.conversionError }
    } else {
        throw ConversionError.wrongType(expected: "\(what) (an object with __dlpack__ or the buffer protocol)", got: object)
    }
    if !shapeMatches(layout.shape, S.dimensions) {
        throw ConversionError(.invalidValue(
            "expected an array of shape \(patternText(S.dimensions ?? [])), but this \(object.pythonTypeName) has shape \(tupleText(layout.shape))"))
    }
    if !stridesMatch(layout.shape, layout.strides, itemSize: MemoryLayout<E>.stride, O.layout) {
        let (name, fix) = O.layout == .f ? ("Fortran-contiguous", "numpy.asfortranarray(x)") : ("C-contiguous", "numpy.ascontiguousarray(x)")
        throw ConversionError(.invalidValue(
            "needs a \(name) array, but this \(object.pythonTypeName) has shape \(tupleText(layout.shape)) "
            + "and strides \(tupleText(layout.strides)) (pass \(fix))"))
    }
    return (source, layout)
}

/// The layout of an imported tensor, checked like a buffer's: the dtype,
/// at most 64 dimensions, sizes that are not negative and a count that
/// fits, element strides whose byte size fits, aligned data.
private func dlpackLayout<E: BufferElement>(_ tensor: DLPackImport, _ object: BorrowedObject, _ e: E.Type,
                                             what: String) throws -> StridedLayout {
    let t = tensor.tensor
    guard DLPackDataType.matches(t.dtype, E.self) else {
        throw ConversionError(.wrongType(expected: what, got: "\(object.pythonTypeName) of \(DLPackDataType.name(t.dtype))"))
    }
    let ndim = Int(t.ndim)
    guard ndim >= 0 && ndim <= maximumArrayDimensions else {
        throw ConversionError(.invalidValue("\(object.pythonTypeName) gave a DLPack tensor of \(ndim) dimensions (at most \(maximumArrayDimensions))"))
    }
    let shape = (0..<ndim).map { Int(t.shape.unsafelyUnwrapped[$0]) }
    let itemSize = MemoryLayout<E>.stride
    let count: Int
    do throws(ShapeError) { count = try checkedElementCount(shape, itemSize: itemSize, dtype: E.dtypeName) }
    catch { throw error.conversionError }
    var strides = contiguousStrides(shape: shape, itemSize: itemSize)
    if let s = t.strides {
        for i in 0..<ndim {
            let (bytes, overflow) = Int(s[i]).multipliedReportingOverflow(by: itemSize)
            guard !overflow else { throw ConversionError(.invalidValue("\(object.pythonTypeName) gave a DLPack stride that overflows")) }
            strides[i] = bytes
        }
    }
    let base = t.data.map { $0 + Int(t.byte_offset) }
    let alignment = MemoryLayout<E>.alignment
    if count > 0, let base, Int(bitPattern: base) % alignment != 0 || strides.contains(where: { $0 % alignment != 0 }) {
        throw ConversionError(.invalidValue(
            "the \(object.pythonTypeName)'s \(E.dtypeName) data is not aligned to \(alignment) bytes (pass a copy)"))
    }
    return StridedLayout(base: base, shape: shape, strides: strides, count: count)
}
#endif
