// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// A typed, zero-copy N-D view of any array: a DLPack producer on the CPU
/// (NumPy, pyarrow arrays, PyTorch CPU tensors, another swiftbind module's
/// `NDArray`) or, failing `__dlpack__`, any buffer (`bytes`, `memoryview`,
/// `array.array`), with its shape and memory order checked against the
/// type's constraints.
///
/// ```swift
/// m.def("centroid(points)") { (p: NDArrayView<Double, Shape2<-1, 3>, COrder>) -> [Double] in
///     var c = [0.0, 0.0, 0.0]
///     for i in 0..<p.shape[0] { for k in 0..<3 { c[k] += p[i, k] } }
///     return c.map { $0 / Double(max(p.shape[0], 1)) }
/// }
/// ```
///
/// `centroid(np.zeros((4, 2)))` raises `ValueError: centroid() argument
/// 'points': expected shape (*, 3), got (4, 2)`; a float32 array is a
/// `TypeError` naming both dtypes; a CUDA tensor a `BufferError`.
///
/// Scope: like ``PythonBuffer``, the view is a borrow for the call.  The
/// DLPack tensor's deleter (or `PyBuffer_Release`) runs exactly once, when
/// the last copy of the view goes away.  Use ``MutableNDArrayView`` to
/// write; it refuses read-only tensors (DLPack's `READ_ONLY` flag, a
/// `writeable=False` NumPy array).
public struct NDArrayView<Element: BufferElement, Shape: ShapePattern, Order: MemoryOrder> {
    @usableFromInline let source: ArrayViewSource
    @usableFromInline let layout: StridedLayout

    init(source: ArrayViewSource, layout: StridedLayout) {
        self.source = source
        self.layout = layout
    }

    /// The size of each dimension.
    public var shape: [Int] { layout.shape }
    /// Bytes between consecutive elements of each dimension (may be negative).
    public var strides: [Int] { layout.strides }
    public var ndim: Int { layout.shape.count }
    /// Number of elements.
    public var count: Int { layout.count }
    /// True when the memory is one row-major block.
    public var isContiguous: Bool { stridesMatch(shape, strides, itemSize: MemoryLayout<Element>.stride, .c) }
    public var isReadOnly: Bool { source.isReadOnly }
    /// The DLPack version of the tensor, nil for a legacy (unversioned)
    /// DLPack tensor or a buffer.
    public var dlpackVersion: (major: Int, minor: Int)? { source.dlpackVersion }
    /// How the memory came: `"DLPack 1.0"`, `"DLPack (legacy)"` or `"buffer"`.
    public var transport: String { source.transport }

    /// The element at `indices` (one per dimension), bounds-checked (a trap).
    @inlinable
    public subscript(indices: Int...) -> Element {
        layout.pointer(to: indices).load(as: Element.self)
    }

    /// The element at `indices`, or `IndexError` in NumPy's words.
    public func element(at indices: Int...) throws -> Element {
        try checkIndices(indices, shape: shape)
        return layout.pointer(to: indices).load(as: Element.self)
    }

    /// Calls `body` with every element in row-major order.
    @inlinable
    public func forEach<E: Error>(_ body: (Element) throws(E) -> Void) throws(E) {
        try layout.forEachOffset { (p: UnsafeMutableRawPointer) throws(E) in try body(p.load(as: Element.self)) }
    }

    /// The elements as one flat row-major buffer, or nil when the layout is
    /// not C-contiguous (always non-nil for `COrder`).
    public func withContiguousBuffer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R? {
        guard isContiguous else { return nil }
        return try body(UnsafeBufferPointer(start: layout.base?.assumingMemoryBound(to: Element.self), count: count))
    }
}

/// The writable counterpart of ``NDArrayView``.
public struct MutableNDArrayView<Element: BufferElement, Shape: ShapePattern, Order: MemoryOrder> {
    @usableFromInline let source: ArrayViewSource
    @usableFromInline let layout: StridedLayout

    init(source: ArrayViewSource, layout: StridedLayout) {
        self.source = source
        self.layout = layout
    }

    public var shape: [Int] { layout.shape }
    public var strides: [Int] { layout.strides }
    public var ndim: Int { layout.shape.count }
    public var count: Int { layout.count }
    public var isContiguous: Bool { stridesMatch(shape, strides, itemSize: MemoryLayout<Element>.stride, .c) }
    public var dlpackVersion: (major: Int, minor: Int)? { source.dlpackVersion }
    public var transport: String { source.transport }
    /// The same memory, read-only.
    public var readOnly: NDArrayView<Element, Shape, Order> { NDArrayView(source: source, layout: layout) }

    @inlinable
    public subscript(indices: Int...) -> Element {
        get { layout.pointer(to: indices).load(as: Element.self) }
        nonmutating set { layout.pointer(to: indices).storeBytes(of: newValue, as: Element.self) }
    }

    public func element(at indices: Int...) throws -> Element {
        try checkIndices(indices, shape: shape)
        return layout.pointer(to: indices).load(as: Element.self)
    }

    public func setElement(_ value: Element, at indices: Int...) throws {
        try checkIndices(indices, shape: shape)
        layout.pointer(to: indices).storeBytes(of: value, as: Element.self)
    }

    /// Replaces every element, in row-major order, with `transform(element)`.
    @inlinable
    public func update<E: Error>(_ transform: (Element) throws(E) -> Element) throws(E) {
        try layout.forEachOffset { (p: UnsafeMutableRawPointer) throws(E) in
            p.storeBytes(of: try transform(p.load(as: Element.self)), as: Element.self)
        }
    }

    /// The elements as one flat writable buffer, or nil when not C-contiguous.
    public func withContiguousBuffer<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R) throws(E) -> R? {
        guard isContiguous else { return nil }
        return try body(UnsafeMutableBufferPointer(start: layout.base?.assumingMemoryBound(to: Element.self), count: count))
    }
}

/// What keeps a view's memory alive: an imported DLPack tensor or an
/// acquired buffer (both released exactly once, when the last view goes).
@usableFromInline
enum ArrayViewSource {
    case dlpack(DLPackImport)
    case buffer(BufferLease)

    var isReadOnly: Bool {
        switch self {
        case .dlpack(let t): return t.isReadOnly
        case .buffer(let b): return b.isReadOnly
        }
    }

    var dlpackVersion: (major: Int, minor: Int)? {
        if case .dlpack(let t) = self { return t.version }
        return nil
    }

    var transport: String {
        switch self {
        case .dlpack(let t): return t.version.map { "DLPack \($0.major).\($0.minor)" } ?? "DLPack (legacy)"
        case .buffer: return "buffer"
        }
    }
}
#endif
