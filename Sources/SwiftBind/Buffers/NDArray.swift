/// An N-dimensional array owned by Swift, row-major: the type to return when
/// Python should get Swift's memory **without a copy**.
///
/// ```swift
/// m.def("ramp(n)") { (n: Int) -> NDArray<Float> in
///     NDArray((0..<n).map { Float($0) })          // a [Float] moves in, no copy
/// }
/// m.def("eye(n)") { (n: Int) -> NDArray<Double> in
///     var a = NDArray<Double>(repeating: 0, shape: [n, n])
///     for i in 0..<n { a[i, i] = 1 }
///     return a
/// }
/// ```
///
/// Returned to Python it becomes a `swiftbind.NDArray` object that exports
/// the Swift memory through the buffer protocol (`numpy.asarray(r)`,
/// `memoryview(r)`) and DLPack (`numpy.from_dlpack(r)`, `torch.from_dlpack(r)`);
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

    /// An array of `shape` over `values` in row-major order.
    ///
    /// - Precondition: `values.count` is the product of `shape` (a
    ///   programming error otherwise, not a user input error).
    @inlinable
    public init(_ values: [Element], shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "NDArray: \(values.count) values do not fill shape \(shape)")
        self.storage = NDArrayStorage(adopting: values)
        self.shape = shape
    }

    /// An array of `shape` with every element `value`.
    @inlinable
    public init(repeating value: Element, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "NDArray: negative dimension in \(shape)")
        self.storage = NDArrayStorage(fresh: [Element](repeating: value, count: shape.reduce(1, *)))
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

/// The memory of an ``NDArray``: a Swift array that is never mutated
/// through the Array API (so it is never reallocated and its address can be
/// handed to Python); elements change only through `base`.
///
/// SAFETY (@unchecked Sendable): `values` and `base` are immutable after
/// init; elements are written through `base` only by an NDArray that owns
/// this storage exclusively (uniquely referenced and `exclusive`), or by
/// Python through an exported pointer.
@usableFromInline
final class NDArrayStorage<Element: BufferElement>: @unchecked Sendable {
    @usableFromInline let values: [Element]
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let count: Int
    /// True when no Swift array outside this storage shares the buffer
    /// (the storage made it); false for an adopted caller's array.
    @usableFromInline let exclusive: Bool

    /// Adopts `values`' buffer without copying it.  The caller's array may
    /// still share the buffer, so `exclusive` is false.
    @inlinable
    init(adopting values: [Element]) {
        self.values = values
        count = values.count
        base = UnsafeMutablePointer(mutating: values.withUnsafeBufferPointer { $0.baseAddress })
            ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
        exclusive = false
    }

    /// A fresh buffer with a copy of `elements`.
    @inlinable
    convenience init(copying elements: UnsafeBufferPointer<Element>) {
        self.init(fresh: Array(elements))
    }

    /// Takes an array that nothing else shares (the runtime just made it).
    @inlinable
    init(fresh values: [Element]) {
        self.values = values
        count = values.count
        base = UnsafeMutablePointer(mutating: values.withUnsafeBufferPointer { $0.baseAddress })
            ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
        exclusive = true
    }
}
