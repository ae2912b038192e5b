// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// NumPy both ways for a Swift program that calls Python:
//
//     let view = try samples.numpyView()               // [Double] -> ndarray, no copy, read-only
//     let hits = try detect.call(view, 3.0)
//     let indices = try PythonBuffer<Int64>(hits)      // ndarray -> Swift view, no copy
//     let copy = try [Double](numpy: someArray)        // one-call copy out

extension Array where Element: BufferElement {
    /// A read-only `numpy.ndarray` over this array's own buffer: no copy.
    ///
    /// The NumPy array keeps the Swift buffer alive (its `.base` is a
    /// `swiftbind.NDArray` exporter).  Python cannot write into it
    /// (`a[0] = 1` raises `ValueError: assignment destination is
    /// read-only`); for a view Python may write, make an ``NDArray`` and
    /// call ``NDArray/numpyView(writable:)``.  Requires the GIL.
    ///
    /// - Complexity: O(1): two small objects, whatever the count.
    /// - Throws: `ImportError` without NumPy.
    public func numpyView() throws -> PythonObject {
        try NDArray(self).numpyView(writable: false)
    }

    /// Copies a NumPy array (or any buffer, or a list of numbers) into a
    /// Swift array, in row-major order.  A C-contiguous buffer of exactly
    /// `Element`'s dtype is one `memcpy`; other dtypes and strides convert
    /// element by element, as the ``NDArray`` parameter conversion does.
    ///
    /// - Throws: `TypeError` for an object that holds no numbers, and
    ///   `OverflowError` for a value that does not fit `Element`.
    public init(numpy object: PythonObject) throws {
        let p = object.unsafePointer
        if PyObject_CheckBuffer(p) != 0, sb_unicode_check(p) == 0,
           let lease = try? BufferLease(acquiring: p, flags: PyBUF_RECORDS_RO),
           lease.isCContiguous, lease.format.matches(Element.self), let base = lease.base,
           Int(bitPattern: base) % MemoryLayout<Element>.alignment == 0 {
            let count = lease.byteCount / MemoryLayout<Element>.stride
            // SAFETY: the lease pins the exporter's memory for this copy.
            self = Array(UnsafeBufferPointer(start: base.assumingMemoryBound(to: Element.self), count: count))
            return
        }
        self = try NDArray<Element>.convert(object, what: "the array").values
    }
}

extension NDArray {
    /// A `numpy.ndarray` over this array's memory: no copy.  Read-only
    /// unless `writable`; a writable view's writes from Python show
    /// through this `NDArray` (and any copy of it that has not written
    /// since), as with a NumPy view.  Requires the GIL.
    ///
    /// - Complexity: O(1): `numpy.asarray` (looked up once per interpreter)
    ///   over a `swiftbind.NDArray` exporter.
    public func numpyView(writable: Bool = false) throws -> PythonObject {
        let exporter = try exporter(readOnly: !writable)
        return PythonObject(owning: try checkedNew(callOneArg(try NumPyCache.asarray(), exporter.pointer)))
    }
}
#endif
