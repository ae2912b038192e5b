// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// A read-only, C-contiguous, typed view of another object's memory: a
/// NumPy array, bytes, bytearray, memoryview, array.array, mmap, a PyArrow
/// buffer, or anything else that speaks the buffer protocol (PEP 3118).
///
/// Take one as a function parameter to read the caller's data without
/// copying it:
///
/// ```swift
/// m.def("total(values)") { (values: PythonBuffer<Double>) -> Double in
///     values.withoutGIL { $0.reduce(0, +) }     // other Python threads run meanwhile
/// }
/// ```
///
/// The argument must export elements of exactly `Element` (float64 for
/// `Double`, see ``BufferElement``) in one C-contiguous block, of any number
/// of dimensions; otherwise the call raises `TypeError` (wrong type or
/// dtype) or `ValueError` (not contiguous, misaligned) naming the
/// parameter.  Use ``StridedPythonBuffer`` to accept any strides, and
/// ``NDArray`` to accept lists or other dtypes by copying.
///
/// **Scope.** The view is a borrow of the caller's buffer for the duration
/// of the call: the runtime acquires the buffer (`PyObject_GetBuffer`) when
/// it converts the argument and releases it (`PyBuffer_Release`) exactly
/// once, when the last copy of the view goes away, which is when the
/// function returns unless the view was stored elsewhere.  A stored view
/// stays valid (it keeps the exporter alive, like a `memoryview`) but pins
/// the caller's object; do not store one.  The view is not `Sendable`; to
/// use the memory without the GIL, use ``withoutGIL(_:)`` or
/// ``unsafeElements``.
///
/// The corresponding C functions are `PyObject_GetBuffer` and `PyBuffer_Release`.
public struct PythonBuffer<Element: BufferElement> {
    @usableFromInline let lease: BufferLease
    @usableFromInline let start: UnsafePointer<Element>?
    /// Number of elements (the product of ``shape``).
    public let count: Int

    @inlinable
    init(lease: BufferLease) {
        self.lease = lease
        self.start = lease.base.map { UnsafePointer($0.assumingMemoryBound(to: Element.self)) }
        self.count = lease.byteCount / MemoryLayout<Element>.stride
    }

    /// The size of each dimension (`[]` for a 0-d array).
    public var shape: [Int] { lease.shape }
    /// Bytes between consecutive elements of each dimension (row-major).
    public var strides: [Int] { lease.strides }
    /// Number of dimensions.
    public var ndim: Int { lease.ndim }
    /// True when the exporter's memory is read-only (bytes, a NumPy array with
    /// `writeable=False`); the view only reads either way.
    public var isReadOnly: Bool { lease.isReadOnly }
    /// The object that exports the memory (`view.obj`).
    public var exporter: PythonObject? { lease.exporter.map { PythonObject(borrowing: $0) } }

    /// Calls `body` with the elements as one Swift buffer, GIL held.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: start, count: count))
    }

    /// Releases the GIL and calls `body` with the elements: for loops over
    /// large data while other Python threads run.
    ///
    /// SAFETY: the buffer stays acquired (and its exporter alive) for the
    /// whole call, because `self` is alive across it.
    @inlinable
    public func withoutGIL<R: Sendable, E: Error>(_ body: @Sendable (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        let elements = unsafeElements
        return try withExtendedLifetime(lease) { () throws(E) -> R in
            try SwiftBind.withoutGIL { () throws(E) -> R in try elements.withUnsafeBufferPointer(body) }
        }
    }

    /// A `Sendable` handle to the elements for use inside ``withoutGIL(_:)``
    /// or with threads you join before the call returns.
    ///
    /// It does not keep the buffer acquired: it is valid only while this
    /// view is alive (in a bound function: until the function returns).
    @inlinable
    public var unsafeElements: UnsafeBufferElements<Element> {
        UnsafeBufferElements(start: start, count: count)
    }

    /// The element at N-D position `indices` (one per dimension), bounds-checked.
    @inlinable
    public subscript(at indices: Int...) -> Element {
        start.unsafelyUnwrapped[elementOffset(indices, shape: shape)]
    }
}

extension PythonBuffer: RandomAccessCollection {
    public typealias Index = Int
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The element at flat (row-major) position `position`, bounds-checked.
    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "PythonBuffer index out of range")
        return start.unsafelyUnwrapped[position]
    }
}

extension PythonBuffer: FromPython {
    public static var pythonTypeName: String { "buffer of \(Element.dtypeName)" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> PythonBuffer<Element> {
        PythonBuffer(lease: try .acquire(object, as: Element.self, BufferRequirements(writable: false, contiguous: true)))
    }
}

/// The row-major flat offset of `indices` in `shape`; traps on a wrong
/// number of indices or an index out of range (a programming error).
@usableFromInline
func elementOffset(_ indices: [Int], shape: [Int]) -> Int {
    precondition(indices.count == shape.count, "expected \(shape.count) indices, got \(indices.count)")
    var offset = 0
    for (i, n) in zip(indices, shape) {
        precondition(i >= 0 && i < n, "index \(i) out of range for dimension of size \(n)")
        offset = offset * n + i
    }
    return offset
}
#endif
