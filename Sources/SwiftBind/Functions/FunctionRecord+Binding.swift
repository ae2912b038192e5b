// Matching a call's positional and keyword arguments to parameters: the
// slow path, taken when keywords are used, defaults fill in, or the
// function has keyword-only parameters, *args or **kwargs.  Messages follow
// CPython's own wording.

extension FunctionRecord {
    @usableFromInline
    func callBinding(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
        withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: max(arity, 1)) { slots in
            slots.initialize(repeating: nil)
            var owned: [PyObjectPointer] = []  // *args tuple, **kwargs dict
            defer { for o in owned { sb_decref(o) } }
            do {
                try bind(args, nargs, kwnames, into: slots, owned: &owned)
            } catch {
                return raiseInPython(error)
            }
            return invoke(UnsafePointer(slots.baseAddress!), self)
        }
    }

    private func bind(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?,
                      into slots: UnsafeMutableBufferPointer<PyObjectPointer?>,
                      owned: inout [PyObjectPointer]) throws {
        // Positional arguments.
        let taken = min(nargs, positionalCount)
        for i in 0..<taken { slots[i] = args![i] }
        if let v = varPositional {
            let extra = max(nargs - positionalCount, 0)
            let tuple = try checkedNew(PyTuple_New(extra))
            owned.append(tuple)
            for j in 0..<extra {
                sb_tuple_set_steal(tuple, j, sb_newref(args![positionalCount + j]!))
            }
            slots[v] = tuple
        } else if nargs > positionalCount {
            let required = (0..<positionalCount).filter { defaults[$0] == nil }.count
            let range = required == positionalCount ? "\(positionalCount)" : "from \(required) to \(positionalCount)"
            let noun = positionalCount == 1 ? "argument" : "arguments"
            throw PythonException(.typeError, "\(displayName) takes \(range) positional \(noun) but \(nargs) were given")
        }

        // Keyword arguments.
        var kwargsDict: PyObjectPointer? = nil
        if let v = varKeyword {
            let d = try checkedNew(PyDict_New())
            owned.append(d)
            slots[v] = d
            kwargsDict = d
        }
        if let kwnames {
            let count = sb_tuple_size(kwnames)
            var positionalOnlyPassed: [String] = []
            for k in 0..<count {
                let key = sb_tuple_get(kwnames, k)!
                let value = args![nargs + k]!
                let index = try parameterIndex(forKeyword: key)
                if let index, kinds[index] != .positionalOnly {
                    if slots[index] != nil {
                        throw PythonException(.typeError, "\(displayName) got multiple values for argument '\(parameterNames[index])'")
                    }
                    slots[index] = value
                } else if let kwargsDict {
                    try checkedStatus(PyDict_SetItem(kwargsDict, key, value))
                } else if let index {
                    positionalOnlyPassed.append(parameterNames[index])
                } else {
                    let name = (try? String.fromPython(BorrowedObject(key))) ?? "?"
                    throw PythonException(.typeError, "\(displayName) got an unexpected keyword argument '\(name)'")
                }
            }
            if !positionalOnlyPassed.isEmpty {
                throw PythonException(.typeError, "\(displayName) got some positional-only arguments passed as keyword arguments: '\(positionalOnlyPassed.joined(separator: ", "))'")
            }
        }

        // Defaults, then what is still missing.
        var missing: [String] = []
        var missingKeywordOnly: [String] = []
        for i in 0..<arity where slots[i] == nil {
            if let d = defaults[i] {
                slots[i] = d
            } else if kinds[i] == .keywordOnly {
                missingKeywordOnly.append("'\(parameterNames[i])'")
            } else {
                missing.append("'\(parameterNames[i])' (pos \(i + 1))")
            }
        }
        if !missing.isEmpty {
            let noun = missing.count == 1 ? "argument" : "arguments"
            throw PythonException(.typeError, "\(displayName) missing required \(noun) \(missing.joined(separator: ", "))")
        }
        if !missingKeywordOnly.isEmpty {
            let noun = missingKeywordOnly.count == 1 ? "argument" : "arguments"
            throw PythonException(.typeError, "\(displayName) missing required keyword-only \(noun) \(missingKeywordOnly.joined(separator: ", "))")
        }
    }

    /// The parameter named by `key` (identity first: call sites pass interned
    /// strings), or nil.
    private func parameterIndex(forKeyword key: PyObjectPointer) throws -> Int? {
        for i in 0..<arity where internedNames[i] == key && kinds[i] != .varPositional && kinds[i] != .varKeyword {
            return i
        }
        for i in 0..<arity where kinds[i] != .varPositional && kinds[i] != .varKeyword {
            let equal = PyObject_RichCompareBool(internedNames[i], key, Py_EQ)
            if equal < 0 { throw PythonException.fetch() }
            if equal == 1 { return i }
        }
        return nil
    }
}
