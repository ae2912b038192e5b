// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// A writable, C-contiguous, typed view of another object's memory: the
/// zero-copy way to let Swift fill or update a caller's array in place.
///
/// ```swift
/// m.def("xor_inplace(buffer, key=0x5A)") { (data: MutablePythonBuffer<UInt8>, key: UInt8) in
///     data.withoutGIL { bytes in
///         for i in bytes.indices { bytes[i] ^= key }
///     }
/// }
/// ```
///
/// Everything in ``PythonBuffer`` holds (accepted exporters, dtype rules,
/// scope: acquired for the call, released exactly once); in addition the
/// buffer must be writable: bytes, read-only memoryviews, `mmap` opened with
/// `ACCESS_READ` and NumPy arrays with `writeable=False` raise `ValueError`.
public struct MutablePythonBuffer<Element: BufferElement> {
    @usableFromInline let lease: BufferLease
    @usableFromInline let start: UnsafeMutablePointer<Element>?
    /// Number of elements (the product of ``shape``).
    public let count: Int

    @inlinable
    init(lease: BufferLease) {
        self.lease = lease
        self.start = lease.base.map { $0.assumingMemoryBound(to: Element.self) }
        self.count = lease.byteCount / MemoryLayout<Element>.stride
    }

    public var shape: [Int] { lease.shape }
    public var strides: [Int] { lease.strides }
    public var ndim: Int { lease.ndim }
    public var exporter: PythonObject? { lease.exporter.map { PythonObject(borrowing: $0) } }

    /// The same memory, read-only.
    public var readOnly: PythonBuffer<Element> { PythonBuffer(lease: lease) }

    /// Calls `body` with the elements, GIL held.
    @inlinable
    public func withUnsafeMutableBufferPointer<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableBufferPointer(start: start, count: count))
    }

    /// Releases the GIL and calls `body` with the elements.
    ///
    /// SAFETY: the buffer stays acquired for the whole call (`self` is alive
    /// across it).  Another Python thread may read or write the same memory
    /// meanwhile, exactly as with a C extension that releases the GIL.
    @inlinable
    public func withoutGIL<R: Sendable, E: Error>(_ body: @Sendable (UnsafeMutableBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        let elements = unsafeElements
        return try withExtendedLifetime(lease) { () throws(E) -> R in
            try SwiftBind.withoutGIL { () throws(E) -> R in try elements.withUnsafeMutableBufferPointer(body) }
        }
    }

    /// A `Sendable` handle to the elements; valid only while this view is
    /// alive (see ``PythonBuffer/unsafeElements``).
    @inlinable
    public var unsafeElements: UnsafeMutableBufferElements<Element> {
        UnsafeMutableBufferElements(start: start, count: count)
    }

    /// The element at N-D position `indices`, bounds-checked.
    @inlinable
    public subscript(at indices: Int...) -> Element {
        get { start.unsafelyUnwrapped[elementOffset(indices, shape: shape)] }
        nonmutating set { start.unsafelyUnwrapped[elementOffset(indices, shape: shape)] = newValue }
    }
}

extension MutablePythonBuffer: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The element at flat (row-major) position `position`, bounds-checked.
    /// Writing goes straight to the caller's memory.
    @inlinable
    public subscript(position: Int) -> Element {
        get {
            precondition(position >= 0 && position < count, "MutablePythonBuffer index out of range")
            return start.unsafelyUnwrapped[position]
        }
        nonmutating set {
            precondition(position >= 0 && position < count, "MutablePythonBuffer index out of range")
            start.unsafelyUnwrapped[position] = newValue
        }
    }
}

extension MutablePythonBuffer: FromPython {
    public static var pythonTypeName: String { "writable buffer of \(Element.dtypeName)" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> MutablePythonBuffer<Element> {
        MutablePythonBuffer(lease: try .acquire(object, as: Element.self, BufferRequirements(writable: true, contiguous: true)))
    }
}
#endif
