/// Entry points to the interpreter: imports, builtins, evaluation.
/// Every member requires the GIL.
///
/// Builtins are members: `try Python.len(x)`, `try Python.isinstance(x, t)`
/// (Python+Builtins.swift).
@dynamicMemberLookup
public enum Python {
    /// Imports a module (`import name`).
    ///
    /// The corresponding C function is `PyImport_ImportModule`.
    public static func `import`(_ name: String) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyImport_ImportModule(name)))
    }

    /// The `builtins` module.
    public static var builtins: PythonObject {
        get throws { try `import`("builtins") }
    }

    /// Evaluates a Python expression in a fresh namespace with `globals`.
    ///
    /// The corresponding C function is `PyRun_String`.
    public static func eval(_ expression: String, globals: [String: PythonObject] = [:]) throws -> PythonObject {
        try run(expression, mode: Py_eval_input, globals: globals)
    }

    /// Executes Python statements; returns the namespace they ran in.
    public static func exec(_ code: String, globals: [String: PythonObject] = [:]) throws -> PythonObject {
        let namespace = PythonObject(owning: try checkedNew(PyDict_New()))
        _ = try run(code, mode: Py_file_input, globals: globals, namespace: namespace)
        return namespace
    }

    private static func run(_ code: String, mode: Int32, globals: [String: PythonObject],
                            namespace: PythonObject? = nil) throws -> PythonObject {
        let ns = try namespace ?? PythonObject(owning: checkedNew(PyDict_New()))
        if PyDict_GetItemString(ns.unsafePointer, "__builtins__") == nil {
            try checkedStatus(PyDict_SetItemString(ns.unsafePointer, "__builtins__", PyEval_GetBuiltins()))
        }
        for (k, v) in globals {
            try checkedStatus(PyDict_SetItemString(ns.unsafePointer, k, v.unsafePointer))
        }
        // Py_CompileString + PyEval_EvalCode: PyRun_StringFlags without the
        // flags, which the limited API lacks.
        let compiled = PythonObject(owning: try checkedNew(sb_compile_string(code, "<string>", mode)))
        return PythonObject(owning: try checkedNew(PyEval_EvalCode(compiled.unsafePointer, ns.unsafePointer, ns.unsafePointer)))
    }
}
