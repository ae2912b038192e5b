/// The descriptor type of methods of Swift-defined types.
///
/// Like CPython's own method descriptors it binds on attribute access
/// (`c.bump` is a bound method) and is flagged `Py_TPFLAGS_METHOD_DESCRIPTOR`,
/// so `c.bump(1)` calls it directly with the receiver as the first argument
/// (no bound-method object).  Unlike them it carries the method's
/// `FunctionRecord`, so the call goes through the same binder and
/// type-specialised `invoke` as module functions, with the receiver in
/// slot 0.  `__name__`, `__qualname__`, `__doc__` and `__text_signature__`
/// make `help()` and `inspect.signature()` work.
///
/// Layout: the shim's `sb_method_descriptor` (header, vectorcall function,
/// retained FunctionRecord, owned `__name__`, `__qualname__`, `__doc__`,
/// `__text_signature__`, and the borrowed owning type, whose instances
/// alone it accepts as receiver).
enum MethodDescriptor {

    // SAFETY: made once under the GIL, never freed.
    nonisolated(unsafe) static var type: PyTypePointer? = nil

    static func descriptorType() throws -> PyTypePointer {
        if let type { return type }
        let members = UnsafeMutablePointer<PyMemberDef>.allocate(capacity: 6)
        members[0] = sb_offset_member(strdup("__vectorcalloffset__"), sb_method_descriptor_vectorcall_offset())
        members[1] = sb_object_member(strdup("__name__"), sb_method_descriptor_name_offset())
        members[2] = sb_object_member(strdup("__qualname__"), sb_method_descriptor_qualname_offset())
        members[3] = sb_object_member(strdup("__doc__"), sb_method_descriptor_doc_offset())
        members[4] = sb_object_member(strdup("__text_signature__"), sb_method_descriptor_text_signature_offset())
        members[5] = PyMemberDef()
        let slots = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: 5)
        slots[0] = PyType_Slot(slot: Py_tp_dealloc, pfunc: unsafeBitCast(descriptorDealloc, to: UnsafeMutableRawPointer.self))
        slots[1] = PyType_Slot(slot: Py_tp_descr_get, pfunc: unsafeBitCast(descriptorGet, to: UnsafeMutableRawPointer.self))
        slots[2] = PyType_Slot(slot: Py_tp_call, pfunc: unsafeBitCast(descriptorCall, to: UnsafeMutableRawPointer.self))
        slots[3] = PyType_Slot(slot: Py_tp_members, pfunc: UnsafeMutableRawPointer(members))
        slots[4] = PyType_Slot(slot: 0, pfunc: nil)
        let spec = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
        spec.initialize(to: PyType_Spec(
            name: strdup("swiftbind.method_descriptor"), basicsize: Int32(sb_method_descriptor_size()), itemsize: 0,
            // IMMUTABLETYPE: CPython 3.11 specialises LOAD_METHOD only for
            // method descriptors of immutable types.
            flags: UInt32(sb_tpflags_default()) | UInt32(sb_tpflags_have_vectorcall()) | UInt32(sb_tpflags_method_descriptor()) | UInt32(sb_tpflags_immutabletype()),
            slots: slots))
        let made = try checkedNew(PyType_FromSpec(spec))
        type = sb_object_as_type(made)
        return type!
    }

    /// A descriptor for `record`, named `name` in class `className`.
    static func make(_ record: FunctionRecord, type owner: PyTypePointer, name: String,
                     className: String, doc: String?, textSignature: String) throws -> PythonObject {
        let type = try descriptorType()
        let object = try checkedNew(PyType_GenericAlloc(type, 0))
        let made = PythonObject(owning: object)
        let d = sb_as_method_descriptor(object)!
        d.pointee.vectorcall = methodVectorcall
        d.pointee.record = Unmanaged.passRetained(record).toOpaque()
        // Borrowed: the type owns the descriptor (in its dict) and outlives it.
        d.pointee.owner = owner
        d.pointee.name = try name.toPython().take()
        d.pointee.qualname = try "\(className).\(name)".toPython().take()
        d.pointee.doc = try doc.map { try $0.toPython().take() } ?? sb_newref(sb_None())
        d.pointee.text_signature = try textSignature.toPython().take()
        return made
    }
}

typealias MethodVectorcall = @convention(c) (PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?) -> PyObjectPointer?

/// A method call: `args[0]` is the receiver.
///
/// SAFETY: `descriptor` is a method descriptor, which owns its record.
let methodVectorcall: MethodVectorcall = { descriptor, args, nargsf, kwnames in
    let d = sb_as_method_descriptor(descriptor.unsafelyUnwrapped).unsafelyUnwrapped
    let owner = d.pointee.owner.unsafelyUnwrapped
    if sb_vectorcall_nargs(nargsf) > 0, let receiver = args.unsafelyUnwrapped[0],
       sb_type(receiver) != owner && PyType_IsSubtype(sb_type(receiver), owner) == 0 {
        return wrongReceiver(descriptor.unsafelyUnwrapped, receiver, owner)
    }
    return Unmanaged<FunctionRecord>.fromOpaque(d.pointee.record.unsafelyUnwrapped)
        ._withUnsafeGuaranteedRef { $0.call(args, sb_vectorcall_nargs(nargsf), kwnames) }
}

/// `descriptor(*args, **kwargs)` (`PyVectorcall_Call`): what runs when the
/// caller does not use vectorcall.
let descriptorCall: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { descriptor, args, kwargs in
    #if SWIFTBIND_LIMITED_API
    guard let descriptor, let args, let function = sb_as_method_descriptor(descriptor)?.pointee.vectorcall else { return nil }
    return callThroughVector(function, descriptor, args, kwargs)
    #else
    return PyVectorcall_Call(descriptor, args, kwargs)
    #endif
}

/// `descriptor.__get__(object, type)`: a bound method, or the descriptor
/// itself when looked up on the class.
let descriptorGet: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { descriptor, object, _ in
    guard let descriptor else { return nil }
    guard let object, object != sb_None() else { return sb_newref(descriptor) }
    return boundMethod(descriptor, object)
}

let descriptorDealloc: @convention(c) (PyObjectPointer?) -> Void = { descriptor in
    guard let descriptor else { return }
    let d = sb_as_method_descriptor(descriptor)!
    if let record = d.pointee.record { Unmanaged<FunctionRecord>.fromOpaque(record).release() }
    sb_xdecref(d.pointee.name); sb_xdecref(d.pointee.qualname)
    sb_xdecref(d.pointee.doc); sb_xdecref(d.pointee.text_signature)
    let type = sb_type(descriptor)
    sb_type_free(type)?(UnsafeMutableRawPointer(descriptor))
    sb_decref(sb_type_as_object(type))
}

@inline(never)
func wrongReceiver(_ descriptor: PyObjectPointer, _ receiver: PyObjectPointer,
                   _ owner: PyTypePointer) -> PyObjectPointer? {
    let name = sb_as_method_descriptor(descriptor)?.pointee.name
        .flatMap { try? String.fromPython(BorrowedObject($0)) } ?? "?"
    let ownerName = pythonTypeName(owner)
    PyErr_SetString(sb_exc_TypeError(),
        "descriptor '\(name)' for '\(ownerName)' objects doesn't apply to a '\(receiver.typeName)' object")
    return nil
}
