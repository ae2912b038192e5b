extension PythonObject {
    /// Calls the object with positional and keyword arguments.
    ///
    /// A Python exception raised by the callee is thrown as a
    /// ``PythonException`` that keeps its traceback; letting it propagate out
    /// of a bound function re-raises it unchanged.
    ///
    /// The corresponding C function is `PyObject_Vectorcall`.
    public func call(_ args: [any ToPython] = [], kwargs: KeyValuePairs<String, any ToPython> = [:]) throws -> PythonObject {
        var owned: [PythonObject] = []
        owned.reserveCapacity(args.count + kwargs.count)
        for a in args { owned.append(try a.pythonObject()) }
        var names: PythonObject? = nil
        if !kwargs.isEmpty {
            let t = PythonObject(owning: try checkedNew(PyTuple_New(kwargs.count)))
            for (i, (k, v)) in kwargs.enumerated() {
                sb_tuple_set_steal(t.unsafePointer, i, try k.toPython().take())
                owned.append(try v.pythonObject())
            }
            names = t
        }
        // Slot 0 is scratch space so the callee may use the vectorcall offset trick.
        var pointers: [PyObjectPointer?] = [nil] + owned.map { $0.unsafePointer }
        // The callee may enter other bound functions; the current call (for
        // TrapReport) is ours again when it returns.
        let call = sb_current_call_name()
        defer { sb_set_current_call(call) }
        let result = pointers.withUnsafeMutableBufferPointer { buf in
            vectorcall(unsafePointer, buf.baseAddress! + 1,
                       args.count | sb_vectorcall_offset_flag(), names?.unsafePointer)
        }
        withExtendedLifetime(owned) {}
        return PythonObject(owning: try checkedNew(result))
    }

    /// `object(arg1, arg2, …)` with Swift values.
    public func callAsFunction(_ args: any ToPython...) throws -> PythonObject {
        try call(args)
    }

    /// Calls the method `name` (`object.name(args…)`).
    public func callMethod(_ name: String, _ args: any ToPython...) throws -> PythonObject {
        try attribute(name).call(args)
    }
}
