// Calls at the C API's cost: the arguments are a parameter pack, so each
// one converts through its own specialised `toPython()` into a vector on
// the stack, and the call is one `PyObject_Vectorcall` (for a method, one
// `PyObject_VectorcallMethod`): no Swift array, no existential, no
// bound-method object.

extension PythonObject {
    /// `object(args…)` with each argument converted by its own type's code.
    ///
    /// ```swift
    /// let f = try module.ident
    /// let n = try f.call(with: 41, as: Int.self)    // no PythonObject for the result
    /// let r = try f.call(with: 1.5, "label", true)  // any number of arguments
    /// ```
    ///
    /// (`with:` keeps it apart from ``call(_:)-([any ToPython])``, which
    /// spreads an array into the arguments: `f.call([a, b])` is `f(a, b)`,
    /// `f.call(with: [a, b])` is `f([a, b])`.)
    ///
    /// ```swift
    /// ```
    ///
    /// - Complexity: one vectorcall; the argument vector lives on the stack.
    /// - Throws: what converting an argument throws, and what the callee
    ///   raises, as a ``PythonException`` with its traceback.
    ///
    /// The corresponding C function is `PyObject_Vectorcall`.
    @inlinable
    public func call<each A: ToPython>(with args: repeat each A) throws -> PythonObject {
        PythonObject(owning: try vectorcallConverting(repeat each args))
    }

    /// `object()`: one vectorcall with no arguments.
    @inlinable
    public func call() throws -> PythonObject {
        PythonObject(owning: try checkedNew(withCurrentCallKept { callNoArgs(unsafePointer) }))
    }

    /// `R(object())`, with no ``PythonObject`` for the result.
    @inlinable
    public func call<R: FromPython>(as type: R.Type) throws -> R {
        let result = try checkedNew(withCurrentCallKept { callNoArgs(unsafePointer) })
        defer { sb_decref(result) }
        return try convertResult(result, R.self)
    }

    /// `R(object(args…))`: the call and the conversion of its result, with
    /// no ``PythonObject`` made for the result.
    ///
    /// - Throws: a `TypeError` naming "the result" when it does not convert.
    @inlinable
    public func call<R: FromPython, each A: ToPython>(with args: repeat each A, as type: R.Type) throws -> R {
        let result = try vectorcallConverting(repeat each args)
        defer { sb_decref(result) }
        return try convertResult(result, R.self)
    }

    /// `object.name(args…)`, looking up `name` once and making no bound
    /// method for it.
    ///
    /// The corresponding C function is `PyObject_VectorcallMethod`.
    @inlinable
    public func callMethod<each A: ToPython>(_ name: String, _ args: repeat each A) throws -> PythonObject {
        PythonObject(owning: try vectorcallMethodConverting(name, repeat each args))
    }

    /// `R(object.name(args…))`, with no ``PythonObject`` for the result.
    @inlinable
    public func callMethod<R: FromPython, each A: ToPython>(_ name: String, _ args: repeat each A,
                                                            as type: R.Type) throws -> R {
        let result = try vectorcallMethodConverting(name, repeat each args)
        defer { sb_decref(result) }
        return try convertResult(result, R.self)
    }

    /// Converts the arguments into a stack vector (slot 0 free for the
    /// callee, PY_VECTORCALL_ARGUMENTS_OFFSET) and calls; returns a new
    /// reference.
    @inlinable
    func vectorcallConverting<each A: ToPython>(_ args: repeat each A) throws -> PyObjectPointer {
        var count = 0
        for _ in repeat each args { count &+= 1 }
        if count == 0 { return try checkedNew(withCurrentCallKept { callNoArgs(unsafePointer) }) }
        return try withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: count &+ 1) { vector in
            // SAFETY: the vector has count + 1 slots; slot 0 is scratch, the
            // others hold new references, released on every path below.
            let base = vector.baseAddress.unsafelyUnwrapped
            base[0] = nil
            var filled = 0
            defer { releaseArguments(base + 1, filled) }
            for a in repeat each args {
                base[1 &+ filled] = try a.toPython().take()
                filled &+= 1
            }
            return try checkedNew(withCurrentCallKept {
                vectorcall(unsafePointer, base + 1, count | sb_vectorcall_offset_flag(), nil)
            })
        }
    }

    @inlinable
    func vectorcallMethodConverting<each A: ToPython>(_ name: String, _ args: repeat each A) throws -> PyObjectPointer {
        var count = 0
        for _ in repeat each args { count &+= 1 }
        let interned = try checkedNew(PyUnicode_InternFromString(name))
        defer { sb_decref(interned) }
        return try withUnsafeTemporaryAllocation(of: PyObjectPointer?.self, capacity: count &+ 2) { vector in
            // SAFETY: slot 0 is scratch, slot 1 the receiver (borrowed: self
            // keeps it alive), slots 2… new references released below.
            let base = vector.baseAddress.unsafelyUnwrapped
            base[0] = nil
            base[1] = unsafePointer
            var filled = 0
            defer { releaseArguments(base + 2, filled) }
            for a in repeat each args {
                base[2 &+ filled] = try a.toPython().take()
                filled &+= 1
            }
            return try checkedNew(withCurrentCallKept {
                vectorcallMethod(interned, base + 1, (count &+ 1) | sb_vectorcall_offset_flag())
            })
        }
    }
}

/// Runs a call into Python and puts back the current call (for
/// TrapReport), which the callee may change by entering bound functions.
@inlinable @inline(__always)
func withCurrentCallKept(_ body: () -> PyObjectPointer?) -> PyObjectPointer? {
    let call = sb_current_call_name()
    defer { sb_set_current_call(call) }
    return body()
}

@inlinable @inline(__always)
func releaseArguments(_ start: UnsafeMutablePointer<PyObjectPointer?>, _ count: Int) {
    var i = 0
    while i < count { sb_decref(start[i].unsafelyUnwrapped); i &+= 1 }
}

/// Converts a call's result (borrowed), naming it in the message.
@inlinable
func convertResult<R: FromPython>(_ result: PyObjectPointer, _ type: R.Type) throws -> R {
    do { return try R.fromPython(BorrowedObject(result)) }
    catch let e as ConversionError { throw e.exception(subject: "the result") }
}
