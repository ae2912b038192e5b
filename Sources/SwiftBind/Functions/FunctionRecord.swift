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
    /// `"module.name()"` as a C string, for the report printed when Swift
    /// code traps (TrapReport); owned.
    @usableFromInline let traceName: UnsafeMutablePointer<CChar>

    /// One descriptor per parameter, in a flat buffer the binder walks
    /// without retains or bounds checks.  Owns the default values.
    let parameters: UnsafeMutableBufferPointer<ParameterSlot>
    let positionalCount: Int
    let positionalOnlyCount: Int
    let varPositional: Int?
    let varKeyword: Int?
    /// No *args and no **kwargs.
    let plainParameters: Bool
    let methodDef: UnsafeMutablePointer<PyMethodDef>

    init(signature: Signature, moduleName: String, doc: String?, defaults: [PyObjectPointer?], invoke: @escaping Invoke) {
        self.invoke = invoke
        let ps = signature.parameters
        arity = ps.count
        displayName = "\(signature.name)()"
        traceName = strdup("\(moduleName).\(signature.name)()")
        parameterNames = ps.map(\.name)
        parameters = .allocate(capacity: max(ps.count, 1))
        for (i, p) in ps.enumerated() {
            (parameters.baseAddress! + i).initialize(to: ParameterSlot(
                name: InternedStrings.get(p.name), kind: p.kind, defaultValue: defaults[i]))
        }
        positionalCount = ps.filter { $0.kind == .positionalOnly || $0.kind == .positionalOrKeyword }.count
        positionalOnlyCount = ps.filter { $0.kind == .positionalOnly }.count
        varPositional = ps.firstIndex { $0.kind == .varPositional }
        varKeyword = ps.firstIndex { $0.kind == .varKeyword }
        plainParameters = varPositional == nil && varKeyword == nil
        hasFastPath = varPositional == nil && varKeyword == nil
            && ps.allSatisfy { $0.kind != .keywordOnly }
        methodDef = .allocate(capacity: 1)
        let docText = "\(signature.name)\(signature.textSignature)\n--\n\n\(doc ?? "")"
        // Functions that take no keywords at all (every parameter
        // positional-only, or none) use plain METH_FASTCALL: CPython 3.11+
        // specialises those call sites a little better.
        let positionalOnly = ps.allSatisfy { $0.kind == .positionalOnly }
        methodDef.initialize(to: PyMethodDef(
            ml_name: strdup(signature.name),
            ml_meth: positionalOnly
                ? unsafeBitCast(positionalTrampoline, to: PyCFunction.self)
                : unsafeBitCast(fastcallTrampoline, to: PyCFunction.self),
            ml_flags: positionalOnly ? sb_meth_fastcall() : sb_meth_fastcall_keywords(),
            ml_doc: strdup(docText)))
    }

    deinit {
        for i in 0..<arity { sb_xdecref(parameters[i].defaultValue) }
        parameters.deallocate()
        free(UnsafeMutablePointer(mutating: methodDef.pointee.ml_name))
        free(UnsafeMutablePointer(mutating: methodDef.pointee.ml_doc))
        methodDef.deallocate()
        free(traceName)
    }

    /// The call from Python.  Positional calls with every argument given go
    /// straight to `invoke` over CPython's own argument vector.
    ///
    /// A call whose keywords name the remaining parameters in declaration
    /// order (`kw(1, b=2, c=3)`, the usual way) also needs no binding:
    /// CPython's vector already holds the arguments in parameter order.
    ///
    /// The current call (for TrapReport) names this function from here on:
    /// one store, no restore on return.  Whoever runs Swift after a nested
    /// call puts its own back (Swift's calls into Python, ``withoutGIL``),
    /// so a trap is reported in the right function in the common cases.
    @inlinable @inline(__always)
    func call(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
        sb_set_current_call(traceName)
        if let kwnames {
            if keywordsFollowInOrder(nargs, kwnames) { return invoke(args, self) }
        } else if nargs == arity && hasFastPath {
            return invoke(args, self)
        }
        return callBinding(args, nargs, kwnames)
    }

    /// True when `nargs` positional arguments plus `kwnames` (identical to
    /// the interned parameter names, in order) fill every parameter.
    @usableFromInline
    func keywordsFollowInOrder(_ nargs: Int, _ kwnames: PyObjectPointer) -> Bool {
        let count = sb_tuple_size(kwnames)
        guard plainParameters, nargs &+ count == arity, nargs <= positionalCount, nargs >= positionalOnlyCount else {
            return false
        }
        let params = parameters.baseAddress.unsafelyUnwrapped
        var k = 0
        while k < count {
            if sb_tuple_get(kwnames, k) != params[nargs &+ k].name { return false }
            k &+= 1
        }
        return true
    }

    /// Converts argument `i`, naming the parameter when the conversion fails.
    @inlinable @inline(__always)
    func argument<T: FromPython>(_ type: T.Type, _ slots: UnsafePointer<PyObjectPointer?>?, _ i: Int) throws -> T {
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

/// What the binder knows about one parameter.
struct ParameterSlot {
    /// Interned name (call sites pass interned keyword names, so identity
    /// usually decides).
    var name: PyObjectPointer
    var kind: Signature.Kind
    /// Owned reference to the default, or nil when the parameter is required.
    var defaultValue: PyObjectPointer?
    var acceptsKeyword: Bool { kind == .positionalOrKeyword || kind == .keywordOnly }
}

/// The C entry point of every bound function (METH_FASTCALL | METH_KEYWORDS).
///
/// SAFETY: `self` is the holder object made for this function by
/// `ModuleBuilder.def`; it owns a retained `FunctionRecord` for as long as
/// the function object lives, so the record is guaranteed for the call.
@usableFromInline
let fastcallTrampoline: @convention(c) (PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?) -> PyObjectPointer? = { holder, args, nargs, kwnames in
    heldRecord(holder)._withUnsafeGuaranteedRef { $0.call(args, nargs, kwnames) }
}

/// The C entry point of functions without keyword parameters (METH_FASTCALL).
@usableFromInline
let positionalTrampoline: @convention(c) (PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int) -> PyObjectPointer? = { holder, args, nargs in
    heldRecord(holder)._withUnsafeGuaranteedRef { $0.call(args, nargs, nil) }
}

/// The record a holder object carries (see HolderType).
@inlinable @inline(__always)
func heldRecord(_ holder: PyObjectPointer?) -> Unmanaged<FunctionRecord> {
    Unmanaged<FunctionRecord>.fromOpaque(holderPointer(holder.unsafelyUnwrapped).unsafelyUnwrapped)
}
