/// Makes the Python type object of a `ClassRecord` with `PyType_FromModuleAndSpec`.
///
/// The "module" given to CPython is a holder (see ``HolderType``) that owns
/// the record, so the type's vectorcall finds the record in two loads and
/// the record lives exactly as long as the type.
enum ClassTypeFactory {
    /// Creates the type, fills its dict and registers it.  `extraSlots`
    /// adds C slots (iterators use it).
    static func make(_ record: ClassRecord, module: ModuleBuilder, swiftType: Any.Type,
                     extraSlots: [PyType_Slot] = [], constructible: Bool = true) throws -> PythonObject {
        if let base = record.base {
            // Hooks are per record; a derived record inherits its base's.
            record.traverse = record.traverse ?? base.traverse
            record.clear = record.clear ?? base.clear
            #if !SWIFTBIND_NO_BUFFER_API
            record.getBuffer = record.getBuffer ?? base.getBuffer
            record.releaseBuffer = record.releaseBuffer ?? base.releaseBuffer
            #endif
            record.pickleState = record.pickleState ?? base.pickleState
            record.pickleRestore = record.pickleRestore ?? base.pickleRestore
            if record.initializer == nil { record.initializer = base.initializer; record.initializerSignature = base.initializerSignature }
            record.inheritedProperties = base.allProperties
        }
        // Everything below is kept for the life of the process: CPython
        // keeps pointers into the spec, the getset table and the strings.
        let getsets = UnsafeMutablePointer<PyGetSetDef>.allocate(capacity: record.properties.count + 1)
        for (i, p) in record.properties.enumerated() { getsets[i] = p.definition() }
        getsets[record.properties.count] = PyGetSetDef()
        let members = UnsafeMutablePointer<PyMemberDef>.allocate(capacity: 2)
        members[0] = sb_offset_member(strdup("__weaklistoffset__"), Instance.weaklistOffset)
        members[1] = PyMemberDef()

        func slot<F>(_ id: Int32, _ f: F) -> PyType_Slot {
            PyType_Slot(slot: id, pfunc: unsafeBitCast(f, to: UnsafeMutableRawPointer.self))
        }
        var slots: [PyType_Slot] = [
            slot(Py_tp_dealloc, deallocTrampoline),
            slot(Py_tp_new, newTrampoline),
            slot(Py_tp_init, initTrampoline),
            PyType_Slot(slot: Py_tp_getset, pfunc: UnsafeMutableRawPointer(getsets)),
            PyType_Slot(slot: Py_tp_members, pfunc: UnsafeMutableRawPointer(members)),
        ]
        var docText = record.doc ?? ""
        if let sig = record.initializerSignature {
            var typed = ""
            if let i = record.initializerDeclaration, i < module.declarations.count {
                var d = module.declarations[i]
                d.name = record.name
                d.doc = nil
                typed = module.typedLine(d) + (docText.isEmpty ? "" : "\n\n")
            }
            docText = "\(record.name)\(sig.textSignature)\n--\n\n" + typed + docText
        }
        if !docText.isEmpty { slots.append(PyType_Slot(slot: Py_tp_doc, pfunc: UnsafeMutableRawPointer(strdup(docText)))) }
        var flags = UInt32(sb_tpflags_default()) | UInt32(sb_tpflags_basetype())
        if record.traverse != nil {
            flags |= UInt32(sb_tpflags_have_gc())
            slots.append(slot(Py_tp_traverse, traverseTrampoline))
            slots.append(slot(Py_tp_clear, clearTrampoline))
        }
        #if !SWIFTBIND_NO_BUFFER_API
        if record.getBuffer != nil {
            slots.append(slot(Py_bf_getbuffer, getBufferTrampoline))
            slots.append(slot(Py_bf_releasebuffer, releaseBufferTrampoline))
        }
        #endif
        slots += extraSlots
        slots.append(PyType_Slot(slot: 0, pfunc: nil))
        let slotArray = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: slots.count)
        slotArray.initialize(from: slots, count: slots.count)
        let spec = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
        spec.initialize(to: PyType_Spec(name: strdup(record.qualifiedName), basicsize: Int32(record.basicSize),
                                        itemsize: 0, flags: flags, slots: slotArray))

        let holder = try HolderType.instance(of: module.holderType, moduleName: module.name, holding: record)
        var bases: PythonObject? = nil
        if let base = record.base?.typeObject {
            // A 1-tuple: Python 3.9 accepts nothing else.
            let tuple = PythonObject(owning: try checkedNew(PyTuple_New(1)))
            sb_tuple_set_steal(tuple.unsafePointer, 0, sb_newref(sb_type_as_object(base)))
            bases = tuple
        }
        let typeObject = PythonObject(owning: try checkedNew(
            PyType_FromModuleAndSpec(holder.unsafePointer, spec, bases?.unsafePointer)))
        let t = sb_object_as_type(typeObject.unsafePointer)!
        if constructible { sb_type_set_vectorcall(t, constructTrampoline) }
        record.typeObject = t
        // Setting attributes on the type (not its dict) updates the C slots
        // for dunder methods (__repr__ → tp_repr, __len__ → mp_length, ...).
        for (name, attribute) in record.attributes {
            switch attribute {
            case .value(let value):
                try typeObject.setAttribute(name, value)
            case .method(let function, let doc, let textSignature, let declaration):
                var fullDoc = doc
                if let i = declaration, i < module.declarations.count {
                    fullDoc = module.typedDoc(module.declarations[i], receiver: "self")
                }
                try typeObject.setAttribute(name, try MethodSlots.descriptor(
                    function, type: t, owner: record, name: name, className: record.name, doc: fullDoc, textSignature: textSignature))
            }
        }
        // Python's rule: a class that defines __eq__ but not __hash__ is unhashable.
        let names = Set(record.attributes.map(\.0))
        if names.contains("__eq__") && !names.contains("__hash__") {
            try typeObject.setAttribute("__hash__", PythonObject.none)
        }
        try typeObject.setAttribute("__module__", module.name)
        ClassRegistry.add(record, for: swiftType)
        return typeObject
    }
}

extension ClassRecord {
    /// Properties of this type and its Swift bases, for pickling.
    var allProperties: [PropertyRecord] { properties + inheritedProperties }
}
