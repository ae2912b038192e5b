// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// The Python type `swiftbind.NDArray`: a small object that exports Swift
/// memory through the buffer protocol and DLPack.
///
/// Layout: the object header, then a retained `ExportedStorage`, then the
/// weak-reference list.  `bf_getbuffer` hands out pointers into the storage
/// and a new reference to the object (`view.obj`), so every `memoryview` and
/// NumPy array made from it keeps it, and thereby the Swift memory, alive;
/// `tp_dealloc` releases the storage when the last reference goes.  There
/// is no `bf_releasebuffer`: nothing is allocated per export.
///
/// The type is made once per process with `PyType_FromSpec` (a heap type,
/// not instantiable from Python).
enum BufferExporterType {
    static let storageOffset = MemoryLayout<PyObject>.size
    static let weaklistOffset = storageOffset + MemoryLayout<UnsafeRawPointer>.size
    static let basicSize = weaklistOffset + MemoryLayout<UnsafeRawPointer>.size

    // SAFETY: made and read with the GIL held; the type object is kept for
    // the life of the process (its spec and slot arrays too).
    nonisolated(unsafe) static var cached: PyObjectPointer?

    /// The type object (borrowed; made on first use).  Requires the GIL.
    static func type() throws -> PyObjectPointer {
        if let cached { return cached }
        let made = try checkedNew(PyType_FromSpec(makeSpec()))
        cached = made
        return made
    }

    /// A new exporter object owning `storage`.
    ///
    /// The corresponding C function is `PyType_GenericAlloc`.
    static func make(_ storage: ExportedStorage) throws -> NewReference {
        let type = sb_object_as_type(try type())!
        let object = try checkedNew(PyType_GenericAlloc(type, 0))
        let slot = (UnsafeMutableRawPointer(object) + storageOffset).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        slot.pointee = Unmanaged.passRetained(storage).toOpaque()
        return NewReference(owning: object)
    }

    /// The storage an exporter object carries, if `object` is one.
    static func storage(of object: PyObjectPointer?) -> ExportedStorage? {
        guard let object else { return nil }
        let slot = (UnsafeMutableRawPointer(object) + storageOffset).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        return slot.pointee.map { Unmanaged<ExportedStorage>.fromOpaque($0).takeUnretainedValue() }
    }

    private static func makeSpec() -> UnsafeMutablePointer<PyType_Spec> {
        let methods = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: 3)
        methods[0] = PyMethodDef(ml_name: strdup("__dlpack__"),
                                 ml_meth: unsafeBitCast(dlpackMethod, to: PyCFunction.self),
                                 ml_flags: METH_VARARGS | METH_KEYWORDS,
                                 ml_doc: strdup("__dlpack__(stream=None, max_version=None, dl_device=None, copy=None)\n--\n\nA DLPack capsule over the same memory (CPU)."))
        methods[1] = PyMethodDef(ml_name: strdup("__dlpack_device__"),
                                 ml_meth: dlpackDeviceMethod,
                                 ml_flags: sb_meth_noargs(),
                                 ml_doc: strdup("__dlpack_device__($self, /)\n--\n\n(1, 0): the CPU."))
        methods[2] = PyMethodDef(ml_name: nil, ml_meth: nil, ml_flags: 0, ml_doc: nil)

        let members = UnsafeMutablePointer<PyMemberDef>.allocate(capacity: 2)
        members[0] = PyMemberDef(name: strdup("__weaklistoffset__"), type: T_PYSSIZET,
                                 offset: weaklistOffset, flags: READONLY, doc: nil)
        members[1] = PyMemberDef(name: nil, type: 0, offset: 0, flags: 0, doc: nil)

        let slotList: [(Int32, UnsafeMutableRawPointer?)] = [
            (Py_tp_dealloc, unsafeBitCast(dealloc, to: UnsafeMutableRawPointer.self)),
            (Py_bf_getbuffer, unsafeBitCast(getBuffer, to: UnsafeMutableRawPointer.self)),
            (Py_tp_repr, unsafeBitCast(repr, to: UnsafeMutableRawPointer.self)),
            (Py_sq_length, unsafeBitCast(length, to: UnsafeMutableRawPointer.self)),
            (Py_tp_methods, UnsafeMutableRawPointer(methods)),
            (Py_tp_members, UnsafeMutableRawPointer(members)),
            (Py_tp_doc, UnsafeMutableRawPointer(strdup(
                "Swift-owned memory exported to Python (buffer protocol and DLPack).\n\n"
                + "Made by swiftbind functions that return NDArray; use numpy.asarray(x),\n"
                + "memoryview(x) or numpy.from_dlpack(x) to work with it without copying."))),
        ]
        let slots = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: slotList.count + 1)
        for (i, (id, pointer)) in slotList.enumerated() { slots[i] = PyType_Slot(slot: id, pfunc: pointer) }
        slots[slotList.count] = PyType_Slot(slot: 0, pfunc: nil)

        let spec = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
        spec.initialize(to: PyType_Spec(
            name: UnsafePointer(strdup("swiftbind.NDArray")),
            basicsize: Int32(basicSize), itemsize: 0,
            flags: UInt32(sb_tpflags_default()) | UInt32(sb_tpflags_disallow_instantiation()),
            slots: slots))
        return spec
    }
}

/// `tp_dealloc`: clears weak references, releases the Swift storage, frees
/// the object and drops the instance's reference to its heap type.
private let dealloc: @convention(c) (PyObjectPointer?) -> Void = { object in
    guard let object else { return }
    let raw = UnsafeMutableRawPointer(object)
    if (raw + BufferExporterType.weaklistOffset).assumingMemoryBound(to: UnsafeMutableRawPointer?.self).pointee != nil {
        PyObject_ClearWeakRefs(object)
    }
    let slot = (raw + BufferExporterType.storageOffset).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    if let s = slot.pointee { Unmanaged<ExportedStorage>.fromOpaque(s).release() }
    slot.pointee = nil
    let type = sb_type(object)!
    sb_tp_free(object)
    sb_decref(UnsafeMutableRawPointer(type).assumingMemoryBound(to: PyObject.self))
}

/// `bf_getbuffer`: describes the Swift memory; always C-contiguous, and
/// writable unless the Swift side made a read-only view.
private let getBuffer: @convention(c) (PyObjectPointer?, UnsafeMutablePointer<Py_buffer>?, Int32) -> Int32 = { object, view, flags in
    guard let object, let view, let storage = BufferExporterType.storage(of: object) else {
        PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray: no storage")
        return -1
    }
    if (flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && storage.ndim > 1
        && (0..<storage.ndim).filter({ storage.shape[$0] > 1 }).count > 1 {
        PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray is C-contiguous, not Fortran-contiguous")
        view.pointee.obj = nil
        return -1
    }
    if storage.readOnly && (flags & PyBUF_WRITABLE) == PyBUF_WRITABLE {
        PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray: this is a read-only view of Swift memory")
        view.pointee.obj = nil
        return -1
    }
    view.pointee.obj = sb_newref(object)
    view.pointee.buf = storage.base
    view.pointee.len = storage.byteCount
    view.pointee.itemsize = storage.itemSize
    view.pointee.readonly = storage.readOnly ? 1 : 0
    view.pointee.ndim = Int32(storage.ndim)
    view.pointee.format = (flags & PyBUF_FORMAT) != 0 ? UnsafeMutablePointer(mutating: storage.format) : nil
    view.pointee.shape = (flags & PyBUF_ND) == PyBUF_ND ? storage.shape : nil
    view.pointee.strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? storage.strides : nil
    view.pointee.suboffsets = nil
    view.pointee.internal = nil
    if (flags & PyBUF_ND) != PyBUF_ND {
        // A consumer that asked for no shape sees one dimension of bytes.
        view.pointee.ndim = 1
        view.pointee.itemsize = 1
    }
    return 0
}

private let length: @convention(c) (PyObjectPointer?) -> Int = { object in
    guard let storage = BufferExporterType.storage(of: object) else { return 0 }
    return storage.ndim == 0 ? 1 : storage.shape[0]
}

private let repr: @convention(c) (PyObjectPointer?) -> PyObjectPointer? = { object in
    guard let storage = BufferExporterType.storage(of: object) else { return PyUnicode_FromString("swiftbind.NDArray()") }
    let shape = tupleText(Array(UnsafeBufferPointer(start: storage.shape, count: storage.ndim)))
    let dtype = BufferFormat(kind: storage.kind, itemSize: storage.itemSize).dtypeName
    return PyUnicode_FromString("swiftbind.NDArray(\(dtype), shape=\(shape))")
}
#endif
