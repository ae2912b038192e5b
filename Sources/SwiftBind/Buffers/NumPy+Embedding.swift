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
        let asarray = try NumPyCache.asarray()
        if let typeNumber = Element.numpyTypeNumber, let api = NumPyCache.arrayAPI, ndim <= 32 {
            return PythonObject(owning: try newNumPyArray(api, typeNumber: typeNumber, writable: writable,
                                                          owner: exporter.take()))
        }
        return PythonObject(owning: try checkedNew(callOneArg(asarray, exporter.pointer)))
    }

    /// `PyArray_New` over the exporter's memory, with the exporter as the
    /// array's base (`PyArray_SetBaseObject`, which takes `owner`'s
    /// reference): what `numpy.asarray(exporter)` makes, without the
    /// buffer-protocol round trip.
    ///
    /// SAFETY: `api` is NumPy's own table (its indices are NumPy's ABI:
    /// 2 `PyArray_Type`, 93 `PyArray_New`, 282 `PyArray_SetBaseObject`,
    /// unchanged since NumPy 1.7 and in 2.x); the memory is C-contiguous,
    /// aligned, and owned by `owner` for as long as the array lives.
    private func newNumPyArray(_ api: UnsafeMutablePointer<UnsafeMutableRawPointer?>, typeNumber: Int32,
                               writable: Bool, owner: PyObjectPointer) throws -> PyObjectPointer {
        typealias New = @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeMutablePointer<Int>?, Int32,
                                        UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?, Int32, Int32,
                                        PyObjectPointer?) -> PyObjectPointer?
        typealias SetBase = @convention(c) (PyObjectPointer?, PyObjectPointer?) -> Int32
        guard let arrayType = api[2], let newRaw = api[93], let setBaseRaw = api[282] else {
            sb_decref(owner)
            throw PythonException(.systemError, "swiftbind: NumPy's C API table is incomplete")
        }
        let new = unsafeBitCast(newRaw, to: New.self)
        let setBase = unsafeBitCast(setBaseRaw, to: SetBase.self)
        // NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED, and NPY_ARRAY_WRITEABLE when asked.
        let flags: Int32 = 0x0001 | 0x0100 | (writable ? 0x0400 : 0)
        var dims = shape
        let made = dims.withUnsafeMutableBufferPointer { d in
            new(arrayType, Int32(ndim), d.baseAddress, typeNumber, nil,
                UnsafeMutableRawPointer(storage.base), 0, flags, nil)
        }
        guard let array = made else { sb_decref(owner); throw PythonException.fetch() }
        if setBase(array, owner) < 0 {   // steals owner even on failure
            sb_decref(array)
            throw PythonException.fetch()
        }
        return array
    }
}

extension BufferElement {
    /// NumPy's type number for this element (`NPY_DOUBLE` …), for the
    /// types whose hand-over goes through NumPy's C API.
    static var numpyTypeNumber: Int32? {
        switch (bufferKind, MemoryLayout<Self>.size) {
        case (.float, 8): return 12     // NPY_DOUBLE
        case (.float, 4): return 11     // NPY_FLOAT
        case (.signed, 8): return 9     // NPY_LONGLONG (int64)
        case (.signed, 4): return 5     // NPY_INT (int32)
        case (.unsigned, 1): return 2   // NPY_UBYTE
        default: return nil
        }
    }
}
#endif
