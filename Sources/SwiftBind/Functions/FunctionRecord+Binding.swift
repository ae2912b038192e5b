// Matching a call's positional and keyword arguments to parameters: the
// slow path, taken when keywords are used, defaults fill in, or the
// function has keyword-only parameters, *args or **kwargs.  Messages follow
// CPython's own wording.  The common case (known keywords, interned names)
// walks flat buffers with no allocation; only errors build strings.

extension FunctionRecord {
    @usableFromInline
    func callBinding(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
        if varPositional == nil && varKeyword == nil && arity <= 8 {
            // The common case: slots on the stack, a straight-line binder.
            var storage: (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?, PyObjectPointer?,
                          PyObjectPointer?, PyObjectPointer?, PyObjectPointer?, PyObjectPointer?)
                = (nil, nil, nil, nil, nil, nil, nil, nil)
            return withUnsafeMutablePointer(to: &storage) { tuple in
                let slots = UnsafeMutableRawPointer(tuple).assumingMemoryBound(to: PyObjectPointer?.self)
                if let error = bindPlain(args, nargs, kwnames, into: slots) { return raiseInPython(error) }
                return invoke(UnsafePointer(slots), self)
            }
        }
        return withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: max(arity, 1)) { slots in
            slots.initialize(repeating: nil)
            // New references made for *args and **kwargs, released after the call.
            var extras: (tuple: PyObjectPointer?, dict: PyObjectPointer?) = (nil, nil)
            defer { sb_xdecref(extras.tuple); sb_xdecref(extras.dict) }
            do {
                try bind(args, nargs, kwnames, into: slots, extras: &extras)
            } catch {
                return raiseInPython(error)
            }
            return invoke(UnsafePointer(slots.baseAddress!), self)
        }
    }

    /// Binding without *args/**kwargs: positional-only parameters come
    /// first, so every parameter from `positionalOnlyCount` on takes a
    /// keyword.  Returns the error instead of throwing, to stay cheap.
    @inline(__always)
    private func bindPlain(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?,
                           into slots: UnsafeMutablePointer<PyObjectPointer?>) -> PythonException? {
        if nargs > positionalCount { return tooManyPositional(nargs) }
        let params = parameters.baseAddress.unsafelyUnwrapped
        var i = 0
        while i < nargs { slots[i] = args.unsafelyUnwrapped[i]; i &+= 1 }
        if let kwnames {
            let count = sb_tuple_size(kwnames)
            var k = 0
            while k < count {
                let key = sb_tuple_get(kwnames, k).unsafelyUnwrapped
                var found = -1
                var j = positionalOnlyCount
                while j < arity {
                    if params[j].name == key { found = j; break }
                    j &+= 1
                }
                if found < 0 {
                    do {
                        guard let index = try keywordIndex(key), params[index].acceptsKeyword else {
                            return unexpectedKeyword(key, kwnames)
                        }
                        found = index
                    } catch {
                        return error as? PythonException ?? PythonException(.systemError, "\(error)")
                    }
                }
                if slots[found] != nil { return multipleValues(found) }
                slots[found] = args.unsafelyUnwrapped[nargs &+ k]
                k &+= 1
            }
        }
        var j = nargs
        while j < arity {
            if slots[j] == nil {
                guard let d = params[j].defaultValue else {
                    return missingArguments(UnsafeMutableBufferPointer(start: slots, count: arity))
                }
                slots[j] = d
            }
            j &+= 1
        }
        return nil
    }

    private func bind(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?,
                      into slots: UnsafeMutableBufferPointer<PyObjectPointer?>,
                      extras: inout (tuple: PyObjectPointer?, dict: PyObjectPointer?)) throws {
        // Positional arguments.
        let taken = min(nargs, positionalCount)
        for i in 0..<taken { slots[i] = args.unsafelyUnwrapped[i] }
        if let v = varPositional {
            let extra = max(nargs - positionalCount, 0)
            let tuple = try checkedNew(PyTuple_New(extra))
            extras.tuple = tuple
            for j in 0..<extra {
                sb_tuple_set_steal(tuple, j, sb_newref(args.unsafelyUnwrapped[positionalCount + j]!))
            }
            slots[v] = tuple
        } else if nargs > positionalCount {
            throw tooManyPositional(nargs)
        }

        // Keyword arguments.
        if let v = varKeyword {
            let dict = try checkedNew(PyDict_New())
            extras.dict = dict
            slots[v] = dict
        }
        if let kwnames {
            let count = sb_tuple_size(kwnames)
            for k in 0..<count {
                let key = sb_tuple_get(kwnames, k)!
                let value = args.unsafelyUnwrapped[nargs + k]
                if let index = try keywordIndex(key) {
                    if slots[index] != nil { throw multipleValues(index) }
                    slots[index] = value
                } else if let dict = extras.dict {
                    try checkedStatus(PyDict_SetItem(dict, key, value))
                } else {
                    throw unexpectedKeyword(key, kwnames)
                }
            }
        }

        // Defaults; anything still empty is missing.
        var complete = true
        for i in 0..<arity where slots[i] == nil {
            if let d = parameters[i].defaultValue { slots[i] = d } else { complete = false }
        }
        if !complete { throw missingArguments(slots) }
    }

    /// The keyword-capable parameter named `key`: identity first (call sites
    /// pass interned strings), then string equality.
    private func keywordIndex(_ key: PyObjectPointer) throws -> Int? {
        for i in 0..<arity where parameters[i].name == key && parameters[i].acceptsKeyword {
            return i
        }
        for i in 0..<arity where parameters[i].acceptsKeyword {
            let equal = PyObject_RichCompareBool(parameters[i].name, key, Py_EQ)
            if equal < 0 { throw PythonException.fetch() }
            if equal == 1 { return i }
        }
        return nil
    }

    // MARK: Messages (error paths only)

    private func name(_ i: Int) -> String { parameterNames[i] }

    private func tooManyPositional(_ given: Int) -> PythonException {
        let required = (0..<positionalCount).filter { parameters[$0].defaultValue == nil }.count
        let range = required == positionalCount ? "\(positionalCount)" : "from \(required) to \(positionalCount)"
        let noun = positionalCount == 1 ? "argument" : "arguments"
        let verb = given == 1 ? "was" : "were"
        return PythonException(.typeError, "\(displayName) takes \(range) positional \(noun) but \(given) \(verb) given")
    }

    private func multipleValues(_ index: Int) -> PythonException {
        PythonException(.typeError, "\(displayName) got multiple values for argument '\(name(index))'")
    }

    private func unexpectedKeyword(_ key: PyObjectPointer, _ kwnames: PyObjectPointer) -> PythonException {
        let text = (try? String.fromPython(BorrowedObject(key))) ?? "?"
        if let i = parameterNames.firstIndex(of: text), parameters[i].kind == .positionalOnly {
            var names: [String] = []
            for k in 0..<sb_tuple_size(kwnames) {
                let t = (try? String.fromPython(BorrowedObject(sb_tuple_get(kwnames, k)!))) ?? ""
                if let j = parameterNames.firstIndex(of: t), parameters[j].kind == .positionalOnly { names.append(t) }
            }
            return PythonException(.typeError, "\(displayName) got some positional-only arguments passed as keyword arguments: '\(names.joined(separator: ", "))'")
        }
        return PythonException(.typeError, "\(displayName) got an unexpected keyword argument '\(text)'")
    }

    private func missingArguments(_ slots: UnsafeMutableBufferPointer<PyObjectPointer?>) -> PythonException {
        var positional: [String] = [], keywordOnly: [String] = []
        for i in 0..<arity where slots[i] == nil && parameters[i].defaultValue == nil {
            if parameters[i].kind == .keywordOnly { keywordOnly.append("'\(name(i))'") }
            else { positional.append("'\(name(i))' (pos \(i + 1))") }
        }
        if !positional.isEmpty {
            let noun = positional.count == 1 ? "argument" : "arguments"
            return PythonException(.typeError, "\(displayName) missing required \(noun) \(positional.joined(separator: ", "))")
        }
        let noun = keywordOnly.count == 1 ? "argument" : "arguments"
        return PythonException(.typeError, "\(displayName) missing required keyword-only \(noun) \(keywordOnly.joined(separator: ", "))")
    }
}
