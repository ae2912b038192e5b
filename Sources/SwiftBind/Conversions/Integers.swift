// Python int <-> every Swift integer width.
//
// Signed types go through `PyLong_AsLongLong`, unsigned through
// `PyLong_AsUnsignedLongLong`; narrower types are range-checked after.  A
// value that does not fit raises OverflowError naming the Swift type and its
// range.  Objects with `__index__` (NumPy integers) are accepted; floats and
// strings are not (Python's own rule for integer parameters).

@inlinable
func pythonIntegerCheck(_ object: BorrowedObject) throws(ConversionError) {
    let p = object.unsafePointer
    if sb_long_check(p) == 0 && PyIndex_Check(p) == 0 {
        throw ConversionError.wrongType(expected: "int", got: object)
    }
}

@inlinable
func overflow<T: FixedWidthInteger>(_ type: T.Type, _ object: BorrowedObject) -> ConversionError {
    var shown = "int"
    if let r = PyObject_Repr(object.unsafePointer) {
        if let s = PyUnicode_AsUTF8AndSize(r, nil) { shown = String(cString: s) }
        sb_decref(r)
    }
    PyErr_Clear()
    if shown.count > 40 { shown = String(shown.prefix(37)) + "..." }
    return ConversionError(.outOfRange("\(shown) does not fit in \(T.self) (\(T.min)...\(T.max))"))
}

/// Signed conversion: the common case (an exact int that fits in Int64)
/// inline; everything else in `signedSlowPath`.
@inlinable @inline(__always)
func signedFromPython<T: FixedWidthInteger & SignedInteger>(_ object: BorrowedObject, as type: T.Type) throws -> T {
    let p = object.unsafePointer
    if sb_long_check_exact(p) != 0 {
        let value = PyLong_AsLongLong(p)
        if value != -1, let result = T(exactly: value) { return result }
    }
    return try signedSlowPath(object, as: T.self)
}

@inlinable @inline(never)
func signedSlowPath<T: FixedWidthInteger & SignedInteger>(_ object: BorrowedObject, as type: T.Type) throws -> T {
    let p = object.unsafePointer
    // __index__ is Python code: whatever it does, the object stays alive
    // until the message that shows it is built.
    sb_incref(p)
    defer { sb_decref(p) }
    if sb_long_check_exact(p) == 0 { try pythonIntegerCheck(object) }
    let value = PyLong_AsLongLong(p)
    if value == -1, exceptionIsPending() {
        // Overflow of Int64 or an __index__ that raised.
        if PyErr_ExceptionMatches(sb_exc_OverflowError()) != 0 { throw overflow(T.self, object) }
        throw PythonException.fetch()
    }
    guard let result = T(exactly: value) else { throw overflow(T.self, object) }
    return result
}

@inlinable @inline(never)
func unsignedFromPython<T: FixedWidthInteger & UnsignedInteger>(_ object: BorrowedObject, as type: T.Type) throws -> T {
    let p = object.unsafePointer
    sb_incref(p)  // held across __index__, as in signedSlowPath
    defer { sb_decref(p) }
    try pythonIntegerCheck(object)
    // PyLong_AsUnsignedLongLong does not call __index__; do it first.
    guard let index = PyNumber_Index(p) else { throw PythonException.fetch() }
    defer { sb_decref(index) }
    let value = PyLong_AsUnsignedLongLong(index)
    if value == UInt64.max, exceptionIsPending() {
        // OverflowError for negative or too large values.
        if PyErr_ExceptionMatches(sb_exc_OverflowError()) != 0 { throw overflow(T.self, object) }
        throw PythonException.fetch()
    }
    guard let result = T(exactly: value) else { throw overflow(T.self, object) }
    return result
}

extension Int: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable @inline(__always)
    public static func fromPython(_ object: BorrowedObject) throws -> Int { try signedFromPython(object, as: Int.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromLongLong(Int64(self)))) }
}

extension Int8: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable @inline(__always)
    public static func fromPython(_ object: BorrowedObject) throws -> Int8 { try signedFromPython(object, as: Int8.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromLongLong(Int64(self)))) }
}

extension Int16: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable @inline(__always)
    public static func fromPython(_ object: BorrowedObject) throws -> Int16 { try signedFromPython(object, as: Int16.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromLongLong(Int64(self)))) }
}

extension Int32: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable @inline(__always)
    public static func fromPython(_ object: BorrowedObject) throws -> Int32 { try signedFromPython(object, as: Int32.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromLongLong(Int64(self)))) }
}

extension Int64: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable @inline(__always)
    public static func fromPython(_ object: BorrowedObject) throws -> Int64 { try signedFromPython(object, as: Int64.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromLongLong(Int64(self)))) }
}

extension UInt: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> UInt { try unsignedFromPython(object, as: UInt.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromUnsignedLongLong(UInt64(self)))) }
}

extension UInt8: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> UInt8 { try unsignedFromPython(object, as: UInt8.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromUnsignedLongLong(UInt64(self)))) }
}

extension UInt16: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> UInt16 { try unsignedFromPython(object, as: UInt16.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromUnsignedLongLong(UInt64(self)))) }
}

extension UInt32: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> UInt32 { try unsignedFromPython(object, as: UInt32.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromUnsignedLongLong(UInt64(self)))) }
}

extension UInt64: PythonConvertible {
    public static var pythonTypeName: String { "int" }
    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> UInt64 { try unsignedFromPython(object, as: UInt64.self) }
    @inlinable @inline(__always)
    public func toPython() throws -> NewReference { NewReference(owning: try checkedNew(PyLong_FromUnsignedLongLong(UInt64(self)))) }
}
