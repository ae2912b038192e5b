extension PythonObject {
    /// Calls the object with positional arguments and keyword arguments
    /// built at run time.
    ///
    /// A Python exception raised by the callee is thrown as a
    /// ``PythonException`` that keeps its traceback; letting it propagate out
    /// of a bound function re-raises it unchanged.  The arguments are
    /// converted through their `ToPython` existentials; for the fastest
    /// calls use ``call(_:)-(repeat each A)`` (specialised conversions, no
    /// array).
    ///
    /// ```swift
    /// var options: [(String, any ToPython)] = [("reverse", true)]
    /// if byLength { options.append(("key", try Python.builtins.len)) }
    /// let sorted = try Python.builtins.sorted.call([names], kwargs: options)
    /// ```
    ///
    /// The corresponding C function is `PyObject_Vectorcall`.
    public func call(_ args: [any ToPython] = [], kwargs: [(String, any ToPython)]) throws -> PythonObject {
        try callConverting(args, kwargs.lazy.map { ($0.0, $0.1) }, keywordCount: kwargs.count)
    }

    /// Calls the object with positional and keyword arguments
    /// (`f.call([1], kwargs: ["key": 2])`).
    ///
    /// The corresponding C function is `PyObject_Vectorcall`.
    public func call(_ args: [any ToPython] = [], kwargs: KeyValuePairs<String, any ToPython> = [:]) throws -> PythonObject {
        if args.isEmpty && kwargs.isEmpty {
            return PythonObject(owning: try checkedNew(callNoArgs(unsafePointer)))
        }
        return try callConverting(args, kwargs.lazy.map { ($0.key, $0.value) }, keywordCount: kwargs.count)
    }

    /// `object(*args, **kwargs)` for argument lists given as sequences.
    func callConverting(_ args: [any ToPython], _ kwargs: some Sequence<(String, any ToPython)>,
                        keywordCount: Int) throws -> PythonObject {
        var owned: [PythonObject] = []
        owned.reserveCapacity(args.count + keywordCount)
        for a in args { owned.append(try a.pythonObject()) }
        var names: PythonObject? = nil
        if keywordCount > 0 {
            let t = PythonObject(owning: try checkedNew(PyTuple_New(keywordCount)))
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

    /// `object(arg1, arg2, …)` by call syntax: `try f(1, "a")`.
    ///
    /// Swift gathers the arguments into an array of existentials; the
    /// generic ``call(_:)-(repeat each A)`` avoids that where speed matters.
    public func dynamicallyCall(withArguments args: [any ToPython]) throws -> PythonObject {
        try call(args)
    }

    /// `object(arg, key=value, …)` by call syntax: `try json.dumps(x, indent: 2)`.
    /// Unlabelled arguments are positional and must come first.
    ///
    /// - Throws: `TypeError` when a positional argument follows a keyword
    ///   argument (Python's own rule), and what the callee raises.
    public func dynamicallyCall(withKeywordArguments args: KeyValuePairs<String, any ToPython>) throws -> PythonObject {
        var positional: [any ToPython] = []
        var keywords: [(String, any ToPython)] = []
        for (key, value) in args {
            if key.isEmpty {
                guard keywords.isEmpty else {
                    throw PythonException(.typeError, "positional argument follows keyword argument '\(keywords.last!.0)'")
                }
                positional.append(value)
            } else {
                keywords.append((key, value))
            }
        }
        if keywords.isEmpty { return try call(positional) }
        return try call(positional, kwargs: keywords)
    }
}
