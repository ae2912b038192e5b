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

    /// Attribute access by member syntax: `try np.float64`.  Throws
    /// AttributeError as a ``PythonException``.
    public subscript(dynamicMember name: String) -> PythonObject {
        get throws { try attribute(name) }
    }
}
