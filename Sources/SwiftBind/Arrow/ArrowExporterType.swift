// The Python type `swiftbind.ArrowArray`: what a function returning an
// ``ArrowExportedColumn``, ``ArrowExportedBatch`` or ``ArrowExportedStream``
// gives Python.  It implements the Arrow PyCapsule interface:
// `__arrow_c_schema__`, `__arrow_c_array__` (one column or batch) and
// `__arrow_c_stream__`, so pyarrow, polars and nanoarrow take it without a copy.

/// What one `swiftbind.ArrowArray` object exports.
final class ArrowExportedObject: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): immutable; trees are Sendable.
    let schema: ArrowExportTree
    let batches: [ArrowExportTree]
    /// True for one column or batch (`__arrow_c_array__` is available).
    let isSingle: Bool

    init(schema: ArrowExportTree, batches: [ArrowExportTree], isSingle: Bool) {
        self.schema = schema
        self.batches = batches
        self.isSingle = isSingle
    }
}

enum ArrowExporterType {
    static let payloadOffset = MemoryLayout<PyObject>.size
    static let basicSize = payloadOffset + MemoryLayout<UnsafeRawPointer>.size

    // SAFETY: made and read with the GIL held; kept for the process's life.
    // Two types: a stream of several batches must not have
    // `__arrow_c_array__`, which consumers (polars) try first.
    nonisolated(unsafe) static var cachedSingle: PyObjectPointer?
    nonisolated(unsafe) static var cachedStream: PyObjectPointer?

    static func type(single: Bool) throws -> PyObjectPointer {
        if let t = single ? cachedSingle : cachedStream { return t }
        let made = try checkedNew(PyType_FromSpec(makeSpec(single: single)))
        if single { cachedSingle = made } else { cachedStream = made }
        return made
    }

    /// A new `swiftbind.ArrowArray` (one column or batch) or
    /// `swiftbind.ArrowStream` (several batches) owning `payload`.
    ///
    /// The corresponding C function is `PyType_GenericAlloc`.
    static func make(_ payload: ArrowExportedObject) throws -> NewReference {
        let type = sb_object_as_type(try type(single: payload.isSingle))!
        let object = try checkedNew(PyType_GenericAlloc(type, 0))
        slot(object).pointee = Unmanaged.passRetained(payload).toOpaque()
        return NewReference(owning: object)
    }

    static func slot(_ object: PyObjectPointer) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        (UnsafeMutableRawPointer(object) + payloadOffset).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    }

    static func payload(_ object: PyObjectPointer?) -> ArrowExportedObject? {
        guard let object else { return nil }
        return slot(object).pointee.map { Unmanaged<ArrowExportedObject>.fromOpaque($0).takeUnretainedValue() }
    }

    private static func makeSpec(single: Bool) -> UnsafeMutablePointer<PyType_Spec> {
        let methods = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: 4)
        methods[0] = PyMethodDef(ml_name: strdup("__arrow_c_schema__"), ml_meth: arrowCSchema, ml_flags: sb_meth_noargs(),
                                 ml_doc: strdup("__arrow_c_schema__($self, /)\n--\n\nAn 'arrow_schema' capsule: the type."))
        methods[1] = PyMethodDef(ml_name: strdup("__arrow_c_array__"),
                                 ml_meth: unsafeBitCast(arrowCArray, to: PyCFunction.self), ml_flags: METH_VARARGS | METH_KEYWORDS,
                                 ml_doc: strdup("__arrow_c_array__($self, /, requested_schema=None)\n--\n\n"
                                                + "('arrow_schema', 'arrow_array') capsules over the Swift memory (no copy)."))
        methods[2] = PyMethodDef(ml_name: strdup("__arrow_c_stream__"),
                                 ml_meth: unsafeBitCast(arrowCStream, to: PyCFunction.self), ml_flags: METH_VARARGS | METH_KEYWORDS,
                                 ml_doc: strdup("__arrow_c_stream__($self, /, requested_schema=None)\n--\n\n"
                                                + "An 'arrow_array_stream' capsule over the Swift memory (no copy)."))
        methods[3] = PyMethodDef(ml_name: nil, ml_meth: nil, ml_flags: 0, ml_doc: nil)
        if !single {
            methods[1] = methods[2]
            methods[2] = methods[3]
        }
        let slotList: [(Int32, UnsafeMutableRawPointer?)] = [
            (Py_tp_dealloc, unsafeBitCast(dealloc, to: UnsafeMutableRawPointer.self)),
            (Py_tp_repr, unsafeBitCast(repr, to: UnsafeMutableRawPointer.self)),
            (Py_sq_length, unsafeBitCast(length, to: UnsafeMutableRawPointer.self)),
            (Py_tp_methods, UnsafeMutableRawPointer(methods)),
            (Py_tp_doc, UnsafeMutableRawPointer(strdup(
                "Swift-built Arrow data (a column, record batch or stream of batches).\n\n"
                + "Implements the Arrow PyCapsule interface: pass it to pyarrow.array(x),\n"
                + "pyarrow.table(x), pyarrow.RecordBatchReader.from_stream(x) or\n"
                + "polars.DataFrame(x); they read the Swift memory without copying."))),
        ]
        let slots = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: slotList.count + 1)
        for (i, (id, pointer)) in slotList.enumerated() { slots[i] = PyType_Slot(slot: id, pfunc: pointer) }
        slots[slotList.count] = PyType_Slot(slot: 0, pfunc: nil)
        let spec = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
        spec.initialize(to: PyType_Spec(
            name: UnsafePointer(strdup(single ? "swiftbind.ArrowArray" : "swiftbind.ArrowStream")), basicsize: Int32(basicSize), itemsize: 0,
            flags: UInt32(sb_tpflags_default()) | UInt32(sb_tpflags_disallow_instantiation()), slots: slots))
        return spec
    }
}

private let dealloc: @convention(c) (PyObjectPointer?) -> Void = { object in
    guard let object else { return }
    let slot = ArrowExporterType.slot(object)
    if let p = slot.pointee { Unmanaged<ArrowExportedObject>.fromOpaque(p).release() }
    slot.pointee = nil
    let type = sb_type(object)!
    sb_tp_free(object)
    sb_decref(UnsafeMutableRawPointer(type).assumingMemoryBound(to: PyObject.self))
}

/// A capsule owning `pointer`; its destructor releases the struct unless a
/// consumer moved it (release == NULL), then frees it.
private func capsule<T>(_ pointer: UnsafeMutablePointer<T>, _ name: StaticString,
                        _ destructor: @convention(c) (PyObjectPointer?) -> Void) -> PyObjectPointer? {
    PyCapsule_New(pointer, ArrowCapsules.cString(name), destructor)
}

private let schemaCapsuleDestructor: @convention(c) (PyObjectPointer?) -> Void = { capsule in
    guard let capsule, let p = PyCapsule_GetPointer(capsule, ArrowCapsules.cString(ArrowCapsules.schemaName)) else { PyErr_Clear(); return }
    let schema = p.assumingMemoryBound(to: CPython.ArrowSchema.self)
    if let release = schema.pointee.release { release(schema) }
    schema.deallocate()
}

private let arrayCapsuleDestructor: @convention(c) (PyObjectPointer?) -> Void = { capsule in
    guard let capsule, let p = PyCapsule_GetPointer(capsule, ArrowCapsules.cString(ArrowCapsules.arrayName)) else { PyErr_Clear(); return }
    let array = p.assumingMemoryBound(to: CPython.ArrowArray.self)
    if let release = array.pointee.release { release(array) }
    array.deallocate()
}

private let streamCapsuleDestructor: @convention(c) (PyObjectPointer?) -> Void = { capsule in
    guard let capsule, let p = PyCapsule_GetPointer(capsule, ArrowCapsules.cString(ArrowCapsules.streamName)) else { PyErr_Clear(); return }
    let stream = p.assumingMemoryBound(to: CPython.ArrowArrayStream.self)
    if let release = stream.pointee.release { release(stream) }
    stream.deallocate()
}

private func schemaCapsule(_ tree: ArrowExportTree) -> PyObjectPointer? {
    let s = UnsafeMutablePointer<CPython.ArrowSchema>.allocate(capacity: 1)
    ArrowExportedSchema.export(tree, into: s)
    guard let c = capsule(s, ArrowCapsules.schemaName, schemaCapsuleDestructor) else {
        s.pointee.release?(s)
        s.deallocate()
        return nil
    }
    return c
}

/// `__arrow_c_schema__()`.
private let arrowCSchema: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, _ in
    guard let payload = ArrowExporterType.payload(object) else { return nil }
    return schemaCapsule(payload.schema)
}

/// `__arrow_c_array__(requested_schema=None)`: the producer may ignore a
/// requested schema (the interface's rule); this one always exports its own type.
private let arrowCArray: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, _, _ in
    guard let payload = ArrowExporterType.payload(object) else { return nil }
    guard payload.isSingle, let tree = payload.batches.first else {
        PyErr_SetString(sb_exc_TypeError(), "this swiftbind.ArrowArray is a stream of \(payload.batches.count) batches: use __arrow_c_stream__")
        return nil
    }
    guard let schema = schemaCapsule(payload.schema) else { return nil }
    let a = UnsafeMutablePointer<CPython.ArrowArray>.allocate(capacity: 1)
    ArrowExportedArray.export(tree, into: a)
    guard let array = capsule(a, ArrowCapsules.arrayName, arrayCapsuleDestructor) else {
        a.pointee.release?(a)
        a.deallocate()
        sb_decref(schema)
        return nil
    }
    guard let pair = PyTuple_New(2) else { sb_decref(schema); sb_decref(array); return nil }
    sb_tuple_set_steal(pair, 0, schema)   // steals
    sb_tuple_set_steal(pair, 1, array)
    return pair
}

/// `__arrow_c_stream__(requested_schema=None)`.
private let arrowCStream: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, _, _ in
    guard let payload = ArrowExporterType.payload(object) else { return nil }
    let s = UnsafeMutablePointer<CPython.ArrowArrayStream>.allocate(capacity: 1)
    ArrowExportedStreamState.export(schema: payload.schema, batches: payload.batches, into: s)
    guard let c = capsule(s, ArrowCapsules.streamName, streamCapsuleDestructor) else {
        s.pointee.release?(s)
        s.deallocate()
        return nil
    }
    return c
}

private let length: @convention(c) (PyObjectPointer?) -> Int = { object in
    ArrowExporterType.payload(object)?.batches.reduce(0) { $0 + $1.length } ?? 0
}

private let repr: @convention(c) (PyObjectPointer?) -> PyObjectPointer? = { object in
    guard let payload = ArrowExporterType.payload(object) else { return PyUnicode_FromString("swiftbind.ArrowArray()") }
    let rows = payload.batches.reduce(0) { $0 + $1.length }
    if payload.isSingle { return PyUnicode_FromString("swiftbind.ArrowArray(\(payload.schema.field.type), length=\(rows))") }
    return PyUnicode_FromString("swiftbind.ArrowStream(\(payload.schema.field.type), length=\(rows), \(payload.batches.count) batches)")
}
