// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// A typed view of another object's memory with any strides: slices such
/// as `a[::2]`, transposes `a.T`, columns of a matrix.  Read-only
/// (``StridedPythonBuffer``) or writable (``MutableStridedPythonBuffer``).
///
/// ```swift
/// m.def("trace(matrix)") { (a: StridedPythonBuffer<Double>) -> Double in
///     (0..<min(a.shape[0], a.shape[1])).reduce(0) { $0 + a[$1, $1] }
/// }
/// ```
///
/// Same dtype rules and scope as ``PythonBuffer``; elements are reached
/// through N-D indices (`a[i, j]`) or ``forEach(_:)`` in row-major order,
/// and ``withContiguousBuffer(_:)`` gives the flat memory when the layout
/// happens to be C-contiguous.
public struct StridedPythonBuffer<Element: BufferElement> {
    @usableFromInline let lease: BufferLease
    @usableFromInline let layout: StridedLayout

    init(lease: BufferLease, layout: StridedLayout) {
        self.lease = lease
        self.layout = layout
    }

    public var shape: [Int] { layout.shape }
    /// Bytes between consecutive elements of each dimension (may be negative).
    public var strides: [Int] { layout.strides }
    public var ndim: Int { layout.shape.count }
    /// Number of elements.
    public var count: Int { layout.count }
    public var isContiguous: Bool { lease.isCContiguous }
    public var isReadOnly: Bool { lease.isReadOnly }

    /// The element at `indices` (one per dimension), bounds-checked.
    @inlinable
    public subscript(indices: Int...) -> Element {
        layout.pointer(to: indices).load(as: Element.self)
    }

    /// Calls `body` with every element in row-major order.
    @inlinable
    public func forEach<E: Error>(_ body: (Element) throws(E) -> Void) throws(E) {
        try layout.forEachOffset { (p: UnsafeMutableRawPointer) throws(E) in try body(p.load(as: Element.self)) }
    }

    /// The elements as one flat buffer, or nil when the layout is not C-contiguous.
    public func withContiguousBuffer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R? {
        guard isContiguous else { return nil }
        return try body(UnsafeBufferPointer(start: layout.base?.assumingMemoryBound(to: Element.self), count: count))
    }
}

/// The writable counterpart of ``StridedPythonBuffer``.
public struct MutableStridedPythonBuffer<Element: BufferElement> {
    @usableFromInline let lease: BufferLease
    @usableFromInline let layout: StridedLayout

    init(lease: BufferLease, layout: StridedLayout) {
        self.lease = lease
        self.layout = layout
    }

    public var shape: [Int] { layout.shape }
    public var strides: [Int] { layout.strides }
    public var ndim: Int { layout.shape.count }
    public var count: Int { layout.count }
    public var isContiguous: Bool { lease.isCContiguous }
    public var readOnly: StridedPythonBuffer<Element> { StridedPythonBuffer(lease: lease, layout: layout) }

    @inlinable
    public subscript(indices: Int...) -> Element {
        get { layout.pointer(to: indices).load(as: Element.self) }
        nonmutating set { layout.pointer(to: indices).storeBytes(of: newValue, as: Element.self) }
    }

    /// Replaces every element, in row-major order, with `transform(element)`.
    @inlinable
    public func update<E: Error>(_ transform: (Element) throws(E) -> Element) throws(E) {
        try layout.forEachOffset { (p: UnsafeMutableRawPointer) throws(E) in
            p.storeBytes(of: try transform(p.load(as: Element.self)), as: Element.self)
        }
    }
}

extension StridedPythonBuffer: FromPython {
    public static var pythonTypeName: String { "buffer of \(Element.dtypeName)" }
    public static func fromPython(_ object: BorrowedObject) throws -> StridedPythonBuffer<Element> {
        let lease = try BufferLease.acquire(object, as: Element.self, BufferRequirements(writable: false, contiguous: false))
        do throws(ShapeError) { return StridedPythonBuffer(lease: lease, layout: try StridedLayout(checking: lease)) }
        catch { throw error.conversionError }
    }
}

extension MutableStridedPythonBuffer: FromPython {
    public static var pythonTypeName: String { "writable buffer of \(Element.dtypeName)" }
    public static func fromPython(_ object: BorrowedObject) throws -> MutableStridedPythonBuffer<Element> {
        let lease = try BufferLease.acquire(object, as: Element.self, BufferRequirements(writable: true, contiguous: false))
        do throws(ShapeError) { return MutableStridedPythonBuffer(lease: lease, layout: try StridedLayout(checking: lease)) }
        catch { throw error.conversionError }
    }
}

/// Base address, shape and byte strides of a strided view.
@usableFromInline
struct StridedLayout {
    @usableFromInline let base: UnsafeMutableRawPointer?
    @usableFromInline let shape: [Int]
    @usableFromInline let strides: [Int]
    @usableFromInline let count: Int

    /// The layout of an acquired buffer.  The exporter's shape is checked
    /// like a new array's (at most 64 dimensions, none negative, a count
    /// that fits), so nothing computed from it later can overflow.
    init(checking lease: BufferLease) throws(ShapeError) {
        let shape = lease.shape
        let strides = lease.strides
        self.count = try checkedElementCount(shape, itemSize: lease.itemSize, dtype: lease.format.dtypeName)
        self.base = lease.base
        self.shape = shape
        self.strides = strides
    }

    /// A layout described by someone else (an imported DLPack tensor)
    /// whose shape has been checked the same way.
    init(base: UnsafeMutableRawPointer?, shape: [Int], strides: [Int], count: Int) {
        self.base = base
        self.shape = shape
        self.strides = strides
        self.count = count
    }

    @usableFromInline
    func pointer(to indices: [Int]) -> UnsafeMutableRawPointer {
        precondition(indices.count == shape.count, "expected \(shape.count) indices, got \(indices.count)")
        var offset = 0
        for axis in 0..<shape.count {
            let i = indices[axis]
            precondition(i >= 0 && i < shape[axis], "index \(i) out of range for dimension of size \(shape[axis])")
            offset &+= i &* strides[axis]   // within the exporter's memory: cannot overflow
        }
        return base.unsafelyUnwrapped + offset
    }

    /// Calls `body` with the address of every element, row-major.
    @inlinable
    func forEachOffset<E: Error>(_ body: (UnsafeMutableRawPointer) throws(E) -> Void) throws(E) {
        guard count > 0, let base else { return }
        if shape.isEmpty { try body(base); return }
        var index = [Int](repeating: 0, count: shape.count)
        let last = shape.count - 1
        var rowStart = base
        while true {
            var p = rowStart
            for _ in 0..<shape[last] { try body(p); p += strides[last] }
            // Advance the outer indices like an odometer.
            var axis = last - 1
            while axis >= 0 {
                index[axis] += 1
                rowStart += strides[axis]
                if index[axis] < shape[axis] { break }
                rowStart -= strides[axis] &* shape[axis]
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}
#endif
