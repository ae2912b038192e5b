// Swift literals as Python objects, PythonKit style:
//
//     let xs: PythonObject = [1, "a", 2.5, true, nil]   // list
//     let d: PythonObject = ["b": 1, "a": 2]             // dict, in this order
//
// A literal's initialiser cannot throw.  Ints, floats, bools, strings and
// None never fail (short of memory); a list or dict literal can only fail
// for want of memory or, for a dict, on an unhashable key
// (`[[1]: 2]`).  Then the exception goes to `sys.unraisablehook` and that
// entry is left out; ``PythonObject/dict(_:)`` and ``PythonObject/list(_:)``
// are the throwing twins.  Every literal requires the GIL.

extension PythonObject: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    public convenience init(integerLiteral value: Int) {
        self.init(owning: PythonObject.literal(PyLong_FromLongLong(Int64(value))))
    }

    public convenience init(floatLiteral value: Double) {
        self.init(owning: PythonObject.literal(PyFloat_FromDouble(value)))
    }

    public convenience init(booleanLiteral value: Bool) {
        self.init(borrowing: value ? sb_True() : sb_False())
    }

    public convenience init(stringLiteral value: String) {
        self.init(owning: PythonObject.literal((try? value.toPython())?.take()))
    }

    /// `nil` is Python's `None`.
    public convenience init(nilLiteral: ()) {
        self.init(borrowing: sb_None())
    }

    /// A literal's new reference, or None (the error reported) when making
    /// it failed.
    static func literal(_ made: PyObjectPointer?) -> PyObjectPointer {
        if let made { return made }
        reportPendingUnraisable(context: "making a literal")
        return sb_newref(sb_None())
    }
}

extension PythonObject: ExpressibleByArrayLiteral {
    /// A `list` of the elements.
    public convenience init(arrayLiteral elements: PythonObject...) {
        let list = (try? PythonObject.list(elements))?.newReference().take()
        self.init(owning: PythonObject.literal(list))
    }

    /// `list(elements)`, throwing what making it raises.
    ///
    /// The corresponding C function is `PyList_New`.
    public static func list(_ elements: [PythonObject]) throws -> PythonObject {
        let list = PythonObject(owning: try checkedNew(PyList_New(elements.count)))
        for (i, e) in elements.enumerated() {
            // PyList_SET_ITEM steals the new reference.
            sb_list_set_steal(list.unsafePointer, i, sb_newref(e.unsafePointer))
        }
        return list
    }

    /// `tuple(elements)`.
    ///
    /// The corresponding C function is `PyTuple_New`.
    public static func tuple(_ elements: [PythonObject]) throws -> PythonObject {
        let tuple = PythonObject(owning: try checkedNew(PyTuple_New(elements.count)))
        for (i, e) in elements.enumerated() {
            sb_tuple_set_steal(tuple.unsafePointer, i, sb_newref(e.unsafePointer))
        }
        return tuple
    }
}

extension PythonObject: ExpressibleByDictionaryLiteral {
    /// A `dict` with the pairs in the order written (a Swift `Dictionary`
    /// would give hash order).  A later duplicate key wins, as in Python.
    public convenience init(dictionaryLiteral elements: (PythonObject, PythonObject)...) {
        let made = PyDict_New()
        if let made {
            for (k, v) in elements where PyDict_SetItem(made, k.unsafePointer, v.unsafePointer) < 0 {
                reportPendingUnraisable(context: "adding a key to a dictionary literal")
            }
        }
        self.init(owning: PythonObject.literal(made))
    }

    /// `dict(pairs)` in the order given, throwing (an unhashable key is a
    /// `TypeError`).
    ///
    /// The corresponding C function is `PyDict_SetItem`.
    public static func dict(_ pairs: [(PythonObject, PythonObject)]) throws -> PythonObject {
        let dict = PythonObject(owning: try checkedNew(PyDict_New()))
        for (k, v) in pairs {
            try checkedStatus(PyDict_SetItem(dict.unsafePointer, k.unsafePointer, v.unsafePointer))
        }
        return dict
    }

    /// `dict(pairs)` with string keys and Swift values, in the order given.
    public static func dict(_ pairs: KeyValuePairs<String, any ToPython>) throws -> PythonObject {
        let dict = PythonObject(owning: try checkedNew(PyDict_New()))
        for (k, v) in pairs {
            let value = try v.toPython()
            try checkedStatus(PyDict_SetItemString(dict.unsafePointer, k, value.pointer))
        }
        return dict
    }
}
