// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// What makes `swiftbind.NDArray` usable as an array without NumPy:
// `shape`, `dtype`, `ndim`, `size`, `itemsize`, `nbytes`, `readonly`,
// `tolist()`, integer indexing (`x[i]`, `x[i, j]`, `x[-1]`; a sub-array of
// an N-D array shares the memory), iteration, `__array__` and
// `__array_interface__` for libraries that look for them.  Arithmetic and
// slicing are NumPy's job: `numpy.asarray(x)` is a view, not a copy.

extension BufferExporterType {
    /// The getters of `swiftbind.NDArray` (a `PyGetSetDef` array, kept for
    /// the life of the process).
    static func makeGetters() -> UnsafeMutablePointer<PyGetSetDef> {
        let getters: [(String, @convention(c) (PyObjectPointer?, UnsafeMutableRawPointer?) -> PyObjectPointer?, String)] = [
            ("shape", { o, _ in BufferExporterType.withStorage(o) { s in try BufferExporterType.tuple(BufferExporterType.shapeOf(s)) } },
             "The size of each dimension (a tuple of ints)."),
            ("ndim", { o, _ in BufferExporterType.withStorage(o) { s in try s.ndim.pythonObject() } }, "Number of dimensions."),
            ("size", { o, _ in BufferExporterType.withStorage(o) { s in try s.count.pythonObject() } }, "Number of elements."),
            ("itemsize", { o, _ in BufferExporterType.withStorage(o) { s in try s.itemSize.pythonObject() } }, "Bytes per element."),
            ("nbytes", { o, _ in BufferExporterType.withStorage(o) { s in try s.byteCount.pythonObject() } }, "Bytes of the whole array."),
            ("dtype", { o, _ in BufferExporterType.withStorage(o) { s in try BufferFormat(kind: s.kind, itemSize: s.itemSize).dtypeName.pythonObject() } },
             "NumPy's name of the element type, as a str ('float32'); numpy.dtype(x.dtype) is the NumPy dtype."),
            ("readonly", { o, _ in BufferExporterType.withStorage(o) { s in try s.isReadOnly.pythonObject() } },
             "True when Python may not write the memory."),
            ("__array_interface__", { o, _ in BufferExporterType.withStorage(o) { s in try BufferExporterType.arrayInterface(s) } },
             "The NumPy array interface (version 3) over the same memory."),
        ]
        let defs = UnsafeMutablePointer<PyGetSetDef>.allocate(capacity: getters.count + 1)
        for (i, (name, get, doc)) in getters.enumerated() {
            defs[i] = PyGetSetDef(name: strdup(name), get: get, set: nil, doc: strdup(doc), closure: nil)
        }
        defs[getters.count] = PyGetSetDef(name: nil, get: nil, set: nil, doc: nil, closure: nil)
        return defs
    }

    /// Runs `body` on `object`'s storage; a thrown error becomes the Python
    /// exception (returns NULL).
    static func withStorage(_ object: PyObjectPointer?, _ body: (ExportedStorage) throws -> PythonObject) -> PyObjectPointer? {
        guard let storage = storage(of: object) else {
            PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray: no storage")
            return nil
        }
        do { return try body(storage).newReference().take() }
        catch { return raiseInPython(error) }
    }

    static func shapeOf(_ s: ExportedStorage) -> [Int] { Array(UnsafeBufferPointer(start: s.shape, count: s.ndim)) }

    /// A Python tuple of ints (a shape).
    ///
    /// The corresponding C function is `PyTuple_New`.
    static func tuple(_ values: [Int]) throws -> PythonObject {
        let tuple = PythonObject(owning: try checkedNew(PyTuple_New(values.count)))
        for (i, v) in values.enumerated() {
            // PyTuple_SET_ITEM steals the new reference.
            sb_tuple_set_steal(tuple.unsafePointer, i, try checkedNew(PyLong_FromSsize_t(v)))
        }
        return tuple
    }

    /// `{"version": 3, "shape": ..., "typestr": "<f4", "data": (address, readonly), "strides": None}`.
    static func arrayInterface(_ s: ExportedStorage) throws -> PythonObject {
        let dict = PythonObject(owning: try checkedNew(PyDict_New()))
        let order = s.itemSize == 1 ? "|" : (1.littleEndian == 1 ? "<" : ">")
        let letter: String
        switch s.kind {
        case .signed: letter = "i"
        case .unsigned: letter = "u"
        case .float: letter = "f"
        case .bool, .other: letter = "b"
        }
        try dict.setItem("version", 3)
        try dict.setItem("shape", tuple(shapeOf(s)))
        try dict.setItem("typestr", "\(order)\(letter)\(s.itemSize)")
        try dict.setItem("data", PythonTuple(Int(bitPattern: s.base), s.isReadOnly))
        try dict.setItem("strides", PythonObject.none)
        return dict
    }

    /// The element at `p` as a Python number (`float`, `int` or `bool`).
    static func scalar(_ s: ExportedStorage, at p: UnsafeRawPointer) throws -> PythonObject {
        let made: PyObjectPointer?
        switch (s.kind, s.itemSize) {
        case (.float, 8): made = PyFloat_FromDouble(p.load(as: Double.self))
        case (.float, 4): made = PyFloat_FromDouble(Double(p.load(as: Float.self)))
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        case (.float, 2): made = PyFloat_FromDouble(Double(p.load(as: Float16.self)))
        #endif
        case (.signed, 1): made = PyLong_FromLongLong(Int64(p.load(as: Int8.self)))
        case (.signed, 2): made = PyLong_FromLongLong(Int64(p.load(as: Int16.self)))
        case (.signed, 4): made = PyLong_FromLongLong(Int64(p.load(as: Int32.self)))
        case (.signed, 8): made = PyLong_FromLongLong(p.load(as: Int64.self))
        case (.unsigned, 1): made = PyLong_FromUnsignedLongLong(UInt64(p.load(as: UInt8.self)))
        case (.unsigned, 2): made = PyLong_FromUnsignedLongLong(UInt64(p.load(as: UInt16.self)))
        case (.unsigned, 4): made = PyLong_FromUnsignedLongLong(UInt64(p.load(as: UInt32.self)))
        case (.unsigned, 8): made = PyLong_FromUnsignedLongLong(p.load(as: UInt64.self))
        case (.bool, _): made = PyBool_FromLong(p.load(as: UInt8.self) != 0 ? 1 : 0)
        default: throw PythonException.typeError("swiftbind.NDArray: no Python scalar for this element type")
        }
        return PythonObject(owning: try checkedNew(made))
    }

    /// `tolist()`: nested lists of Python numbers (a number for 0-D).
    static func list(_ s: ExportedStorage, axis: Int, at p: UnsafeRawPointer) throws -> PythonObject {
        if axis == s.ndim { return try scalar(s, at: p) }
        let n = s.shape[axis]
        let list = PythonObject(owning: try checkedNew(PyList_New(n)))
        for i in 0..<n {
            let item = try Self.list(s, axis: axis + 1, at: p + i * s.strides[axis])
            // PyList_SetItem steals the reference, even on failure.
            try checkedStatus(PyList_SetItem(list.unsafePointer, i, item.newReference().take()))
        }
        return list
    }

    /// `x[key]` for an int or a tuple of ints: a number when every
    /// dimension is indexed, else a sub-array over the same memory.
    static func item(_ object: PyObjectPointer, _ key: PyObjectPointer) throws -> PythonObject {
        guard var s = storage(of: object) else { throw PythonException(.bufferError, "swiftbind.NDArray: no storage") }
        var indices: [Int] = []
        if sb_tuple_check(key) != 0 {
            for i in 0..<sb_tuple_size(key) { indices.append(try index(sb_tuple_get(key, i).unsafelyUnwrapped)) }
        } else {
            indices.append(try index(key))
        }
        guard indices.count <= s.ndim else {
            throw PythonException.indexError("too many indices for array: array is \(s.ndim)-dimensional, but \(indices.count) were indexed")
        }
        for (axis, i) in indices.enumerated() {
            let size = s.shape[0]
            let j = i < 0 ? i + size : i
            guard j >= 0 && j < size else {
                throw PythonException.indexError("index \(i) is out of bounds for axis \(axis) with size \(size)")
            }
            s = s.subarray(at: j)
        }
        if s.ndim == 0 { return try scalar(s, at: s.base) }
        return try make(s).object()
    }

    private static func index(_ key: PyObjectPointer) throws -> Int {
        guard sb_long_check(key) != 0 || PyObject_HasAttrString(key, "__index__") != 0 else {
            throw PythonException.typeError(
                "swiftbind.NDArray indices must be integers or tuples of integers, not \(key.typeName) "
                + "(for slices and arithmetic use numpy.asarray(x), a view of the same memory)")
        }
        return try Int.fromPython(BorrowedObject(key))
    }
}

/// `mp_subscript`.
let exporterSubscript: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, key in
    guard let object, let key else { return nil }
    do { return try BufferExporterType.item(object, key).newReference().take() }
    catch { return raiseInPython(error) }
}

/// `sq_item` (iteration and `PySequence_GetItem`; negative indices have
/// been adjusted by `sq_length`).
let exporterSequenceItem: @convention(c) (PyObjectPointer?, Int) -> PyObjectPointer? = { object, i in
    guard let object else { return nil }
    do {
        if BufferExporterType.storage(of: object)?.ndim == 0 {
            throw PythonException.typeError("iteration over a 0-d array")
        }
        let key = PythonObject(owning: try checkedNew(PyLong_FromSsize_t(i)))
        return try BufferExporterType.item(object, key.unsafePointer).newReference().take()
    } catch { return raiseInPython(error) }
}

/// `tolist()`.
let exporterToList: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, _ in
    BufferExporterType.withStorage(object) { s in try BufferExporterType.list(s, axis: 0, at: s.base) }
}

/// `__array__(dtype=None, copy=None)`: a NumPy array over the same memory
/// (NumPy imported here, on first use), converted or copied as asked,
/// with NumPy 2's meaning of `copy`.
let exporterArray: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, args, kwargs in
    guard let object else { return nil }
    do {
        var dtype = PythonObject.none
        var copy = PythonObject.none
        if let args {
            if sb_tuple_size(args) > 0 { dtype = PythonObject(borrowing: sb_tuple_get(args, 0).unsafelyUnwrapped) }
            if sb_tuple_size(args) > 1 { copy = PythonObject(borrowing: sb_tuple_get(args, 1).unsafelyUnwrapped) }
            if sb_tuple_size(args) > 2 { throw PythonException.typeError("__array__() takes at most 2 arguments (dtype, copy)") }
        }
        if let kwargs {
            if let d = PyDict_GetItemString(kwargs, "dtype") { dtype = PythonObject(borrowing: d) }
            if let c = PyDict_GetItemString(kwargs, "copy") { copy = PythonObject(borrowing: c) }
        }
        let numpy = try Python.import("numpy")
        let view = PythonObject(owning: try checkedNew(PyMemoryView_FromObject(object)))
        var array = try numpy.attribute("asarray")(view)
        if !dtype.isNone, try !(array.attribute("dtype").attribute("__eq__")(numpy.attribute("dtype")(dtype))).isTrue() {
            if copy.unsafePointer == sb_False() {
                throw PythonException.valueError("__array__(copy=False): converting to \(dtype) needs a copy")
            }
            return try array.callMethod("astype", dtype).newReference().take()
        }
        if copy.unsafePointer == sb_True() { array = try array.callMethod("copy") }
        return array.newReference().take()
    } catch { return raiseInPython(error) }
}
#endif
