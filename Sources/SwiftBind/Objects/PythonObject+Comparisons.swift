// Comparisons and hashing.  Swift's `==`, `<` and `hash(into:)` cannot
// throw, so PythonObject's conformances fall back without trapping when
// Python raises (a `__eq__` that raises, `[1] < None`, `hash([])`):
//
//   - `==` and `<` (and `!=`, `>`, `<=`, `>=`) answer false; the exception
//     goes to `sys.unraisablehook` (printed by default);
//   - `hash(into:)` of an unhashable object hashes a constant (so equal
//     objects still hash alike) and reports nothing: a Swift `Set` or
//     `Dictionary` of PythonObjects then still works, slowly, for those.
//
// The throwing twins say what Python said: `try a.equals(b)`,
// `try a.isLess(than: b)`, `try a.compare(.greaterEqual, b)`,
// `try a.pythonHash()`.

extension PythonObject {
    /// A rich comparison operator (`Py_LT` …).
    public enum ComparisonOperator: Int32, Sendable {
        case less = 0, lessEqual = 1, equal = 2, notEqual = 3, greater = 4, greaterEqual = 5

        var symbol: String { ["<", "<=", "==", "!=", ">", ">="][Int(rawValue)] }
    }

    /// `bool(self op other)`; throws what the comparison raises.
    ///
    /// The corresponding C function is `PyObject_RichCompareBool` (which
    /// answers `==` true for the same object without calling `__eq__`).
    public func compare(_ op: ComparisonOperator, _ other: PythonObject) throws -> Bool {
        try checkedValue(PyObject_RichCompareBool(unsafePointer, other.unsafePointer, op.rawValue), sentinel: -1) == 1
    }

    /// `self op other` as an object (NumPy's `a < b` is an array).
    ///
    /// The corresponding C function is `PyObject_RichCompare`.
    public func compared(_ op: ComparisonOperator, _ other: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyObject_RichCompare(unsafePointer, other.unsafePointer, op.rawValue)))
    }

    /// `self == other`, throwing.
    public func equals(_ other: PythonObject) throws -> Bool { try compare(.equal, other) }

    /// `self < other`, throwing.
    public func isLess(than other: PythonObject) throws -> Bool { try compare(.less, other) }

    /// `hash(self)`, throwing `TypeError` for an unhashable object.
    ///
    /// The corresponding C function is `PyObject_Hash`.
    public func pythonHash() throws -> Int {
        try checkedValue(PyObject_Hash(unsafePointer), sentinel: -1)
    }

    /// The non-throwing comparison behind the Swift operators.
    func compareOrReport(_ op: ComparisonOperator, _ other: PythonObject) -> Bool {
        do { return try compare(op, other) }
        catch {
            reportUnraisable(error, context: "comparing \(pythonTypeName) \(op.symbol) \(other.pythonTypeName)")
            return false
        }
    }
}

extension PythonObject: Equatable, Comparable, Hashable {
    /// `a == b`; false (and the exception reported) when `__eq__` raises.
    public static func == (a: PythonObject, b: PythonObject) -> Bool { a.compareOrReport(.equal, b) }
    /// `a != b`; false (reported) when `__ne__` raises.
    public static func != (a: PythonObject, b: PythonObject) -> Bool { a.compareOrReport(.notEqual, b) }
    /// `a < b`; false (reported) when the comparison raises.
    public static func < (a: PythonObject, b: PythonObject) -> Bool { a.compareOrReport(.less, b) }
    public static func <= (a: PythonObject, b: PythonObject) -> Bool { a.compareOrReport(.lessEqual, b) }
    public static func > (a: PythonObject, b: PythonObject) -> Bool { a.compareOrReport(.greater, b) }
    public static func >= (a: PythonObject, b: PythonObject) -> Bool { a.compareOrReport(.greaterEqual, b) }

    /// Python's `hash(self)`; a constant for an unhashable object.
    public func hash(into hasher: inout Hasher) {
        let h = PyObject_Hash(unsafePointer)
        if h == -1, exceptionIsPending() {
            PyErr_Clear()
            hasher.combine(0)
            return
        }
        hasher.combine(h)
    }
}
