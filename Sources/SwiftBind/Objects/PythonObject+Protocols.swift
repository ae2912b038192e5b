extension PythonObject: CustomStringConvertible, CustomDebugStringConvertible {
    /// `str(self)`; never throws (a failing `__str__` shows its exception).
    public var description: String {
        guard let s = PyObject_Str(unsafePointer) else {
            return "<\(pythonTypeName) whose __str__ raised \(PythonException.fetch())>"
        }
        return PythonObject(owning: s).utf8String ?? "<unprintable \(pythonTypeName)>"
    }

    /// `repr(self)`.
    public var debugDescription: String {
        guard let s = PyObject_Repr(unsafePointer) else {
            return "<\(pythonTypeName) whose __repr__ raised \(PythonException.fetch())>"
        }
        return PythonObject(owning: s).utf8String ?? "<unprintable \(pythonTypeName)>"
    }

    private var utf8String: String? {
        guard let u = PyUnicode_AsUTF8AndSize(unsafePointer, nil) else { PyErr_Clear(); return nil }
        return String(cString: u)
    }

    /// `len(self)`.
    public func count() throws -> Int {
        try checkedValue(PyObject_Size(unsafePointer), sentinel: -1)
    }

    /// `self[key]`.
    public func item(_ key: some ToPython) throws -> PythonObject {
        let k = try key.toPython()
        return PythonObject(owning: try checkedNew(PyObject_GetItem(unsafePointer, k.pointer)))
    }

    /// `self[key] = value`.
    public func setItem(_ key: some ToPython, _ value: some ToPython) throws {
        let k = try key.toPython(), v = try value.toPython()
        try checkedStatus(PyObject_SetItem(unsafePointer, k.pointer, v.pointer))
    }

    /// `bool(self)`.
    public func isTrue() throws -> Bool {
        try checkedValue(PyObject_IsTrue(unsafePointer), sentinel: -1) == 1
    }

    /// `isinstance(self, type)`.
    public func isInstance(of type: PythonObject) throws -> Bool {
        try checkedValue(PyObject_IsInstance(unsafePointer, type.unsafePointer), sentinel: -1) == 1
    }

    /// Iterates with `iter(self)`; each step may throw.
    public func iterate(_ body: (PythonObject) throws -> Void) throws {
        let iterator = PythonObject(owning: try checkedNew(PyObject_GetIter(unsafePointer)))
        while let item = PyIter_Next(iterator.unsafePointer) {
            try body(PythonObject(owning: item))
        }
        // PyIter_Next returns NULL both at the end and on error.
        if exceptionIsPending() { throw PythonException.fetch() }
    }
}

extension FromPython {
    /// Converts a Python object: `let x = try Int(pythonObject)`-style helper.
    public init(_ object: PythonObject) throws { self = try Self.convert(object) }
}
