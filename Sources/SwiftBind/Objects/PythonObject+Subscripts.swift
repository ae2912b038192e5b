// Subscripts: `try obj[k]`, `obj[k] = v`, `try obj.deleteItem(k)`, and
// Swift ranges as slices (`try list[1..<3]`, `try s[2...]`, `try s[..<2]`).
//
// Swift forbids a subscript whose getter throws to have a setter, so
// reading and writing are two subscripts: the throwing getter, and a
// generic one whose setter cannot throw (Python's error goes to
// `sys.unraisablehook`; ``PythonObject/setItem(_:_:)`` is its throwing twin)
// and whose getter converts, nil on failure (`let n: Int? = d["n"]`).

extension PythonObject {
    /// `self[key]`; throws KeyError, IndexError, TypeError… as Python does.
    ///
    /// The corresponding C function is `PyObject_GetItem`.
    public subscript(key: any ToPython) -> PythonObject {
        get throws { try itemOf(key) }
    }

    /// `self[k1, k2, …]`: the keys as a tuple (NumPy's `a[i, j]`).
    public subscript(keys: any ToPython...) -> PythonObject {
        get throws {
            let tuple = PythonObject(owning: try checkedNew(PyTuple_New(keys.count)))
            for (i, k) in keys.enumerated() { sb_tuple_set_steal(tuple.unsafePointer, i, try k.toPython().take()) }
            return try itemOf(tuple)
        }
    }

    /// Item assignment `self[key] = value`; `nil` deletes (`del self[key]`).
    /// The getter converts the item, nil when missing or not convertible.
    public subscript<K: ToPython, T: PythonConvertible>(key: K) -> T? {
        get {
            guard let value = try? item(key) else { return nil }
            return try? T.fromPython(value.borrowed)
        }
        set {
            do {
                guard let newValue else { return try deleteItem(key) }
                try setItem(key, newValue)
            } catch {
                reportUnraisable(error, context: "setting an item of \(pythonTypeName)")
            }
        }
    }

    func itemOf(_ key: any ToPython) throws -> PythonObject {
        let k = try key.toPython()
        return PythonObject(owning: try checkedNew(PyObject_GetItem(unsafePointer, k.pointer)))
    }

    /// `del self[key]`.
    ///
    /// The corresponding C function is `PyObject_DelItem`.
    public func deleteItem(_ key: some ToPython) throws {
        let k = try key.toPython()
        try checkedStatus(PyObject_DelItem(unsafePointer, k.pointer))
    }

    /// `self[start:stop:step]`; nil leaves a bound out.
    public func slice(_ start: Int?, _ stop: Int?, step: Int? = nil) throws -> PythonObject {
        try item(PythonSlice(start: start, stop: stop, step: step))
    }

    /// `self[lower:upper]`.
    public subscript(range: Range<Int>) -> PythonObject {
        get throws { try slice(range.lowerBound, range.upperBound) }
    }

    /// `self[lower:upper + 1]`.
    public subscript(range: ClosedRange<Int>) -> PythonObject {
        get throws {
            // upperBound + 1 overflows only for Int.max: then slice to the end.
            let (stop, overflow) = range.upperBound.addingReportingOverflow(1)
            return try slice(range.lowerBound, overflow ? nil : stop)
        }
    }

    /// `self[lower:]`.
    public subscript(range: PartialRangeFrom<Int>) -> PythonObject {
        get throws { try slice(range.lowerBound, nil) }
    }

    /// `self[:upper]`.
    public subscript(range: PartialRangeUpTo<Int>) -> PythonObject {
        get throws { try slice(nil, range.upperBound) }
    }

    /// `self[:upper + 1]`.
    public subscript(range: PartialRangeThrough<Int>) -> PythonObject {
        get throws {
            let (stop, overflow) = range.upperBound.addingReportingOverflow(1)
            return try slice(nil, overflow ? nil : stop)
        }
    }
}

/// A Python `slice(start, stop, step)`, usable as a key:
/// `try a.setItem(PythonSlice(start: 0, stop: 2), [9, 9])`.
public struct PythonSlice: ToPython {
    public var start: Int?, stop: Int?, step: Int?

    public init(start: Int? = nil, stop: Int? = nil, step: Int? = nil) {
        self.start = start; self.stop = stop; self.step = step
    }

    /// The corresponding C function is `PySlice_New`.
    public func toPython() throws -> NewReference {
        let a = try start.map { try $0.pythonObject() }, b = try stop.map { try $0.pythonObject() }
        let c = try step.map { try $0.pythonObject() }
        return NewReference(owning: try checkedNew(PySlice_New(a?.unsafePointer, b?.unsafePointer, c?.unsafePointer)))
    }
}
