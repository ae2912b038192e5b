@_exported import CPython

/// The raw C pointer to a Python object.
///
/// It appears only inside the runtime and in escape hatches whose names say
/// `unsafe`; everything public speaks ``PythonObject``, ``BorrowedObject``
/// or ``NewReference``.
public typealias PyObjectPointer = UnsafeMutablePointer<PyObject>

extension UnsafeMutablePointer where Pointee == PyObject {
    /// The Python type name of the object, for error messages (`"int"`).
    @inlinable
    var typeName: String { String(cString: sb_type_name(self)) }
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
