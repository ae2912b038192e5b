// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// Fills `view` with `object`'s buffer as one C-contiguous block (flags
/// `PyBUF_FORMAT | PyBUF_C_CONTIGUOUS`), for the one-copy `[UInt8]`
/// conversion; the caller releases it with `PyBuffer_Release`.
///
/// An exporter that cannot give that (a strided memoryview or NumPy slice)
/// raises an error that names no parameter ("ndarray is not C-contiguous");
/// this turns it into a ``ConversionError``, so the trampoline puts the
/// function and parameter in front: `f() argument 'data': needs a
/// C-contiguous buffer…`.  Other failures pass through unchanged.
///
/// The corresponding C function is `PyObject_GetBuffer`.
func getContiguousBytes(_ object: BorrowedObject, into view: inout Py_buffer) throws {
    let p = object.unsafePointer
    if PyObject_GetBuffer(p, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) == 0 { return }
    let error = PythonException.fetch()
    // Exporters say "not contiguous" in their own words and classes
    // (memoryview: BufferError, NumPy: ValueError); ask again for any
    // layout to find out whether that was the reason, and to describe it.
    if let lease = try? BufferLease(acquiring: p, flags: PyBUF_RECORDS_RO), !lease.isCContiguous {
        throw ConversionError(.invalidValue(
            "needs a C-contiguous buffer, but this \(object.pythonTypeName) has shape \(tupleText(lease.shape)) "
            + "and strides \(tupleText(lease.strides)) (pass bytes(x) or numpy.ascontiguousarray(x))"))
    }
    throw error
}
#endif
