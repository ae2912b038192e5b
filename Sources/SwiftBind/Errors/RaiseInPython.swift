/// The one place where a Swift error becomes a Python exception on its way
/// out of Swift.  Requires the GIL.  Always returns nil, so trampolines can
/// `return raiseInPython(error)`.
@usableFromInline
func raiseInPython(_ error: any Error) -> PyObjectPointer? {
    switch error {
    case let e as PythonException:
        e.restore()
    case let e as ConversionError:
        e.exception(subject: "value").restore()
    case let e as PythonExceptionConvertible:
        e.pythonException.restore()
    default:
        PyErr_SetString(sb_exc_RuntimeError(), String(describing: error))
    }
    return nil
}

/// Status-returning variant for slots that report failure with -1.
@usableFromInline
func raiseInPythonStatus(_ error: any Error) -> Int32 {
    _ = raiseInPython(error)
    return -1
}
