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
        if let s = PyUnicode_AsUTF8(r) { shown = String(cString: s) }
        sb_decref(r)
    }
    PyErr_Clear()
    if shown.count > 40 { shown = String(shown.prefix(37)) + "..." }
    return ConversionError(.outOfRange("\(shown) does not fit in \(T.self) (\(T.min)...\(T.max))"))
}

extension FromPython where Self: FixedWidthInteger & SignedInteger {
    public static var pythonTypeName: String { "int" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> Self {
        let p = object.unsafePointer
        if sb_long_check_exact(p) == 0 { try pythonIntegerCheck(object) }
        let value = PyLong_AsLongLong(p)
        if value == -1, exceptionIsPending() {
            // Overflow of Int64 or an __index__ that raised.
            if PyErr_ExceptionMatches(sb_exc_OverflowError()) != 0 { throw overflow(Self.self, object) }
            throw PythonException.fetch()
        }
        guard let result = Self(exactly: value) else { throw overflow(Self.self, object) }
        return result
    }
}

extension FromPython where Self: FixedWidthInteger & UnsignedInteger {
    public static var pythonTypeName: String { "int" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> Self {
        let p = object.unsafePointer
        try pythonIntegerCheck(object)
        // PyLong_AsUnsignedLongLong does not call __index__; do it first.
        guard let index = PyNumber_Index(p) else { throw PythonException.fetch() }
        defer { sb_decref(index) }
        let value = PyLong_AsUnsignedLongLong(index)
        if value == UInt64.max, exceptionIsPending() {
            // OverflowError for negative or too large values.
            if PyErr_ExceptionMatches(sb_exc_OverflowError()) != 0 { throw overflow(Self.self, object) }
            throw PythonException.fetch()
        }
        guard let result = Self(exactly: value) else { throw overflow(Self.self, object) }
        return result
    }
}

extension ToPython where Self: FixedWidthInteger & SignedInteger {
    @inlinable
    public func toPython() throws -> NewReference {
        NewReference(owning: try checkedNew(PyLong_FromLongLong(Int64(self))))
    }
}

extension ToPython where Self: FixedWidthInteger & UnsignedInteger {
    @inlinable
    public func toPython() throws -> NewReference {
        NewReference(owning: try checkedNew(PyLong_FromUnsignedLongLong(UInt64(self))))
    }
}

extension Int: PythonConvertible {}
extension Int8: PythonConvertible {}
extension Int16: PythonConvertible {}
extension Int32: PythonConvertible {}
extension Int64: PythonConvertible {}
extension UInt: PythonConvertible {}
extension UInt8: PythonConvertible {}
extension UInt16: PythonConvertible {}
extension UInt32: PythonConvertible {}
extension UInt64: PythonConvertible {}
