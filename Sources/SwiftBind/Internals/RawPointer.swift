@_exported import CPython

/// The raw C pointer to a Python object.
///
/// It appears only inside the runtime and in escape hatches whose names say
/// `unsafe`; everything public speaks ``PythonObject``, ``BorrowedObject``
/// or ``NewReference``.
public typealias PyObjectPointer = UnsafeMutablePointer<PyObject>

/// The raw C pointer to a type object.  An abi3 build
/// (`SWIFTBIND_LIMITED_API`) sees `PyTypeObject` as an opaque struct, so
/// the runtime never reads its fields: it goes through the shim.
#if SWIFTBIND_LIMITED_API
public typealias PyTypePointer = OpaquePointer
#else
public typealias PyTypePointer = UnsafeMutablePointer<PyTypeObject>
#endif

extension UnsafeMutablePointer where Pointee == PyObject {
    /// The Python type name of the object, for error messages (`"int"`).
    @inlinable
    var typeName: String { pythonTypeName(sb_type(self)) }
}

/// A type's name as `tp_name` spells it (`"int"`, `"numpy.ndarray"`,
/// `"hello.Counter"`, a Python class's bare `"Bad"`), for error messages.
/// An abi3 build cannot read `tp_name`; it rebuilds the same text: a
/// swiftbind class's qualified name, a Python class's `__name__`, and
/// `__module__.__qualname__` for a static type (builtins stand alone).
@usableFromInline
func pythonTypeName(_ type: PyTypePointer?) -> String {
    guard let type else { return "?" }
    #if SWIFTBIND_LIMITED_API
    let object = BorrowedObject(sb_type_as_object(type)!)
    func text(_ name: String) -> String? {
        guard let value = PyObject_GetAttrString(object.unsafePointer, name) else { PyErr_Clear(); return nil }
        defer { sb_decref(value) }
        return try? String.fromPython(BorrowedObject(value))
    }
    if PyType_GetFlags(type) & UInt(sb_tpflags_heaptype()) != 0 {
        if let record = ClassRegistry.byPythonType[UnsafeMutableRawPointer(type)] { return record.qualifiedName }
        return text("__name__") ?? "?"
    }
    let qualname = text("__qualname__") ?? "?"
    guard let module = text("__module__"), module != "builtins" else { return qualname }
    return module + "." + qualname
    #else
    return String(cString: type.pointee.tp_name)
    #endif
}

/// Interned Python strings made once and kept for the life of the process.
///
/// SAFETY: created and read with the GIL held; the strings are immortal in
/// practice because this table never releases them.
@usableFromInline
enum InternedStrings {
    nonisolated(unsafe) static var table: [String: PyObjectPointer] = [:]

    @usableFromInline
    static func get(_ text: String) -> PyObjectPointer {
        if let hit = table[text] { return hit }
        let made = PyUnicode_InternFromString(text)!
        table[text] = made
        return made
    }
}
