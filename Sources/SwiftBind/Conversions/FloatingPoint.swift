// Python float <-> Double and Float.
//
// Like Python's own float parameters, ints and objects with `__float__` or
// `__index__` are accepted; strings are not.  A finite value outside Float's
// range raises OverflowError instead of silently becoming infinity.

extension Double: PythonConvertible {
    public static var pythonTypeName: String { "float" }

    @inlinable @inline(__always)
    public static func fromPython(_ object: BorrowedObject) throws -> Double {
        let p = object.unsafePointer
        if sb_float_check_exact(p) != 0 { return sb_float_as_double(p) }
        return try doubleSlowPath(object)
    }

    @inlinable @inline(never)
    static func doubleSlowPath(_ object: BorrowedObject) throws -> Double {
        let p = object.unsafePointer
        sb_incref(p)  // held across __float__/__index__ (Python code)
        defer { sb_decref(p) }
        if sb_float_check(p) == 0 && sb_long_check(p) == 0 {
            guard sb_type_has_float_or_index(sb_type(p)) != 0 else {
                throw ConversionError.wrongType(expected: "float", got: object)
            }
        }
        let value = PyFloat_AsDouble(p)
        if value == -1.0, exceptionIsPending() {
            if PyErr_ExceptionMatches(sb_exc_OverflowError()) != 0 {
                PyErr_Clear()
                throw ConversionError(.outOfRange("int too large to convert to float"))
            }
            throw PythonException.fetch()
        }
        return value
    }

    @inlinable @inline(__always)
    public func toPython() throws -> NewReference {
        NewReference(owning: try checkedNew(PyFloat_FromDouble(self)))
    }
}

extension Float: PythonConvertible {
    public static var pythonTypeName: String { "float" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> Float {
        let d = try Double.fromPython(object)
        if d.isFinite && abs(d) > Double(Float.greatestFiniteMagnitude) {
            throw ConversionError(.outOfRange("\(d) does not fit in Float (±\(Float.greatestFiniteMagnitude))"))
        }
        return Float(d)
    }

    @inlinable
    public func toPython() throws -> NewReference {
        NewReference(owning: try checkedNew(PyFloat_FromDouble(Double(self))))
    }
}
