extension Python {
    /// A builtin by member syntax: `try Python.len(x)`, `try Python.str(3)`,
    /// `try Python.None`.  Throws `AttributeError` for a name that is not a
    /// builtin.
    ///
    /// The corresponding C functions are `PyEval_GetBuiltins` (the running
    /// frame's builtins, else the interpreter's) and `PyDict_GetItemString`.
    public static subscript(dynamicMember name: String) -> PythonObject {
        get throws { try builtin(name) }
    }

    /// The builtin `name`.
    public static func builtin(_ name: String) throws -> PythonObject {
        // PyEval_GetBuiltins: a borrowed dict; PyDict_GetItemString: a
        // borrowed item, or NULL without an exception when missing.
        if let builtins = PyEval_GetBuiltins(), let found = PyDict_GetItemString(builtins, name) {
            return PythonObject(borrowing: found)
        }
        throw PythonException(.attributeError, "Python has no builtin named '\(name)'")
    }

    /// `sys.version`: the interpreter's version text (`"3.11.7 (main, …)"`).
    public static var version: PythonObject {
        get throws { try `import`("sys").attribute("version") }
    }

    /// `sys.version_info`: `(major, minor, micro, releaselevel, serial)`.
    public static var versionInfo: PythonObject {
        get throws { try `import`("sys").attribute("version_info") }
    }

    /// Imports a module, throwing `ImportError` (`ModuleNotFoundError`)
    /// when it cannot be imported: PythonKit's name for the checked import.
    /// ``import(_:)`` throws the same way.
    public static func attemptImport(_ name: String) throws -> PythonObject {
        try `import`(name)
    }

    /// Imports a module, or nil when no module of that name is installed
    /// (`ModuleNotFoundError` for `name` itself).  Any other error (a
    /// module that raises while it loads, a missing dependency of it) is
    /// thrown.
    public static func importIfInstalled(_ name: String) throws -> PythonObject? {
        do { return try `import`(name) }
        catch let e as PythonException {
            guard e.matches(.moduleNotFoundError), let missing = try? String(e.value.attribute("name")),
                  missing == name else { throw e }
            return nil
        }
    }
}
