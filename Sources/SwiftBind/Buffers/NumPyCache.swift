// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// `numpy.asarray`, looked up once per interpreter: a zero-copy hand-over
/// costs no import and no attribute lookup.
///
/// SAFETY (`nonisolated(unsafe)`): read and written only with the GIL held.
/// The entry remembers the interpreter it was made in; another interpreter
/// (a subinterpreter, or one started after `PythonInterpreter.finalize()`,
/// which calls ``reset()``) looks numpy up again.
package enum NumPyCache {
    nonisolated(unsafe) static var interpreter: OpaquePointer? = nil
    /// A strong reference, owned by the cache.
    nonisolated(unsafe) static var asarrayFunction: PyObjectPointer? = nil
    /// NumPy's C API table (`_ARRAY_API`), or nil when it could not be had
    /// (then hand-overs use `numpy.asarray`).  Owned by NumPy's module.
    nonisolated(unsafe) static var arrayAPI: UnsafeMutablePointer<UnsafeMutableRawPointer?>? = nil

    /// `numpy.asarray`, borrowed (the cache owns it).  Requires the GIL.
    ///
    /// - Throws: `ImportError` when NumPy is not installed.
    static func asarray() throws -> PyObjectPointer {
        let current = PyInterpreterState_Get()
        if let f = asarrayFunction, interpreter == current { return f }
        let numpy = PythonObject(owning: try checkedNew(PyImport_ImportModule("numpy")))
        let f = try checkedNew(PyObject_GetAttrString(numpy.unsafePointer, "asarray"))
        // An entry from another interpreter is not released here: its
        // interpreter may be gone (finalised) or not be ours to touch.
        if interpreter == current, let old = asarrayFunction { sb_decref(old) }
        asarrayFunction = f
        interpreter = current
        arrayAPI = loadArrayAPI()
        return f
    }

    /// The table behind NumPy's C API (what `import_array()` reads): the
    /// capsule `_ARRAY_API` of `numpy._core._multiarray_umath` (NumPy 2) or
    /// `numpy.core._multiarray_umath` (NumPy 1).  Nil, with no exception
    /// left pending, when neither is there.
    private static func loadArrayAPI() -> UnsafeMutablePointer<UnsafeMutableRawPointer?>? {
        for name in ["numpy._core._multiarray_umath", "numpy.core._multiarray_umath"] {
            guard let module = PyImport_ImportModule(name) else { PyErr_Clear(); continue }
            defer { sb_decref(module) }
            guard let capsule = PyObject_GetAttrString(module, "_ARRAY_API") else { PyErr_Clear(); continue }
            defer { sb_decref(capsule) }
            guard let table = PyCapsule_GetPointer(capsule, nil) else { PyErr_Clear(); continue }
            return table.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        }
        return nil
    }

    /// Forgets the entry without touching it (the interpreter is being
    /// finalised, and frees it).
    package static func reset() {
        asarrayFunction = nil
        arrayAPI = nil
        interpreter = nil
    }
}
#endif
