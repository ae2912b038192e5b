/// The Swift object pointer a holder carries: the word right after the
/// module object (every holder type has the same size, module basicsize +
/// one pointer; its offset sits in a C global, set when the first holder
/// type is made).  One load from a plain C global (no Swift global, so no
/// exclusivity or lazy-init checks on the call path), and no read of the
/// type object, which an abi3 build cannot see into.
@inlinable @inline(__always)
func holderPointer(_ holder: PyObjectPointer) -> UnsafeMutableRawPointer? {
    UnsafeRawPointer(holder).load(fromByteOffset: sb_holder_payload_offset(), as: UnsafeMutableRawPointer?.self)
}

/// The Python type whose instances carry a retained Swift object into C
/// callbacks: the `self` of every bound function.
///
/// It subclasses `types.ModuleType`, so a bound function looks exactly like
/// a C builtin defined in a module: `help()` shows "built-in function add in
/// module hello", and pickle sends it by reference (`hello.add`), which
/// multiprocessing needs.  The Swift object pointer sits right after the
/// module object (see `holderPointer`); the instance's `__dict__` holds a
/// capsule that owns the retain and releases it when the holder dies.  One
/// type is made per module object, so modules in different interpreters
/// share nothing.
enum HolderType {
    // SAFETY: written once under the GIL, never freed: CPython may keep
    // pointers into the spec (its name) for the life of the types.
    nonisolated(unsafe) static var spec: UnsafeMutablePointer<PyType_Spec>? = nil

    /// Makes the holder type for one module.  Requires the GIL.
    static func make() throws -> PythonObject {
        let moduleType = sb_type_as_object(sb_module_type())!
        if spec == nil {
            // types.ModuleType.__basicsize__: the limited API's way to read tp_basicsize.
            let moduleSize = PyLong_AsSsize_t(try PythonObject(borrowing: moduleType).attribute("__basicsize__").unsafePointer)
            sb_set_holder_payload_offset(moduleSize)
            let slots = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: 1)
            slots[0] = PyType_Slot(slot: 0, pfunc: nil)
            let s = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
            s.initialize(to: PyType_Spec(
                name: strdup("swiftbind.FunctionHolder"),
                basicsize: Int32(moduleSize + MemoryLayout<UnsafeRawPointer>.size),
                itemsize: 0,
                flags: UInt32(sb_tpflags_default()), slots: slots))  // GC is inherited
            spec = s
        }
        // A 1-tuple of bases: Python 3.9 accepts nothing else.
        let bases = PythonObject(owning: try checkedNew(PyTuple_New(1)))
        sb_tuple_set_steal(bases.unsafePointer, 0, sb_newref(moduleType))
        return PythonObject(owning: try checkedNew(PyType_FromSpecWithBases(spec, bases.unsafePointer)))
    }

    /// A new holder named `moduleName` that owns a retain of `swift`.
    static func instance(of type: PythonObject, moduleName: String, holding swift: AnyObject) throws -> PythonObject {
        let holder = try type.call([moduleName])
        let retained = Unmanaged.passRetained(swift).toOpaque()
        guard let capsule = PyCapsule_New(retained, nil, releaseCapsule) else {
            Unmanaged<AnyObject>.fromOpaque(retained).release()
            throw PythonException.fetch()
        }
        let owner = PythonObject(owning: capsule)
        try holder.setAttribute("__swiftbind_record__", owner)
        UnsafeMutableRawPointer(holder.unsafePointer).storeBytes(
            of: retained, toByteOffset: sb_holder_payload_offset(), as: UnsafeMutableRawPointer?.self)
        return holder
    }

    /// Capsule destructor: tells the held object its holder died, and gives
    /// back the retain taken in `instance`.
    static let releaseCapsule: @convention(c) (PyObjectPointer?) -> Void = { capsule in
        guard let capsule, let raw = PyCapsule_GetPointer(capsule, nil) else { return }
        let held = Unmanaged<AnyObject>.fromOpaque(raw)
        (held.takeUnretainedValue() as? DiesWithHolder)?.holderDied()
        held.release()
    }
}

/// A Swift object a holder carries that must know when the holder (and
/// with it the Python type or function it serves) is freed.
protocol DiesWithHolder: AnyObject {
    /// Called with the GIL held, from the holder's deallocation.
    func holderDied()
}
