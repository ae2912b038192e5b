/// A Swift closure as a Python callable: a callback to hand to Python code,
/// or (through ``PythonInstanceMethod``) a method of a class made at run
/// time with ``Python/makeClass(_:superclasses:members:)``.
///
/// ```swift
/// let square = try PythonFunction(name: "square") { args in
///     let x = try Double(args[0])
///     return x * x
/// }
/// let squares = try Python.map(square, [1, 2, 3])   // Python calls Swift
///
/// let greet = try PythonFunction { args, kwargs in
///     let punctuation = kwargs.first { $0.0 == "end" }?.1 ?? "!"
///     return "hello \(args[0])\(punctuation)"
/// }
/// ```
///
/// The closure runs with the GIL held, like a function bound with `def`.
/// A Swift error it throws is raised in Python (a ``PythonException`` as
/// itself, another error as `RuntimeError`), so Python code can catch it.
/// The Python object keeps the closure alive; the closure is released when
/// Python frees the function.  Making one requires the GIL.
public final class PythonFunction: ToPython {
    /// The Python function object.
    public let object: PythonObject

    /// A callable taking positional arguments only (a keyword argument
    /// raises `TypeError`).
    public convenience init(name: String = "swift_function", doc: String? = nil,
                            _ body: @escaping ([PythonObject]) throws -> any ToPython) throws {
        try self.init(name: name, doc: doc, acceptsKeywords: false) { args, _ in try body(args) }
    }

    /// A callable taking positional and keyword arguments, the keywords
    /// in the order the caller gave them.
    public convenience init(name: String = "swift_function", doc: String? = nil,
                            _ body: @escaping ([PythonObject], [(String, PythonObject)]) throws -> any ToPython) throws {
        try self.init(name: name, doc: doc, acceptsKeywords: true, body)
    }

    init(name: String, doc: String?, acceptsKeywords: Bool,
         _ body: @escaping ([PythonObject], [(String, PythonObject)]) throws -> any ToPython) throws {
        let record = ClosureRecord(name: name, doc: doc, acceptsKeywords: acceptsKeywords, body: body)
        let retained = Unmanaged.passRetained(record).toOpaque()
        guard let capsule = PyCapsule_New(retained, nil, releaseClosureCapsule) else {
            Unmanaged<ClosureRecord>.fromOpaque(retained).release()
            throw PythonException.fetch()
        }
        let owner = PythonObject(owning: capsule)
        object = PythonObject(owning: try checkedNew(PyCFunction_NewEx(record.methodDef, owner.unsafePointer, nil)))
    }

    public func toPython() throws -> NewReference { object.newReference() }
}

/// A Swift closure as a method: `args[0]` is the instance (`self`).
///
/// ```swift
/// let Point = try Python.makeClass("Point", members: [
///     "__init__": try PythonInstanceMethod { args in
///         try args[0].setAttribute("x", args[1]); return PythonNone()
///     },
///     "norm": try PythonInstanceMethod { args in try Double(args[0].x).magnitude },
/// ])
/// ```
///
/// The corresponding C function is `PyInstanceMethod_New`.
public final class PythonInstanceMethod: ToPython {
    /// The descriptor to put in a class.
    public let object: PythonObject
    /// The plain function it wraps.
    public let function: PythonFunction

    public init(name: String = "swift_method", _ body: @escaping ([PythonObject]) throws -> any ToPython) throws {
        function = try PythonFunction(name: name, body)
        object = PythonObject(owning: try checkedNew(instanceMethod(function.object.unsafePointer)))
    }

    public init(name: String = "swift_method",
                _ body: @escaping ([PythonObject], [(String, PythonObject)]) throws -> any ToPython) throws {
        function = try PythonFunction(name: name, body)
        object = PythonObject(owning: try checkedNew(instanceMethod(function.object.unsafePointer)))
    }

    public func toPython() throws -> NewReference { object.newReference() }
}

extension Python {
    /// `type(name, superclasses, members)`: a Python class made at run time
    /// (PythonKit's `PythonClass`).  Members are in the order given;
    /// methods are ``PythonInstanceMethod``s (or Python functions).
    ///
    /// - Throws: what `type()` raises (a bad base class, a conflicting layout).
    public static func makeClass(_ name: String, superclasses: [PythonObject] = [],
                                 members: KeyValuePairs<String, any ToPython> = [:]) throws -> PythonObject {
        let bases = try PythonObject.tuple(superclasses)
        let namespace = try PythonObject.dict(members)
        return try builtin("type").call(with: name, bases, namespace)
    }
}

/// What a ``PythonFunction``'s capsule owns: the closure, and the method
/// definition CPython keeps a pointer to for the function's life.
final class ClosureRecord {
    let body: ([PythonObject], [(String, PythonObject)]) throws -> any ToPython
    let acceptsKeywords: Bool
    let displayName: String
    let methodDef: UnsafeMutablePointer<PyMethodDef>

    init(name: String, doc: String?, acceptsKeywords: Bool,
         body: @escaping ([PythonObject], [(String, PythonObject)]) throws -> any ToPython) {
        self.body = body
        self.acceptsKeywords = acceptsKeywords
        self.displayName = "\(name)()"
        methodDef = .allocate(capacity: 1)
        methodDef.initialize(to: PyMethodDef(
            ml_name: strdup(name),
            ml_meth: unsafeBitCast(closureTrampoline, to: PyCFunction.self),
            ml_flags: sb_meth_fastcall_keywords(),
            ml_doc: doc.map { strdup($0) } ?? nil))
    }

    deinit {
        free(UnsafeMutablePointer(mutating: methodDef.pointee.ml_name))
        free(UnsafeMutablePointer(mutating: methodDef.pointee.ml_doc))
        methodDef.deallocate()
    }

    /// The call from Python, with the GIL held.
    func call(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?) -> PyObjectPointer? {
        do {
            var positional: [PythonObject] = []
            positional.reserveCapacity(nargs)
            for i in 0..<nargs { positional.append(PythonObject(borrowing: args.unsafelyUnwrapped[i].unsafelyUnwrapped)) }
            var keywords: [(String, PythonObject)] = []
            if let kwnames, sb_tuple_size(kwnames) > 0 {
                guard acceptsKeywords else {
                    throw PythonException(.typeError, "\(displayName) takes no keyword arguments")
                }
                for j in 0..<sb_tuple_size(kwnames) {
                    let name = try String.fromPython(BorrowedObject(sb_tuple_get(kwnames, j)))
                    keywords.append((name, PythonObject(borrowing: args.unsafelyUnwrapped[nargs + j].unsafelyUnwrapped)))
                }
            }
            return try body(positional, keywords).toPython().take()
        } catch {
            return raiseInPython(error)
        }
    }
}

/// The C entry point of every ``PythonFunction`` (METH_FASTCALL | METH_KEYWORDS).
///
/// SAFETY: `self` is the capsule made in `PythonFunction.init`; the function
/// object holds it, and it holds a retained `ClosureRecord`, for the call.
let closureTrampoline: @convention(c) (PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?) -> PyObjectPointer? = { capsule, args, nargs, kwnames in
    guard let capsule, let raw = PyCapsule_GetPointer(capsule, nil) else { return nil }
    return Unmanaged<ClosureRecord>.fromOpaque(raw)._withUnsafeGuaranteedRef {
        $0.call(args, sb_vectorcall_nargs(nargs), kwnames)
    }
}

/// Capsule destructor: gives back the retain taken in `PythonFunction.init`.
let releaseClosureCapsule: @convention(c) (PyObjectPointer?) -> Void = { capsule in
    guard let capsule, let raw = PyCapsule_GetPointer(capsule, nil) else { return }
    Unmanaged<ClosureRecord>.fromOpaque(raw).release()
}
