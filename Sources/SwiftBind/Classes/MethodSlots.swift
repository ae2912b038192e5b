/// Methods as CPython's own method descriptors.
///
/// CPython 3.11 specialises `obj.method(...)` only for its own method
/// descriptors (`PRECALL_METHOD_DESCRIPTOR_FAST_WITH_KEYWORDS`): with our
/// vectorcall descriptor (``MethodDescriptor``) the interpreter took its
/// generic call path and a method call cost 1.5x the hand-written C type's.
/// A `PyMethodDef` carries no closure, though, so each method needs its own
/// C function.  `methodSlotTrampolines` (generated) holds 256 of them; the
/// k-th forwards to the `FunctionRecord` in slot k.  A process that binds
/// more methods than that gets ``MethodDescriptor`` for the rest: same
/// behaviour, generic call path.
typealias MethodSlotTrampoline = @convention(c) (PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?) -> PyObjectPointer?

enum MethodSlots {
    // The record of each claimed slot lives in `sb_method_slot_table`
    // (retained).  SAFETY: written under the GIL when a method is declared,
    // before its descriptor exists, or when its type has died; only read
    // by calls through a live descriptor.
    nonisolated(unsafe) static var used = 0
    /// Slots given back by types that died (a module re-imported after
    /// the first module object and its classes were collected).
    nonisolated(unsafe) static var released: [Int] = []

    /// A `PyMethodDef` (kept for the life of the process) whose function
    /// calls `record` with the receiver in slot 0, or nil when every slot
    /// is taken.
    static func claim(_ record: FunctionRecord, name: String, doc: String?, textSignature: String,
                      for owner: ClassRecord) -> UnsafeMutablePointer<PyMethodDef>? {
        let capacity = methodSlotTrampolines.count
        guard sb_method_slots_allocate(capacity) != 0 else { return nil }
        let k: Int
        if let reused = released.popLast() {
            k = reused
            Unmanaged<FunctionRecord>.fromOpaque(sb_method_slot(k).unsafelyUnwrapped).release()
        } else {
            guard used < capacity else { return nil }
            k = used
            used += 1
        }
        owner.methodSlots.append(k)
        sb_method_slot_set(k, Unmanaged.passRetained(record).toOpaque())
        let def = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: 1)
        def.initialize(to: PyMethodDef(
            ml_name: strdup(name),
            ml_meth: unsafeBitCast(methodSlotTrampolines[k], to: PyCFunction.self),
            ml_flags: sb_meth_fastcall_keywords(),
            ml_doc: strdup("\(name)\(textSignature)\n--\n\n\(doc ?? "")")))
        return def
    }

    /// The call from Python (`METH_FASTCALL | METH_KEYWORDS`): the
    /// receiver goes in front of the arguments, in a stack buffer.
    @inline(__always)
    static func call(_ k: Int, _ receiver: PyObjectPointer?, _ args: UnsafePointer<PyObjectPointer?>?,
                     _ nargs: Int, _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
        // SAFETY: slot k was filled by `claim` before its method existed.
        let record = Unmanaged<FunctionRecord>.fromOpaque(sb_method_slot(k).unsafelyUnwrapped)
        let total = nargs &+ (kwnames == nil ? 0 : sb_tuple_size(kwnames.unsafelyUnwrapped))
        if total < 8 {
            var buffer: (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?, PyObjectPointer?,
                         PyObjectPointer?, PyObjectPointer?, PyObjectPointer?, PyObjectPointer?)
                = (receiver, nil, nil, nil, nil, nil, nil, nil)
            return withUnsafeMutableBytes(of: &buffer) { raw in
                let slots = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: PyObjectPointer?.self)
                var i = 0
                while i < total { slots[i &+ 1] = args.unsafelyUnwrapped[i]; i &+= 1 }
                return record._withUnsafeGuaranteedRef { $0.call(UnsafePointer(slots), nargs &+ 1, kwnames) }
            }
        }
        return withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: total &+ 1) { buffer in
            let slots = buffer.baseAddress.unsafelyUnwrapped
            slots[0] = receiver
            for i in 0..<total { slots[i + 1] = args.unsafelyUnwrapped[i] }
            return record._withUnsafeGuaranteedRef { $0.call(UnsafePointer(slots), nargs &+ 1, kwnames) }
        }
    }

    /// The descriptor for a method of `type`: a CPython method descriptor
    /// when a slot is free, else a ``MethodDescriptor``.
    static func descriptor(_ record: FunctionRecord, type: PyTypePointer, owner: ClassRecord,
                           name: String, className: String, doc: String?, textSignature: String) throws -> PythonObject {
        // Dunder methods are reached through C slots (`slot_tp_repr`, ...),
        // which gain nothing from the specialisation: they keep the slots.
        if !name.hasPrefix("__"), let def = claim(record, name: name, doc: doc, textSignature: textSignature, for: owner) {
            return PythonObject(owning: try checkedNew(PyDescr_NewMethod(type, def)))
        }
        return try MethodDescriptor.make(record, type: type, name: name, className: className, doc: doc, textSignature: textSignature)
    }
}

extension MethodSlots {
    /// Gives back the slots of a type that died, for methods declared
    /// later.  A slot keeps its record until it is claimed again (a
    /// descriptor that outlived its type by a GC pass still calls a
    /// live record; its PyMethodDef is never freed).  Requires the GIL.
    static func release(_ slots: [Int]) {
        released.append(contentsOf: slots)
    }
}
