// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// One acquired PEP 3118 buffer, released exactly once.
///
/// The lease owns a `Py_buffer` filled by `PyObject_GetBuffer`; the buffer
/// holds a strong reference to the exporter (`view.obj`), so the memory and
/// its owner stay alive, and resizable exporters (bytearray, array.array)
/// refuse to resize, until the lease is released.  Every view type
/// (``PythonBuffer``, ``MutablePythonBuffer``, the strided ones) shares one
/// lease; it is released when the last of them goes away, which for a
/// function argument is when the call returns.
///
/// SAFETY: created with the GIL held; not `Sendable`, so it cannot be moved
/// into ``withoutGIL(_:)`` or a Task.  If it still dies on a thread without
/// the GIL (a view stored somewhere it should not be), the release takes the
/// GIL first.
@usableFromInline
final class BufferLease {
    @usableFromInline let view: UnsafeMutablePointer<Py_buffer>

    /// Acquires a buffer of `object` with `flags` (`PyBUF_*`).
    ///
    /// The corresponding C function is `PyObject_GetBuffer`.
    @usableFromInline
    init(acquiring object: PyObjectPointer, flags: Int32) throws {
        let view = UnsafeMutablePointer<Py_buffer>.allocate(capacity: 1)
        if PyObject_GetBuffer(object, view, flags) < 0 {
            view.deallocate()
            throw PythonException.fetch()
        }
        self.view = view
    }

    deinit {
        // The corresponding C function is `PyBuffer_Release`.
        if sb_thread_has_gil() != 0 {
            PyBuffer_Release(view)
        } else {
            withGIL { PyBuffer_Release(view) }
        }
        view.deallocate()
    }

    @inlinable var base: UnsafeMutableRawPointer? { view.pointee.buf }
    @inlinable var byteCount: Int { view.pointee.len }
    @inlinable var itemSize: Int { view.pointee.itemsize }
    @inlinable var isReadOnly: Bool { view.pointee.readonly != 0 }
    @inlinable var ndim: Int { Int(view.pointee.ndim) }

    /// The shape; `[len / itemsize]` when the exporter gave none.
    @usableFromInline var shape: [Int] {
        guard let s = view.pointee.shape else { return ndim == 0 ? [] : [byteCount / max(itemSize, 1)] }
        return Array(UnsafeBufferPointer(start: s, count: ndim))
    }

    /// Strides in bytes; C-contiguous strides when the exporter gave none.
    @usableFromInline var strides: [Int] {
        if let s = view.pointee.strides { return Array(UnsafeBufferPointer(start: s, count: ndim)) }
        return contiguousStrides(shape: shape, itemSize: itemSize)
    }

    /// True when the memory is one C-contiguous block.
    ///
    /// The corresponding C function is `PyBuffer_IsContiguous`.
    var isCContiguous: Bool { PyBuffer_IsContiguous(view, CChar(UInt8(ascii: "C"))) != 0 }

    var format: BufferFormat {
        BufferFormat(parsing: view.pointee.format.map { String(cString: $0) }, itemSize: itemSize)
    }

    /// The exporter (borrowed from the buffer, which owns a reference).
    var exporter: PyObjectPointer? { view.pointee.obj }
}

/// Row-major strides in bytes for `shape`.
func contiguousStrides(shape: [Int], itemSize: Int) -> [Int] {
    var strides = [Int](repeating: itemSize, count: shape.count)
    var step = itemSize
    for axis in shape.indices.reversed() {
        strides[axis] = step
        // Wrapping: the shape describes memory that exists (an exporter's,
        // or one a checked NDArray shape allocated), so the product fits;
        // a lying exporter gets wrong strides, not a trap.
        step = step &* max(shape[axis], 1)
    }
    return strides
}
#endif
