// The calls a version-specific build makes that the limited API (an abi3
// build, `SWIFTBIND_LIMITED_API`) lacks below 3.12, each with the stable-ABI
// way to do the same.  docs/publishing.md lists what this costs.

/// `PyObject_Vectorcall(callable, args, nargsf, kwnames)`; an abi3 build
/// packs the vector into a tuple and a dict for `PyObject_Call`.
@inlinable @inline(__always)
func vectorcall(_ callable: PyObjectPointer, _ args: UnsafePointer<PyObjectPointer?>?, _ nargsf: Int,
                _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
    #if SWIFTBIND_LIMITED_API
    return callThroughTuple(callable, args, sb_vectorcall_nargs(nargsf), kwnames)
    #else
    return PyObject_Vectorcall(callable, args, nargsf, kwnames)
    #endif
}

#if SWIFTBIND_LIMITED_API
@usableFromInline @inline(never)
func callThroughTuple(_ callable: PyObjectPointer, _ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int,
                      _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
    guard let tuple = PyTuple_New(nargs) else { return nil }
    defer { sb_decref(tuple) }
    for i in 0..<nargs {
        let item = args.unsafelyUnwrapped[i].unsafelyUnwrapped
        sb_tuple_set_steal(tuple, i, sb_newref(item))
    }
    guard let kwnames else { return PyObject_Call(callable, tuple, nil) }
    guard let kwargs = PyDict_New() else { return nil }
    defer { sb_decref(kwargs) }
    for j in 0..<sb_tuple_size(kwnames) {
        guard PyDict_SetItem(kwargs, sb_tuple_get(kwnames, j), args.unsafelyUnwrapped[nargs + j]) == 0 else { return nil }
    }
    return PyObject_Call(callable, tuple, kwargs)
}
#endif

/// `PyObject_CallOneArg(callable, arg)`.
func callOneArg(_ callable: PyObjectPointer, _ arg: PyObjectPointer) -> PyObjectPointer? {
    #if SWIFTBIND_LIMITED_API
    withUnsafePointer(to: Optional(arg)) { vectorcall(callable, $0, 1, nil) }
    #else
    PyObject_CallOneArg(callable, arg)
    #endif
}

/// `PyVectorcall_Call`: the `tp_call` of a type whose instances are called
/// through their vectorcall pointer (`callable(*args, **kwargs)` with a
/// tuple and a dict), for an object whose vectorcall function is `function`.
func callThroughVector(_ function: vectorcallfunc, _ callable: PyObjectPointer, _ args: PyObjectPointer,
                       _ kwargs: PyObjectPointer?) -> PyObjectPointer? {
    let nargs = sb_tuple_size(args)
    let nkw = kwargs.map { PyDict_Size($0) } ?? 0
    var vector = [PyObjectPointer?](repeating: nil, count: 1 + nargs + nkw)
    for i in 0..<nargs { vector[1 + i] = sb_tuple_get(args, i) }
    var names: PyObjectPointer? = nil
    if let kwargs, nkw > 0 {
        guard let t = PyTuple_New(nkw) else { return nil }
        names = t
        var position = 0
        var key: PyObjectPointer? = nil
        var value: PyObjectPointer? = nil
        var j = 0
        while j < nkw, PyDict_Next(kwargs, &position, &key, &value) != 0 {
            sb_tuple_set_steal(t, j, sb_newref(key.unsafelyUnwrapped))
            vector[1 + nargs + j] = value
            j += 1
        }
    }
    defer { if let names { sb_decref(names) } }
    // The dict and tuple own the items for the length of the call.
    return vector.withUnsafeMutableBufferPointer { buffer in
        function(callable, buffer.baseAddress! + 1, nargs | sb_vectorcall_offset_flag(), names)
    }
}

/// `PyClassMethod_New(function)` / `PyStaticMethod_New(function)`.
func wrapInMethodKind(_ function: PyObjectPointer, classMethod: Bool) -> PyObjectPointer? {
    #if SWIFTBIND_LIMITED_API
    return callBuiltin(module: "builtins", classMethod ? "classmethod" : "staticmethod", [function])
    #else
    return classMethod ? PyClassMethod_New(function) : PyStaticMethod_New(function)
    #endif
}

/// `PyMethod_New(function, object)`: `function` bound to `object`.
func boundMethod(_ function: PyObjectPointer, _ object: PyObjectPointer) -> PyObjectPointer? {
    #if SWIFTBIND_LIMITED_API
    return callBuiltin(module: "types", "MethodType", [function, object])
    #else
    return PyMethod_New(function, object)
    #endif
}

#if SWIFTBIND_LIMITED_API
/// `module.name(*args)`, the module imported (and cached by Python) on use.
func callBuiltin(module: String, _ name: String, _ args: [PyObjectPointer]) -> PyObjectPointer? {
    guard let m = PyImport_ImportModule(module) else { return nil }
    defer { sb_decref(m) }
    guard let callable = PyObject_GetAttrString(m, name) else { return nil }
    defer { sb_decref(callable) }
    guard let tuple = PyTuple_New(args.count) else { return nil }
    defer { sb_decref(tuple) }
    for (i, a) in args.enumerated() { sb_tuple_set_steal(tuple, i, sb_newref(a)) }
    return PyObject_Call(callable, tuple, nil)
}
#endif

/// `PyObject_CallNoArgs(callable)`: a vectorcall with no arguments (the
/// function itself is in the limited API only from 3.10).
@inlinable @inline(__always)
func callNoArgs(_ callable: PyObjectPointer) -> PyObjectPointer? {
    vectorcall(callable, nil, 0, nil)
}

/// `PyObject_VectorcallMethod(name, args, nargsf, nil)`: `args[0]` is the
/// receiver.  One attribute lookup and no bound-method object for a plain
/// method; an abi3 build below 3.12 looks the attribute up and calls it.
@inlinable @inline(__always)
func vectorcallMethod(_ name: PyObjectPointer, _ args: UnsafePointer<PyObjectPointer?>, _ nargsf: Int) -> PyObjectPointer? {
    #if SWIFTBIND_LIMITED_API
    guard let method = PyObject_GetAttr(args[0].unsafelyUnwrapped, name) else { return nil }
    defer { sb_decref(method) }
    return vectorcall(method, args + 1, sb_vectorcall_nargs(nargsf) - 1, nil)
    #else
    return PyObject_VectorcallMethod(name, args, nargsf, nil)
    #endif
}

/// `PyInstanceMethod_New(function)`: `function` bound to the instance when
/// read from a class.  The limited API lacks it; an abi3 build uses
/// `functools.partialmethod(function)`, which binds the same way.
func instanceMethod(_ function: PyObjectPointer) -> PyObjectPointer? {
    #if SWIFTBIND_LIMITED_API
    return callBuiltin(module: "functools", "partialmethod", [function])
    #else
    return PyInstanceMethod_New(function)
    #endif
}
