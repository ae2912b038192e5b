/// Everything a bound function needs at call time: its parameters, their
/// defaults, and the type-specialised `invoke` that converts the arguments,
/// runs the Swift body and converts the result.
///
/// One record per function per module object; the function's holder object
/// owns it, so it is freed with the function.
@usableFromInline
final class FunctionRecord {
    /// Converts arguments from `slots` (one per parameter, in order), calls
    /// the body, returns a new reference or nil with an exception set.
    @usableFromInline
    typealias Invoke = (UnsafePointer<PyObjectPointer?>?, FunctionRecord) -> PyObjectPointer?

    @usableFromInline let invoke: Invoke
    /// Number of Swift parameters (slots).
    @usableFromInline let arity: Int
    /// True when positional calls with exactly `arity` arguments can skip binding.
    @usableFromInline let hasFastPath: Bool
    /// `"kw()"`, for messages.
    @usableFromInline let displayName: String
    @usableFromInline let parameterNames: [String]

    let kinds: [Signature.Kind]
    let internedNames: [PyObjectPointer]
    /// Owned references to default values (nil: required).
    let defaults: [PyObjectPointer?]
    let positionalCount: Int
    let positionalOnlyCount: Int
    let varPositional: Int?
    let varKeyword: Int?
    let methodDef: UnsafeMutablePointer<PyMethodDef>

    init(signature: Signature, doc: String?, defaults: [PyObjectPointer?], invoke: @escaping Invoke) {
        self.invoke = invoke
        let ps = signature.parameters
        arity = ps.count
        displayName = "\(signature.name)()"
        parameterNames = ps.map(\.name)
        kinds = ps.map(\.kind)
        internedNames = ps.map { InternedStrings.get($0.name) }
        self.defaults = defaults
        positionalCount = ps.filter { $0.kind == .positionalOnly || $0.kind == .positionalOrKeyword }.count
        positionalOnlyCount = ps.filter { $0.kind == .positionalOnly }.count
        varPositional = ps.firstIndex { $0.kind == .varPositional }
        varKeyword = ps.firstIndex { $0.kind == .varKeyword }
        hasFastPath = varPositional == nil && varKeyword == nil
            && ps.allSatisfy { $0.kind != .keywordOnly }
        methodDef = .allocate(capacity: 1)
        let docText = "\(signature.name)\(signature.textSignature)\n--\n\n\(doc ?? "")"
        methodDef.initialize(to: PyMethodDef(
            ml_name: strdup(signature.name),
            ml_meth: unsafeBitCast(fastcallTrampoline, to: PyCFunction.self),
            ml_flags: sb_meth_fastcall_keywords(),
            ml_doc: strdup(docText)))
    }

    deinit {
        for d in defaults { sb_xdecref(d) }
        free(UnsafeMutablePointer(mutating: methodDef.pointee.ml_name))
        free(UnsafeMutablePointer(mutating: methodDef.pointee.ml_doc))
        methodDef.deallocate()
    }

    /// The call from Python.  Positional calls with every argument given go
    /// straight to `invoke` over CPython's own argument vector.
    @inlinable @inline(__always)
    func call(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
        if kwnames == nil && nargs == arity && hasFastPath { return invoke(args, self) }
        return callBinding(args, nargs, kwnames)
    }

    /// Converts argument `index` (then advances it), naming the parameter
    /// when the conversion fails.
    @inlinable @inline(__always)
    func argument<T: FromPython>(_ type: T.Type, _ slots: UnsafePointer<PyObjectPointer?>?, _ index: inout Int) throws -> T {
        let i = index
        index = i &+ 1
        // SAFETY: `invoke` is called with `arity` filled slots (the fast path
        // checked nargs == arity; binding fills or rejects every slot).
        let object = BorrowedObject(slots.unsafelyUnwrapped[i].unsafelyUnwrapped)
        do { return try T.fromPython(object) }
        catch let e as ConversionError { throw argumentError(e, at: i) }
    }

    @usableFromInline
    func argumentError(_ error: ConversionError, at index: Int) -> PythonException {
        error.exception(subject: "\(displayName) argument '\(parameterNames[index])'")
    }
}

/// The C entry point of every bound function (METH_FASTCALL | METH_KEYWORDS).
///
/// SAFETY: `self` is the holder object made for this function by
/// `ModuleBuilder.def`; it owns a retained `FunctionRecord` for as long as
/// the function object lives, so the record is guaranteed for the call.
@usableFromInline
let fastcallTrampoline: @convention(c) (PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?) -> PyObjectPointer? = { holder, args, nargs, kwnames in
    let raw = sb_holder_get(holder.unsafelyUnwrapped).unsafelyUnwrapped
    return Unmanaged<FunctionRecord>.fromOpaque(raw)._withUnsafeGuaranteedRef {
        $0.call(args, nargs, kwnames)
    }
}
