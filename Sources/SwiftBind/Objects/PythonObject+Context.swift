extension PythonObject {
    /// `with self as value: body(value)`: calls `__enter__`, runs `body`,
    /// then `__exit__` with what `body` threw, as Python's `with` does.
    ///
    /// ```swift
    /// let text = try open("data.txt").with { f in try String(f.read()) }
    /// ```
    ///
    /// When `body` throws, `__exit__` gets the exception (a Swift error as
    /// the `RuntimeError`, or the mapped exception, that it becomes in
    /// Python); if `__exit__` returns true the error is suppressed and the
    /// result is nil.  An exception raised by `__exit__` itself is thrown
    /// instead.  A `body` that returns leads to `__exit__(None, None, None)`.
    ///
    /// - Returns: what `body` returned; nil only when `__exit__` suppressed
    ///   an error.
    @discardableResult
    public func with<R>(_ body: (PythonObject) throws -> R) throws -> R? {
        // Looked up on the type, as the `with` statement does.
        let type = PythonObject(borrowing: sb_type_as_object(sb_type(unsafePointer)))
        let exit = try type.attribute("__exit__")
        let value = try type.attribute("__enter__").call(with: self)
        let result: R
        do {
            result = try body(value)
        } catch {
            _ = raiseInPython(error)
            let raised = PythonException.fetch()
            let instance = raised.value
            let excType = PythonObject(borrowing: sb_type_as_object(sb_type(instance.unsafePointer)))
            let traceback = PythonObject(owning: PyException_GetTraceback(instance.unsafePointer) ?? sb_newref(sb_None()))
            let suppressed = try exit.call(with: self, excType, instance, traceback).isTrue()
            if suppressed { return nil }
            throw error
        }
        _ = try exit.call(with: self, PythonObject.none, PythonObject.none, PythonObject.none)
        return result
    }
}
