// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// An N-dimensional array owned by Swift, row-major: the type to return when
/// Python should get Swift's memory **without a copy**.
///
/// ```swift
/// m.def("ramp(n)") { (n: Int) -> NDArray<Float> in
///     NDArray((0..<n).map { Float($0) })          // a [Float] moves in, no copy
/// }
/// m.def("eye(n)") { (n: Int) throws -> NDArray<Double> in
///     var a = try NDArray<Double>(repeating: 0, shape: [n, n])   // eye(-1): ValueError
///     for i in 0..<n { a[i, i] = 1 }
///     return a
/// }
/// ```
///
/// Returned to Python it becomes a `swiftbind.NDArray` object with `shape`,
/// `dtype`, `ndim`, `tolist()`, integer indexing and pickling (no NumPy
/// needed), that exports the Swift memory through the buffer protocol
/// (`numpy.asarray(r)`, `memoryview(r)`) and versioned DLPack
/// (`numpy.from_dlpack(r)`, `torch.from_dlpack(r)`);
/// the memory is freed when the last Python reference (array, view,
/// capsule) goes.  Return ``numpy`` instead to hand back a NumPy array over
/// the same memory.
///
/// As a parameter, `NDArray` is the explicit *copying* conversion: it takes
/// any numeric buffer (other dtypes are converted element by element, any
/// strides) or a (nested) list of numbers, and owns the result.
///
/// Value semantics: `NDArray` copies its storage before a Swift write when
/// the storage is shared (with another `NDArray`, with Python, or with the
/// `[Element]` it was made from), so Swift copies never see each other's
/// writes.  Memory handed to Python is shared with whatever Swift values
/// still hold it: writes from Python show through them (as with a NumPy
/// view).  Return arrays you no longer use in Swift.
public struct NDArray<Element: BufferElement> {
    @usableFromInline var storage: NDArrayStorage<Element>
    /// The size of each dimension.
    public let shape: [Int]
    /// True when Python gets this array read-only (``readOnly``).
    public internal(set) var isReadOnlyExport = false

    /// A 1-D array over `values`' own buffer: no copy, ever.
    ///
    /// If your code keeps another copy of `values`, it shares the buffer:
    /// writes from Python (through `numpy.asarray(result)`) show through it.
    /// Writes from Swift through this `NDArray` copy first.
    @inlinable
    public init(_ values: [Element]) {
        self.storage = NDArrayStorage(adopting: values)
        self.shape = [values.count]
    }

    /// An array of `shape` over `values` in row-major order (no copy).
    ///
    /// - Throws: `ValueError` when `shape` has a negative size or more than
    ///   64 dimensions, or when `values.count` is not the product of
    ///   `shape`.  The numbers often come from Python, so this is an
    ///   exception, not a trap.
    public init(_ values: [Element], shape: [Int]) throws {
        do throws(ShapeError) { try self.init(checkedValues: values, shape: shape) }
        catch { throw error.pythonException }
    }

    /// An array of `shape` with every element `value`.
    ///
    /// - Throws: `ValueError` for a negative size, more than 64 dimensions
    ///   or a size whose bytes overflow `Int` (NumPy's "array is too big");
    ///   `MemoryError` when the memory cannot be allocated.
    /// - Complexity: O(count) unless `value` is zero: zeroed memory comes
    ///   from the allocator and is not touched.
    public init(repeating value: Element, shape: [Int]) throws {
        do throws(ShapeError) { try self.init(checkedZeros: shape) }
        catch { throw error.pythonException }
        if !withUnsafeBytes(of: value, { $0.allSatisfy { $0 == 0 } }) {
            UnsafeMutableBufferPointer(start: storage.base, count: storage.count).update(repeating: value)
        }
    }

    /// An array of `shape` whose elements `fill` writes: they start at zero
    /// (0, 0.0, false), and `fill` sees them as one flat row-major buffer.
    /// The way to make a result whose size came from Python:
    ///
    /// ```swift
    /// m.def("ramp(n)") { (n: Int) throws -> NDArray<Float> in
    ///     try NDArray(shape: [n]) { p in for i in p.indices { p[i] = Float(i) } }
    /// }
    /// ```
    ///
    /// - Throws: what ``init(repeating:shape:)`` throws, before `fill`
    ///   runs; then whatever `fill` throws.
    public init(shape: [Int], fill: (UnsafeMutableBufferPointer<Element>) throws -> Void) throws {
        do throws(ShapeError) { try self.init(checkedZeros: shape) }
        catch { throw error.pythonException }
        try fill(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    /// ``init(_:shape:)`` with the runtime's own error type.
    init(checkedValues values: [Element], shape: [Int]) throws(ShapeError) {
        let count = try checkedElementCount(shape, itemSize: MemoryLayout<Element>.stride, dtype: Element.dtypeName)
        guard count == values.count else { throw .countMismatch(count: values.count, shape: shape) }
        self.storage = NDArrayStorage(adopting: values)
        self.shape = shape
    }

    /// A zeroed array of `shape`: the checks and the failable allocation
    /// that every sized initialiser (and the copying conversion) shares.
    init(checkedZeros shape: [Int]) throws(ShapeError) {
        let stride = MemoryLayout<Element>.stride
        let count = try checkedElementCount(shape, itemSize: stride, dtype: Element.dtypeName)
        guard let storage = NDArrayStorage<Element>(zeroedCount: count) else {
            throw .outOfMemory(bytes: count * stride, shape: shape, dtype: Element.dtypeName)
        }
        self.storage = storage
        self.shape = shape
    }

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Number of dimensions.
    @inlinable public var ndim: Int { shape.count }

    /// The elements in row-major order (a copy).
    public var values: [Element] { Array(UnsafeBufferPointer(start: storage.base, count: storage.count)) }

    /// The element at `indices`, bounds-checked.
    @inlinable
    public subscript(indices: Int...) -> Element {
        get { storage.base[elementOffset(indices, shape: shape)] }
        set {
            let offset = elementOffset(indices, shape: shape)
            makeUnique()
            storage.base[offset] = newValue
        }
    }

    /// Calls `body` with the elements, row-major.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Calls `body` with the elements to change them, copying first if the
    /// storage is shared (with another `NDArray` or with Python).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) || !storage.exclusive {
            storage = NDArrayStorage(copying: UnsafeBufferPointer(start: storage.base, count: storage.count))
        }
    }
}
#endif
