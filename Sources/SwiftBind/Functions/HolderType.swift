/// The Swift object pointer a holder carries: the last word of the
/// instance, whose size its type records (module basicsize + one pointer).
/// Two cached loads; no globals, so no exclusivity or lazy-init checks on
/// the call path.
@inlinable @inline(__always)
func holderPointer(_ holder: PyObjectPointer) -> UnsafeMutableRawPointer? {
    let size = holder.pointee.ob_type.unsafelyUnwrapped.pointee.tp_basicsize
    return UnsafeRawPointer(holder).load(fromByteOffset: size &- MemoryLayout<UnsafeRawPointer>.size,
                                         as: UnsafeMutableRawPointer?.self)
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
        let moduleType = UnsafeMutableRawPointer(mutating: sb_module_type())
            .assumingMemoryBound(to: PyTypeObject.self)
        if spec == nil {
            let slots = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: 1)
            slots[0] = PyType_Slot(slot: 0, pfunc: nil)
            let s = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
            s.initialize(to: PyType_Spec(
                name: strdup("swiftbind.FunctionHolder"),
                basicsize: Int32(moduleType.pointee.tp_basicsize) + Int32(MemoryLayout<UnsafeRawPointer>.size),
                itemsize: 0,
                flags: UInt32(sb_tpflags_default()), slots: slots))  // GC is inherited
            spec = s
        }
        // A 1-tuple of bases: Python 3.9 accepts nothing else.
        let bases = PythonObject(owning: try checkedNew(PyTuple_New(1)))
        sb_tuple_set_steal(bases.unsafePointer, 0,
                           sb_newref(UnsafeMutableRawPointer(moduleType).assumingMemoryBound(to: PyObject.self)))
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
        let size = holder.unsafePointer.pointee.ob_type.unsafelyUnwrapped.pointee.tp_basicsize
        UnsafeMutableRawPointer(holder.unsafePointer).storeBytes(
            of: retained, toByteOffset: size - MemoryLayout<UnsafeRawPointer>.size, as: UnsafeMutableRawPointer?.self)
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
