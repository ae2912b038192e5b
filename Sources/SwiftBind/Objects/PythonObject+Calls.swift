extension PythonObject {
    /// Calls the object with positional arguments and keyword arguments
    /// built at run time.
    ///
    /// A Python exception raised by the callee is thrown as a
    /// ``PythonException`` that keeps its traceback; letting it propagate out
    /// of a bound function re-raises it unchanged.  The arguments are
    /// converted through their `ToPython` existentials; for the fastest
    /// calls use ``call(with:)`` (specialised conversions, no array).
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

    /// Calls the object with positional arguments given as an array
    /// (`f.call([1, "a"])`); ``call(with:)`` takes them one by one,
    /// without the array.
    ///
    /// The corresponding C function is `PyObject_Vectorcall`.
    @inlinable
    public func call(_ args: [any ToPython]) throws -> PythonObject {
        PythonObject(owning: try vectorcallPositional(args))
    }

    /// The positional call behind ``call(_:)-([any ToPython])`` and the call
    /// syntax: inlinable, so the caller's argument array can live on its
    /// stack; a new reference.
    @inlinable
    func vectorcallPositional(_ args: [any ToPython]) throws -> PyObjectPointer {
        let count = args.count
        if count == 0 { return try checkedNew(withCurrentCallKept { callNoArgs(unsafePointer) }) }
        return try withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: count &+ 1) { vector in
            // SAFETY: count + 1 slots; slot 0 scratch, the others new
            // references released on every path.
            let base = vector.baseAddress.unsafelyUnwrapped
            base[0] = nil
            var filled = 0
            defer { releaseArguments(base + 1, filled) }
            while filled < count {
                base[1 &+ filled] = try args[filled].toPython().take()
                filled &+= 1
            }
            return try checkedNew(withCurrentCallKept {
                vectorcall(unsafePointer, base + 1, count | sb_vectorcall_offset_flag(), nil)
            })
        }
    }

    /// Calls the object with positional and keyword arguments
    /// (`f.call([1], kwargs: ["key": 2])`).
    ///
    /// The corresponding C function is `PyObject_Vectorcall`.
    public func call(_ args: [any ToPython] = [], kwargs: KeyValuePairs<String, any ToPython>) throws -> PythonObject {
        try callConverting(args, kwargs.lazy.map { ($0.key, $0.value) }, keywordCount: kwargs.count)
    }

    /// `object(*args, **kwargs)` for argument lists given as sequences: the
    /// new references go straight into a vector on the stack.
    func callConverting(_ args: [any ToPython], _ kwargs: some Sequence<(String, any ToPython)>,
                        keywordCount: Int) throws -> PythonObject {
        let total = args.count + keywordCount
        let names: PythonObject? = keywordCount == 0 ? nil
            : PythonObject(owning: try checkedNew(PyTuple_New(keywordCount)))
        let result = try withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: total + 1) { vector in
            // SAFETY: total + 1 slots; slot 0 is scratch (the vectorcall
            // offset trick); the others hold new references, released below.
            let base = vector.baseAddress.unsafelyUnwrapped
            base[0] = nil
            var filled = 0
            defer { releaseArguments(base + 1, filled) }
            for a in args {
                base[1 + filled] = try a.toPython().take()
                filled += 1
            }
            if let names {
                for (i, (k, v)) in kwargs.enumerated() {
                    sb_tuple_set_steal(names.unsafePointer, i, try k.toPython().take())
                    base[1 + filled] = try v.toPython().take()
                    filled += 1
                }
            }
            return try checkedNew(withCurrentCallKept {
                vectorcall(unsafePointer, base + 1, args.count | sb_vectorcall_offset_flag(), names?.unsafePointer)
            })
        }
        return PythonObject(owning: result)
    }

    /// `object(arg1, arg2, …)` by call syntax: `try f(1, "a")`.
    ///
    /// Swift gathers the arguments into an array of existentials; the
    /// generic ``call(with:)`` avoids that where speed matters.
    @inlinable
    public func dynamicallyCall(withArguments args: [any ToPython]) throws -> PythonObject {
        PythonObject(owning: try vectorcallPositional(args))
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
        return try callConverting(positional, keywords, keywordCount: keywords.count)
    }
}
