// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// Pickling `swiftbind.NDArray` (pickle, copy, multiprocessing,
// concurrent.futures, Dask):
//
//     x.__reduce__() == (M._swiftbind_ndarray, (format, shape, data, readonly))
//
// `data` is a `bytes` copy of the memory.  Unpickling needs a function
// that pickle can find by name, so every swiftbind module gets a private
// `_swiftbind_ndarray` (the stub writer skips private names); `M` is the
// first swiftbind module imported in the process, which is imported again
// wherever the pickle is loaded.  The rebuilt array owns a fresh Swift
// block, so it needs no NumPy anywhere.

extension BufferExporterType {
    // SAFETY: set once, with the GIL held, when the first module is made;
    // kept for the life of the process.
    nonisolated(unsafe) static var restoreFunction: PyObjectPointer?

    /// Adds `_swiftbind_ndarray` to a new module (called by every module's
    /// exec, before the module is returned to Python).
    ///
    /// The corresponding C function is `PyCFunction_NewEx`.
    static func addRestoreFunction(to module: PythonObject, name: String) throws {
        let moduleName = PythonObject(owning: try checkedNew(PyUnicode_FromString(name)))
        let function = PythonObject(owning: try checkedNew(PyCFunction_NewEx(restoreDefinition, nil, moduleName.unsafePointer)))
        try checkedStatus(PyObject_SetAttrString(module.unsafePointer, "_swiftbind_ndarray", function.unsafePointer))
        if restoreFunction == nil { restoreFunction = function.newReference().take() }
    }

    // SAFETY: made once (GIL held), never freed: CPython keeps the pointer.
    nonisolated(unsafe) static let restoreDefinition: UnsafeMutablePointer<PyMethodDef> = {
        let def = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: 1)
        def.initialize(to: PyMethodDef(
            ml_name: strdup("_swiftbind_ndarray"),
            ml_meth: restoreFunctionBody,
            ml_flags: METH_VARARGS,
            ml_doc: strdup("_swiftbind_ndarray(format, shape, data, readonly, /)\n--\n\nUnpickles a swiftbind.NDArray.")))
        return def
    }()

    /// `(restore, (format, shape, data, readonly))`.
    static func reduce(_ s: ExportedStorage) throws -> PythonObject {
        guard let restoreFunction else {
            throw PythonException.typeError("cannot pickle swiftbind.NDArray: no swiftbind module was imported")
        }
        let data = PythonObject(owning: try checkedNew(PyBytes_FromStringAndSize(s.base.assumingMemoryBound(to: CChar.self), s.byteCount)))
        let format = String(cString: s.format)
        return try PythonTuple(PythonObject(borrowing: restoreFunction),
                               PythonTuple(format, tuple(shapeOf(s)), data, s.isReadOnly)).pythonObject()
    }

    /// Rebuilds an array from `reduce`'s arguments, which come from a
    /// pickle and so are checked like any input: a format swiftbind does
    /// not export, a negative or overflowing shape, or data of the wrong
    /// length is a `ValueError` / `TypeError`, never a trap.
    static func restore(_ args: PyObjectPointer) throws -> PythonObject {
        guard sb_tuple_check(args) != 0, sb_tuple_size(args) == 4 else {
            throw PythonException.typeError("_swiftbind_ndarray() takes 4 arguments (format, shape, data, readonly)")
        }
        let format = try String.fromPython(BorrowedObject(sb_tuple_get(args, 0).unsafelyUnwrapped))
        let shape = try [Int].fromPython(BorrowedObject(sb_tuple_get(args, 1).unsafelyUnwrapped))
        let data = sb_tuple_get(args, 2).unsafelyUnwrapped
        let readOnly = try Bool.fromPython(BorrowedObject(sb_tuple_get(args, 3).unsafelyUnwrapped))
        guard sb_bytes_check(data) != 0 else {
            throw PythonException.typeError("_swiftbind_ndarray() argument 'data' must be bytes, not \(data.typeName)")
        }
        func make<E: BufferElement>(_ type: E.Type) throws -> PythonObject {
            let count: Int
            do throws(ShapeError) { count = try checkedElementCount(shape, itemSize: MemoryLayout<E>.stride, dtype: E.dtypeName) }
            catch { throw error.pythonException }
            let byteCount = count * MemoryLayout<E>.stride
            guard sb_bytes_size(data) == byteCount else {
                throw PythonException.valueError("_swiftbind_ndarray(): \(sb_bytes_size(data)) bytes do not make an array of shape \(tupleText(shape)) of \(E.dtypeName)")
            }
            guard let block = RawAllocation(byteCount: byteCount) else {
                throw PythonException(.memoryError, "cannot allocate \(byteCount) bytes to unpickle a swiftbind.NDArray")
            }
            // SAFETY: the bytes object holds byteCount bytes; the block as many.
            block.base.copyMemory(from: UnsafeRawPointer(sb_bytes_as_string(data).unsafelyUnwrapped), byteCount: byteCount)
            let storage = ExportedStorage(owner: block, base: block.base, count: count, shape: shape, of: E.self, readOnly: readOnly)
            return try BufferExporterType.make(storage).object()
        }
        switch format {
        case "f": return try make(Float.self)
        case "d": return try make(Double.self)
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        case "e": return try make(Float16.self)
        #endif
        case "b": return try make(Int8.self)
        case "h": return try make(Int16.self)
        case "i": return try make(Int32.self)
        case "q": return try make(Int64.self)
        case "n": return try make(Int.self)
        case "B": return try make(UInt8.self)
        case "H": return try make(UInt16.self)
        case "I": return try make(UInt32.self)
        case "Q": return try make(UInt64.self)
        case "N": return try make(UInt.self)
        case "?": return try make(Bool.self)
        default: throw PythonException.valueError("_swiftbind_ndarray(): unknown element format '\(format)'")
        }
    }
}

private let restoreFunctionBody: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { _, args in
    guard let args else { return nil }
    do { return try BufferExporterType.restore(args).newReference().take() }
    catch { return raiseInPython(error) }
}

/// `__reduce__()`.
let exporterReduce: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, _ in
    BufferExporterType.withStorage(object) { s in try BufferExporterType.reduce(s) }
}
#endif
