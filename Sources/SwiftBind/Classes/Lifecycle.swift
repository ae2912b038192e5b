// The C slots that create and destroy instances of Swift-defined types.
//
// Calling the type itself (`Counter("a")`) goes through `constructTrampoline`
// (the type's vectorcall): allocate, run the Swift initializer straight on
// the interpreter's argument vector, return.  Python subclasses and
// `Counter.__new__(Counter)` take the classic route: `tp_new` allocates an
// empty instance and `tp_init` runs the initializer, so a subclass's
// `__init__` can call `super().__init__(...)`.

/// The record of a type made by `m.class`, from its `ht_module` holder.
///
/// SAFETY: only called on types made by `ClassTypeFactory`, whose
/// `ht_module` is a holder owning the record.
@inline(__always)
func classRecord(ofExactType type: PyTypePointer) -> Unmanaged<ClassRecord> {
    let holder = sb_heaptype_module(type).unsafelyUnwrapped
    return Unmanaged<ClassRecord>.fromOpaque(holderPointer(holder).unsafelyUnwrapped)
}

/// `type(*args, **kwargs)` for the exact type (vectorcall).
let constructTrampoline: @convention(c) (PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?) -> PyObjectPointer? = { type, args, nargsf, kwnames in
    let t = sb_object_as_type(type.unsafelyUnwrapped).unsafelyUnwrapped
    return classRecord(ofExactType: t)._withUnsafeGuaranteedRef { $0.construct(t, args, nargsf, kwnames) }
}

extension ClassRecord {
    /// Allocates an instance of `type` and runs the initializer on it.
    @inline(__always)
    func construct(_ type: PyTypePointer, _ args: UnsafePointer<PyObjectPointer?>?,
                   _ nargsf: Int, _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
        // SAFETY: this record (guaranteed by the caller) owns its initializer.
        guard let initializer = unretainedInitializer else { return raiseInPython(noInitializer()) }
        guard let object = PyType_GenericAlloc(type, 0) else { return nil }
        let nargs = sb_vectorcall_nargs(nargsf)
        let status: PyObjectPointer?
        if nargsf & sb_vectorcall_offset_flag() != 0, let args {
            // SAFETY: PY_VECTORCALL_ARGUMENTS_OFFSET lets the callee use
            // args[-1] temporarily; it is restored before returning.
            let front = UnsafeMutablePointer(mutating: args - 1)
            let saved = front.pointee
            front.pointee = object
            status = initializer._withUnsafeGuaranteedRef { $0.call(UnsafePointer(front), nargs &+ 1, kwnames) }
            front.pointee = saved
        } else {
            let total = nargs + (kwnames.map { sb_tuple_size($0) } ?? 0)
            status = withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: total + 1) { buf in
                buf[0] = object
                for i in 0..<total { buf[i + 1] = args.unsafelyUnwrapped[i] }
                return initializer._withUnsafeGuaranteedRef {
                    $0.call(UnsafePointer(buf.baseAddress!), nargs &+ 1, kwnames)
                }
            }
        }
        guard let status else { sb_decref(object); return nil }
        sb_decref(status)
        return object
    }

    func noInitializer() -> PythonException {
        PythonException(.typeError, "cannot create '\(qualifiedName)' instances: it declares no initializer")
    }
}

/// `tp_new`: an empty instance (initialized later by `tp_init`).
let newTrampoline: @convention(c) (PyTypePointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { type, _, _ in
    guard let type, let alloc = sb_type_alloc(type) else { return nil }
    return alloc(type, 0)
}

/// `tp_init`: runs the Swift initializer with a tuple and a dict of arguments.
let initTrampoline: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> Int32 = { object, args, kwargs in
    guard let object, let args else { return -1 }
    guard let record = ClassRegistry.record(forPythonType: sb_type(object)) else {
        PyErr_SetString(sb_exc_TypeError(), "swiftbind: no Swift type found for \(object.typeName)")
        return -1
    }
    guard let initializer = record.initializer else { return raiseInPythonStatus(record.noInitializer()) }
    let nargs = sb_tuple_size(args)
    let nkw = kwargs.map { PyDict_Size($0) } ?? 0
    var names: PyObjectPointer? = nil
    if nkw > 0 { guard let t = PyTuple_New(nkw) else { return -1 }; names = t }
    defer { sb_xdecref(names) }
    let result = withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: 1 + nargs + nkw) { buf -> PyObjectPointer? in
        buf[0] = object
        for i in 0..<nargs { buf[1 + i] = sb_tuple_get(args, i) }
        if let kwargs, let names {
            var pos = 0, i = 0
            var key: PyObjectPointer? = nil, value: PyObjectPointer? = nil
            while PyDict_Next(kwargs, &pos, &key, &value) != 0 {
                sb_tuple_set_steal(names, i, sb_newref(key!))
                buf[1 + nargs + i] = value
                i += 1
            }
        }
        return initializer.call(UnsafePointer(buf.baseAddress!), 1 + nargs, names)
    }
    guard let result else { return -1 }
    sb_decref(result)
    return 0
}

/// `tp_dealloc`: destroys the Swift value and frees the object.
let deallocTrampoline: @convention(c) (PyObjectPointer?) -> Void = { object in
    guard let object else { return }
    let type = sb_type(object)
    if sb_type_is_gc(type) != 0 { PyObject_GC_UnTrack(object) }
    if Instance.raw(object).load(fromByteOffset: Instance.weaklistOffset, as: PyObjectPointer?.self) != nil {
        PyObject_ClearWeakRefs(object)
    }
    // SAFETY: the type, alive until the decref below, owns the record.
    if let record = ClassRecord.unretained(object) {
        record._withUnsafeGuaranteedRef { $0.destroyPayload(object) }
        Instance.setRecord(object, nil)
    }
    sb_type_free(type)?(UnsafeMutableRawPointer(object))
    sb_decref(sb_type_as_object(type))
}

/// `tp_traverse` of types that declare `c.traverse`.
let traverseTrampoline: @convention(c) (PyObjectPointer?, visitproc?, UnsafeMutableRawPointer?) -> Int32 = { object, visit, arg in
    guard let object, let visit else { return 0 }
    // Heap types: instances own a reference to their type.
    let status = sb_visit(visit, arg, sb_type_as_object(sb_type(object)))
    if status != 0 { return status }
    guard let record = ClassRecord.of(object), let traverse = record.traverse else { return 0 }
    var result: Int32 = 0
    _ = traverse(object, PythonVisitor { held in
        if result == 0 { result = sb_visit(visit, arg, held) }
    })
    return result
}

/// `tp_clear` of types that declare `c.clear`.
let clearTrampoline: @convention(c) (PyObjectPointer?) -> Int32 = { object in
    guard let object, let record = ClassRecord.of(object), let clear = record.clear else { return 0 }
    clear(object)
    return 0
}

#if !SWIFTBIND_NO_BUFFER_API
/// `bf_getbuffer` / `bf_releasebuffer` of types that declare `c.buffer`.
let getBufferTrampoline: @convention(c) (PyObjectPointer?, UnsafeMutablePointer<Py_buffer>?, Int32) -> Int32 = { object, view, flags in
    guard let object, let view else { return -1 }
    guard let record = ClassRecord.of(object), let get = record.getBuffer else {
        PyErr_SetString(sb_exc_BufferError(), "\(object.typeName) object is not initialized")
        return -1
    }
    return get(object, view, flags)
}

let releaseBufferTrampoline: @convention(c) (PyObjectPointer?, UnsafeMutablePointer<Py_buffer>?) -> Void = { object, view in
    guard let object, let view, let record = ClassRecord.of(object) else { return }
    record.releaseBuffer?(object, view)
}
#endif
