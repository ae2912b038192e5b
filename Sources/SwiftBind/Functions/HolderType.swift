/// The small Python type whose instances carry a retained Swift object into
/// C callbacks (the `self` of every bound function).
///
/// One type is made per module object, so modules in different interpreters
/// share nothing.  An instance owns one retain of its Swift object and
/// releases it when Python frees the instance.
enum HolderType {
    /// `tp_dealloc`: release the Swift object, free the memory, drop the
    /// instance's reference to its heap type.
    static let dealloc: @convention(c) (PyObjectPointer?) -> Void = { object in
        guard let object else { return }
        let type = sb_type(object)!
        if let swift = sb_holder_get(object) {
            Unmanaged<AnyObject>.fromOpaque(swift).release()
            sb_holder_set(object, nil)
        }
        PyObject_Free(object)
        sb_decref(UnsafeMutableRawPointer(type).assumingMemoryBound(to: PyObject.self))
    }

    // SAFETY: written once under the GIL by `make`, never freed: CPython
    // may keep pointers into the spec (its name) for the life of the types.
    nonisolated(unsafe) static var spec: UnsafeMutablePointer<PyType_Spec>? = nil

    /// Makes the holder type for one module.  Requires the GIL.
    static func make() throws -> PythonObject {
        if spec == nil {
            let slots = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: 2)
            slots[0] = PyType_Slot(slot: Py_tp_dealloc,
                                   pfunc: unsafeBitCast(dealloc, to: UnsafeMutableRawPointer.self))
            slots[1] = PyType_Slot(slot: 0, pfunc: nil)
            let s = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
            s.initialize(to: PyType_Spec(name: strdup("swiftbind.SwiftHolder"),
                                         basicsize: sb_holder_size(), itemsize: 0,
                                         flags: UInt32(sb_tpflags_default()), slots: slots))
            spec = s
        }
        return PythonObject(owning: try checkedNew(PyType_FromSpec(spec)))
    }

    /// A new instance of `type` that owns a retain of `swift`.
    static func instance(of type: PythonObject, holding swift: AnyObject) throws -> PythonObject {
        let t = UnsafeMutableRawPointer(type.unsafePointer).assumingMemoryBound(to: PyTypeObject.self)
        let object = PythonObject(owning: try checkedNew(PyType_GenericAlloc(t, 0)))
        sb_holder_set(object.unsafePointer, Unmanaged.passRetained(swift).toOpaque())
        return object
    }
}
