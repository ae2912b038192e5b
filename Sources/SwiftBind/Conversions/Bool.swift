// Python bool <-> Bool.  Only `True`/`False` (and NumPy's bool scalar) are
// accepted: `flag=1` or `flag="yes"` is a TypeError, as in nanobind and PyO3.

extension Bool: PythonConvertible {
    public static var pythonTypeName: String { "bool" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> Bool {
        let p = object.unsafePointer
        if p == sb_True() { return true }
        if p == sb_False() { return false }
        let name = object.pythonTypeName
        if name == "numpy.bool" || name == "numpy.bool_" {
            let truth = PyObject_IsTrue(p)
            if truth < 0 { throw PythonException.fetch() }
            return truth == 1
        }
        throw ConversionError.wrongType(expected: "bool", got: object)
    }

    @inlinable
    public func toPython() throws -> NewReference {
        NewReference(owning: sb_newref(self ? sb_True() : sb_False()))
    }
}
