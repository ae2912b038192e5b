// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// Element access with indices that came from Python: an IndexError in
// NumPy's words instead of the subscripts' trap.
//
// The subscripts (`a[i, j]`, `a[at: i, j]`) follow Swift's Array: a wrong
// index is the program's mistake and traps.  When the indices are a
// caller's arguments, use these instead:
//
// ```swift
// m.def("get(data, i, j)") { (data: PythonBuffer<Float>, i: Int, j: Int) throws in
//     try data.element(at: i, j)          // get(a, 99, 0): IndexError, not a crash
// }
// ```

/// The row-major flat offset of `indices` in `shape`, or an IndexError
/// (`index 5 is out of bounds for axis 0 with size 3`).
func checkedElementOffset(_ indices: [Int], shape: [Int]) throws -> Int {
    try checkIndices(indices, shape: shape)
    var offset = 0
    for (i, n) in zip(indices, shape) { offset = offset &* n &+ i }   // < count: cannot overflow
    return offset
}

/// Throws IndexError unless `indices` has one in-range index per dimension.
func checkIndices(_ indices: [Int], shape: [Int]) throws {
    guard indices.count == shape.count else {
        // NumPy's words; fewer indices than dimensions (a sub-array there) is refused too.
        throw PythonException(.indexError, "wrong number of indices for array: array is \(shape.count)-dimensional, "
                              + "but \(indices.count) were indexed")
    }
    for (axis, (i, n)) in zip(indices, shape).enumerated() where i < 0 || i >= n {
        throw PythonException(.indexError, "index \(i) is out of bounds for axis \(axis) with size \(n)")
    }
}

extension PythonBuffer {
    /// The element at N-D position `indices`.
    /// - Throws: IndexError for a wrong number of indices or one out of range.
    public func element(at indices: Int...) throws -> Element {
        start.unsafelyUnwrapped[try checkedElementOffset(indices, shape: shape)]
    }
}

extension MutablePythonBuffer {
    /// The element at N-D position `indices`.
    /// - Throws: IndexError for a wrong number of indices or one out of range.
    public func element(at indices: Int...) throws -> Element {
        start.unsafelyUnwrapped[try checkedElementOffset(indices, shape: shape)]
    }

    /// Writes `value` at N-D position `indices`, in the caller's memory.
    /// - Throws: IndexError for a wrong number of indices or one out of range.
    public func setElement(_ value: Element, at indices: Int...) throws {
        start.unsafelyUnwrapped[try checkedElementOffset(indices, shape: shape)] = value
    }
}

extension StridedPythonBuffer {
    /// The element at N-D position `indices`.
    /// - Throws: IndexError for a wrong number of indices or one out of range.
    public func element(at indices: Int...) throws -> Element {
        try checkIndices(indices, shape: shape)
        return layout.pointer(to: indices).load(as: Element.self)
    }
}

extension MutableStridedPythonBuffer {
    /// The element at N-D position `indices`.
    /// - Throws: IndexError for a wrong number of indices or one out of range.
    public func element(at indices: Int...) throws -> Element {
        try checkIndices(indices, shape: shape)
        return layout.pointer(to: indices).load(as: Element.self)
    }

    /// Writes `value` at N-D position `indices`, in the caller's memory.
    /// - Throws: IndexError for a wrong number of indices or one out of range.
    public func setElement(_ value: Element, at indices: Int...) throws {
        try checkIndices(indices, shape: shape)
        layout.pointer(to: indices).storeBytes(of: value, as: Element.self)
    }
}

extension NDArray {
    /// The element at N-D position `indices`.
    /// - Throws: IndexError for a wrong number of indices or one out of range.
    public func element(at indices: Int...) throws -> Element {
        storage.base[try checkedElementOffset(indices, shape: shape)]
    }

    /// Writes `value` at N-D position `indices` (copying first if the
    /// storage is shared, like the subscript).
    /// - Throws: IndexError for a wrong number of indices or one out of range.
    public mutating func setElement(_ value: Element, at indices: Int...) throws {
        let offset = try checkedElementOffset(indices, shape: shape)
        makeUnique()
        storage.base[offset] = value
    }
}
#endif
