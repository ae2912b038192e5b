// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// A read-only array argument that borrows the caller's buffer when it can
/// and copies when it must: zero-copy for a NumPy array, array.array or
/// memoryview of exactly `Element`, C-contiguous; a converted Swift copy
/// for a list, a tuple, another dtype or a strided array.
///
/// ```swift
/// m.def("total(values)") { (values: BufferOrCopy<Float>) -> Double in
///     values.withoutGIL { $0.reduce(0) { $0 + Double($1) } }
/// }
/// // total(numpy.ones(10, numpy.float32))  borrows;  total([1, 2, 3])  copies
/// ```
///
/// Use it where both kinds of caller are welcome; use ``PythonBuffer`` to
/// insist on zero-copy, ``NDArray`` to always own a copy.
public enum BufferOrCopy<Element: BufferElement> {
    case borrowed(PythonBuffer<Element>)
    case copied(NDArray<Element>)

    /// Number of elements.
    public var count: Int {
        switch self {
        case .borrowed(let b): return b.count
        case .copied(let a): return a.count
        }
    }

    public var shape: [Int] {
        switch self {
        case .borrowed(let b): return b.shape
        case .copied(let a): return a.shape
        }
    }

    /// True when the caller's memory is used directly.
    public var isBorrowed: Bool {
        if case .borrowed = self { return true }
        return false
    }

    /// Calls `body` with the elements, row-major, GIL held.
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        switch self {
        case .borrowed(let b): return try b.withUnsafeBufferPointer(body)
        case .copied(let a): return try a.withUnsafeBufferPointer(body)
        }
    }

    /// Releases the GIL and calls `body` with the elements.
    ///
    /// SAFETY: `self` (the borrowed buffer or the copy) is alive across the call.
    public func withoutGIL<R: Sendable, E: Error>(_ body: @Sendable (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        let elements = unsafeElements
        return try withExtendedLifetime(self) { () throws(E) -> R in
            try SwiftBind.withoutGIL { () throws(E) -> R in try elements.withUnsafeBufferPointer(body) }
        }
    }

    /// A `Sendable` handle to the elements, valid while `self` is alive.
    public var unsafeElements: UnsafeBufferElements<Element> {
        switch self {
        case .borrowed(let b): return b.unsafeElements
        case .copied(let a): return UnsafeBufferElements(start: a.storage.base, count: a.count)
        }
    }
}

extension BufferOrCopy: FromPython {
    public static var pythonTypeName: String { "array of \(Element.dtypeName)" }

    public static func fromPython(_ object: BorrowedObject) throws -> BufferOrCopy<Element> {
        let p = object.unsafePointer
        if PyObject_CheckBuffer(p) != 0,
           let lease = try? BufferLease(acquiring: p, flags: PyBUF_RECORDS_RO),
           lease.format.matches(Element.self), lease.isCContiguous,
           Int(bitPattern: lease.base) % MemoryLayout<Element>.alignment == 0 {
            return .borrowed(PythonBuffer(lease: lease))
        }
        if exceptionIsPending() { PyErr_Clear() }   // the failed GetBuffer above
        return .copied(try NDArray<Element>.fromPython(object))
    }
}
#endif
