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
        return f
    }

    /// Forgets the entry without touching it (the interpreter is being
    /// finalised, and frees it).
    package static func reset() {
        asarrayFunction = nil
        interpreter = nil
    }
}
#endif
