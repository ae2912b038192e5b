/// One property of a Swift-defined type: a getter and, when writable, a
/// setter, each type-specialised.  CPython's getset descriptor checks the
/// receiver's type before calling them and raises AttributeError for a
/// read-only property.
@usableFromInline
final class PropertyRecord {
    /// Returns a new reference, or nil with an exception set.
    typealias Getter = (PyObjectPointer) -> PyObjectPointer?
    /// Returns 0, or -1 with an exception set.
    typealias Setter = (PyObjectPointer, PyObjectPointer) -> Int32

    let name: String
    let doc: String?
    let get: Getter
    let set: Setter?

    init(name: String, doc: String?, get: @escaping Getter, set: Setter?) {
        self.name = name
        self.doc = doc
        self.get = get
        self.set = set
    }

    /// The `PyGetSetDef` entry; the strings live as long as the process
    /// (CPython keeps pointers to them in the descriptor).
    func definition() -> PyGetSetDef {
        PyGetSetDef(
            name: UnsafePointer(strdup(name)),
            get: propertyGetTrampoline,
            set: set == nil ? nil : propertySetTrampoline,
            doc: doc.map { UnsafePointer(strdup($0)) },
            closure: Unmanaged.passUnretained(self).toOpaque())
    }
}

/// SAFETY: `closure` is the PropertyRecord of this getset entry, owned by
/// the type's ClassRecord, which lives as long as the type.
let propertyGetTrampoline: @convention(c) (PyObjectPointer?, UnsafeMutableRawPointer?) -> PyObjectPointer? = { object, closure in
    Unmanaged<PropertyRecord>.fromOpaque(closure.unsafelyUnwrapped)
        ._withUnsafeGuaranteedRef { $0.get(object.unsafelyUnwrapped) }
}

let propertySetTrampoline: @convention(c) (PyObjectPointer?, PyObjectPointer?, UnsafeMutableRawPointer?) -> Int32 = { object, value, closure in
    let property = Unmanaged<PropertyRecord>.fromOpaque(closure.unsafelyUnwrapped)
    guard let value else { return cannotDelete(property) }
    // (`!`, not `unsafelyUnwrapped`: the generic getter returns the closure
    // at maximal abstraction, and the thunk allocated on every call.)
    return property._withUnsafeGuaranteedRef { $0.set!(object.unsafelyUnwrapped, value) }
}

@inline(never)
func cannotDelete(_ property: Unmanaged<PropertyRecord>) -> Int32 {
    PyErr_SetString(sb_exc_AttributeError(), "cannot delete attribute '\(property.takeUnretainedValue().name)'")
    return -1
}
