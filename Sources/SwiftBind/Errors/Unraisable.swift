/// The trap-free fallback for Python errors where Swift allows no `throws`
/// (`==`, `hash(into:)`, a `Sequence` iterator, a subscript or member
/// setter, a literal): the exception goes to `sys.unraisablehook`, which
/// prints it by default, as Python itself does for an error in `__del__`.
/// Each such API has a throwing twin that docs/embedding.md names.
/// Requires the GIL.
///
/// The corresponding C function is `PyErr_WriteUnraisable`.
@usableFromInline
func reportUnraisable(_ error: any Error, context: String) {
    let where_ = try? ("swiftbind: while " + context).pythonObject()
    _ = raiseInPython(error)
    PyErr_WriteUnraisable(where_?.unsafePointer)
    if exceptionIsPending() { PyErr_Clear() }
}

/// ``reportUnraisable(_:context:)`` for the exception pending in the
/// interpreter, if one is.
@usableFromInline
func reportPendingUnraisable(context: String) {
    guard exceptionIsPending() else { return }
    reportUnraisable(PythonException.fetch(), context: context)
}
