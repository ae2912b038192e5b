// Python list/tuple/sequence <-> Array; bytes <-> [UInt8].
//
// `[UInt8]` is the byte-string type: it comes from bytes, bytearray or any
// contiguous buffer of unsigned bytes (memoryview, array('B'), NumPy uint8)
// with one copy, or from a list of ints 0...255, and goes back as bytes.
// Every other element type comes from a list, a tuple or another sequence
// (but not from str, bytes or dict, which would be a mistake more often
// than not) and goes back as a list.

extension Array: FromPython where Element: FromPython {
    public static var pythonTypeName: String {
        Element.self == UInt8.self ? "bytes" : "list[\(Element.pythonTypeName)]"
    }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> [Element] {
        let p = object.unsafePointer
        if sb_list_check(p) != 0 {
            var result: [Element] = []
            result.reserveCapacity(sb_list_size(p))
            var i = 0
            // The size is read every round, and each item is held by a
            // strong reference while it converts: converting may run Python
            // code (an element's __index__) that shrinks or clears the list
            // and so frees the item.
            while i < sb_list_size(p) {
                let item = sb_newref(sb_list_get(p, i))!
                defer { sb_decref(item) }
                result.append(try element(item, i))
                i += 1
            }
            return result
        }
        if sb_tuple_check(p) != 0 {
            let n = sb_tuple_size(p)
            var result: [Element] = []
            result.reserveCapacity(n)
            for i in 0..<n { result.append(try element(sb_tuple_get(p, i)!, i)) }
            return result
        }
        if Element.self == UInt8.self, let bytes = try bytesFromBuffer(object) {
            return unsafeBitCast(bytes, to: [Element].self)
        }
        if sb_unicode_check(p) != 0 || sb_bytes_check(p) != 0 || sb_bytearray_check(p) != 0
            || sb_dict_check(p) != 0 || PySequence_Check(p) == 0 {
            throw ConversionError.wrongType(expected: pythonTypeName, got: object)
        }
        guard let fast = PySequence_Fast(p, "expected a sequence") else {
            // A sequence whose __iter__/__len__ raised: the message names it.
            if PyErr_ExceptionMatches(sb_exc_TypeError()) != 0 {
                PyErr_Clear()
                throw ConversionError.wrongType(expected: pythonTypeName, got: object)
            }
            throw PythonException.fetch()
        }
        defer { sb_decref(fast) }
        return try fromPython(BorrowedObject(fast))
    }

    @inlinable
    static func element(_ item: PyObjectPointer, _ index: Int) throws -> Element {
        do { return try Element.fromPython(BorrowedObject(item)) }
        catch let e as ConversionError { throw e.at("[\(index)]") }
    }
}

/// One copy of a bytes-like object's contents, or nil if it is not one.
@usableFromInline
func bytesFromBuffer(_ object: BorrowedObject) throws -> [UInt8]? {
    let p = object.unsafePointer
    if sb_bytes_check(p) != 0 {
        let n = sb_bytes_size(p)
        return [UInt8](UnsafeRawBufferPointer(start: sb_bytes_as_string(p), count: n))
    }
    #if SWIFTBIND_NO_BUFFER_API
    // An abi3 build for 3.10 has no buffer protocol: bytes and bytearray only.
    guard sb_bytearray_check(p) != 0, let start = PyByteArray_AsString(p) else { return nil }
    return [UInt8](UnsafeRawBufferPointer(start: start, count: PyByteArray_Size(p)))
    #else
    guard PyObject_CheckBuffer(p) != 0 else { return nil }
    var view = Py_buffer()
    try getContiguousBytes(object, into: &view)   // crash-bufs: names the parameter (Buffers/ContiguousByteBuffer.swift)
    defer { PyBuffer_Release(&view) }
    let format = view.format.map { String(cString: $0) } ?? "B"
    guard view.itemsize == 1, format == "B" || format == "c" || format == "b" else {
        throw ConversionError(.wrongType(expected: "bytes or a buffer of unsigned bytes",
                                         got: "\(object.pythonTypeName) with format '\(format)'"))
    }
    return [UInt8](UnsafeRawBufferPointer(start: view.buf, count: view.len))
    #endif
}

extension Array: ToPython where Element: ToPython {
    @inlinable
    public func toPython() throws -> NewReference {
        if Element.self == UInt8.self {
            let made = withUnsafeBytes { raw in
                PyBytes_FromStringAndSize(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
            }
            return NewReference(owning: try checkedNew(made))
        }
        // The common element types go through non-generic loops, fast
        // even where the caller's generic code is not specialised.
        if Element.self == Double.self {
            return try listOfDoubles(unsafeBitCast(self, to: [Double].self))
        }
        if Element.self == Int.self {
            return try listOfInts(unsafeBitCast(self, to: [Int].self))
        }
        if Element.self == Bool.self {
            return try listOfBools(unsafeBitCast(self, to: [Bool].self))
        }
        if Element.self == String.self {
            return try listOfStrings(unsafeBitCast(self, to: [String].self))
        }
        let list = NewReference(owning: try checkedNew(PyList_New(count)))
        for (i, value) in enumerated() {
            // PyList_SET_ITEM steals the item reference.
            sb_list_set_steal(list.pointer, i, try value.toPython().take())
        }
        return list
    }
}

/// `list(values)` for the element types whose conversion cannot fail
/// (short of memory): one loop, no generic code.  A failed item leaves a
/// NULL slot, which the list's deallocation skips.
@usableFromInline
func listOfDoubles(_ values: [Double]) throws -> NewReference {
    let list = NewReference(owning: try checkedNew(PyList_New(values.count)))
    for i in 0..<values.count {
        sb_list_set_steal(list.pointer, i, try checkedNew(PyFloat_FromDouble(values[i])))
    }
    return list
}

@usableFromInline
func listOfInts(_ values: [Int]) throws -> NewReference {
    let list = NewReference(owning: try checkedNew(PyList_New(values.count)))
    for i in 0..<values.count {
        sb_list_set_steal(list.pointer, i, try checkedNew(PyLong_FromLongLong(Int64(values[i]))))
    }
    return list
}

@usableFromInline
func listOfBools(_ values: [Bool]) throws -> NewReference {
    let list = NewReference(owning: try checkedNew(PyList_New(values.count)))
    for i in 0..<values.count {
        sb_list_set_steal(list.pointer, i, sb_newref(values[i] ? sb_True() : sb_False()))
    }
    return list
}

@usableFromInline
func listOfStrings(_ values: [String]) throws -> NewReference {
    let list = NewReference(owning: try checkedNew(PyList_New(values.count)))
    for (i, value) in values.enumerated() {
        sb_list_set_steal(list.pointer, i, try value.toPython().take())
    }
    return list
}

extension ArraySlice: ToPython where Element: ToPython {
    @inlinable
    public func toPython() throws -> NewReference { try Array(self).toPython() }
}
