// Python dict <-> Dictionary.

extension Dictionary: FromPython where Key: FromPython, Value: FromPython {
    public static var pythonTypeName: String {
        "dict[\(Key.pythonTypeName), \(Value.pythonTypeName)]"
    }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> [Key: Value] {
        let p = object.unsafePointer
        guard sb_dict_check(p) != 0 else {
            throw ConversionError.wrongType(expected: pythonTypeName, got: object)
        }
        var result: [Key: Value] = [:]
        result.reserveCapacity(PyDict_Size(p))
        var position = 0
        var key: PyObjectPointer?, value: PyObjectPointer?
        while PyDict_Next(p, &position, &key, &value) != 0 {
            // PyDict_Next gives borrowed references; converting the key may
            // run Python code (__index__) that empties the dict and frees
            // them, so both are held while they convert.
            let heldKey = sb_newref(key!)!, heldValue = sb_newref(value!)!
            defer { sb_decref(heldKey); sb_decref(heldValue) }
            let k = BorrowedObject(heldKey), v = BorrowedObject(heldValue)
            let swiftKey: Key
            do { swiftKey = try Key.fromPython(k) }
            catch let e as ConversionError { throw e.at(" key \(shortRepr(k))") }
            do { result[swiftKey] = try Value.fromPython(v) }
            catch let e as ConversionError { throw e.at("[\(shortRepr(k))]") }
        }
        return result
    }
}

extension Dictionary: ToPython where Key: ToPython, Value: ToPython {
    @inlinable
    public func toPython() throws -> NewReference {
        let dict = NewReference(owning: try checkedNew(PyDict_New()))
        for (key, value) in self {
            let k = try key.toPython(), v = try value.toPython()
            try checkedStatus(PyDict_SetItem(dict.pointer, k.pointer, v.pointer))
        }
        return dict
    }
}

/// `repr(object)` cut to 40 characters, for messages.  Never throws.
@usableFromInline
func shortRepr(_ object: BorrowedObject) -> String {
    guard let r = PyObject_Repr(object.unsafePointer) else { PyErr_Clear(); return "<?>" }
    defer { sb_decref(r) }
    guard let s = PyUnicode_AsUTF8AndSize(r, nil) else { PyErr_Clear(); return "<?>" }
    let text = String(cString: s)
    return text.count > 40 ? String(text.prefix(37)) + "..." : text
}
