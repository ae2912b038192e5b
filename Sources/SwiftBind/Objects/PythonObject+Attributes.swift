extension PythonObject {
    /// `getattr(self, name)`.
    ///
    /// The corresponding C function is `PyObject_GetAttrString`.
    public func attribute(_ name: String) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyObject_GetAttrString(unsafePointer, name)))
    }

    /// `setattr(self, name, value)`.
    ///
    /// The corresponding C function is `PyObject_SetAttrString`.
    public func setAttribute(_ name: String, _ value: some ToPython) throws {
        let v = try value.toPython()
        try checkedStatus(PyObject_SetAttrString(unsafePointer, name, v.pointer))
    }

    /// `hasattr(self, name)`.
    public func hasAttribute(_ name: String) -> Bool {
        PyObject_HasAttrString(unsafePointer, name) != 0
    }

    /// `delattr(self, name)`.
    ///
    /// The corresponding C function is `PyObject_SetAttrString` with NULL
    /// (`PyObject_DelAttrString`, a macro before 3.13).
    public func deleteAttribute(_ name: String) throws {
        try checkedStatus(PyObject_SetAttrString(unsafePointer, name, nil))
    }

    /// Attribute access by member syntax: `try np.float64`.  Throws
    /// AttributeError as a ``PythonException``.
    public subscript(dynamicMember name: String) -> PythonObject {
        get throws { try attribute(name) }
    }

    /// Attribute assignment by member syntax: `obj.name = value`.
    ///
    /// Swift forbids a setter that throws, so this one cannot: when Python
    /// refuses the assignment (a read-only attribute, `__slots__`, a
    /// `__setattr__` that raises) the exception goes to
    /// `sys.unraisablehook`, which prints it, as Python does for errors it
    /// has nowhere to raise.  Use ``setAttribute(_:_:)`` (`try`) to get the
    /// exception instead.
    ///
    /// Reading through this subscript (`let n: Int? = obj.count`) converts
    /// the attribute, or gives nil when it is missing or does not convert.
    /// Plain reads (`try obj.name`) use the throwing subscript above.
    public subscript<T: PythonConvertible>(dynamicMember name: String) -> T? {
        get {
            guard let value = try? attribute(name) else { return nil }
            return try? T.fromPython(value.borrowed)
        }
        set {
            do {
                guard let newValue else { return try deleteAttribute(name) }
                try setAttribute(name, newValue)
            } catch {
                reportUnraisable(error, context: "setting attribute '\(name)'")
            }
        }
    }
}
