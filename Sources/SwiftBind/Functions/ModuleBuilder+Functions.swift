extension ModuleBuilder {
    // `def` itself: one overload per arity, generated into
    // ModuleBuilder+Def.swift.  Each one:
    //
    // Declares a module function.  `signature` is the Python signature, with
    // Python-literal defaults: `"kw(a, b=2, *, c=3)"`, `"f(x, /)"`,
    // `"g(*args, **kwargs)"`.  The closure takes one Swift parameter per
    // Python parameter, in order; each converts from Python through
    // `FromPython` (a wrong type raises TypeError naming the parameter), the
    // result through `ToPython`.  `*args` arrives as a tuple and `**kwargs`
    // as a dict, converted to the closure's parameter type (`[Int]`,
    // `PythonObject`, `[String: Double]`…).  A thrown error becomes a Python
    // exception.  Calls use METH_FASTCALL | METH_KEYWORDS; a call with all
    // arguments positional converts them straight from the interpreter's
    // argument vector.
    //
    //     m.def("kw(a, b=2, *, c=3)", doc: "Sum.") { (a: Int, b: Int, c: Int) in a + b + c }

    /// Builds the record and the function object, and adds it to the module.
    @usableFromInline
    func register(_ signatureText: String, doc: String?, parameters: [ParameterInfo], returns: ResultHint,
                  invoke: @escaping FunctionRecord.Invoke) {
        do {
            let function = try makeFunction(signatureText, doc: doc, parameters: parameters, returns: returns,
                                            kind: .function, invoke: invoke)
            try module.setAttribute(function.name, function.object)
        } catch {
            record(error)
        }
    }

    /// The function object for a module function or a static or class
    /// method (`kind`, of class `owner`), its types declared.
    func makeFunction(_ signatureText: String, doc: String?, parameters: [ParameterInfo], returns: ResultHint,
                      kind: Declaration.Kind, owner: String? = nil,
                      invoke: @escaping FunctionRecord.Invoke) throws -> (name: String, object: PythonObject) {
        let signature: Signature
        do { signature = try Signature(parsing: signatureText) }
        catch { throw PythonException(.typeError, "swiftbind: \(name): \(error)") }
        let where_ = "swiftbind: \(name).\(signature.name)"
        guard signature.parameters.count == parameters.count else {
            throw PythonException(.typeError,
                "\(where_): the signature '\(signatureText)' has \(signature.parameters.count) parameter(s) but the Swift closure takes \(parameters.count)")
        }
        var defaults: [PyObjectPointer?] = []
        for (p, info) in zip(signature.parameters, parameters) {
            guard let literal = p.defaultLiteral else { defaults.append(nil); continue }
            let value = try evaluateLiteral(literal)
            do { try info.check(value.borrowed) }
            catch let e as ConversionError {
                throw PythonException(.typeError, "\(where_): default \(literal) for parameter '\(p.name)' does not convert to \(info.pythonTypeName): \(e.exception(subject: "it"))")
            }
            defaults.append(value.newReference().take())
        }
        let typed = try typedParameters(signature, parameters, where: where_)
        let result = try resultHint(signature, returns, where: where_)
        let record = FunctionRecord(signature: signature, moduleName: name, doc: doc, defaults: defaults, invoke: invoke)
        _ = declare(Declaration(kind: kind, owner: owner, name: signature.name, parameters: typed, returns: result,
                                doc: doc, methodDef: record.methodDef, textSignature: signature.textSignature))
        let holder = try HolderType.instance(of: holderType, moduleName: name, holding: record)
        let moduleName = try name.toPython()
        let function = PythonObject(owning: try checkedNew(
            PyCFunction_NewEx(record.methodDef, holder.unsafePointer, moduleName.pointer)))
        return (signature.name, function)
    }
}

/// What registration needs to know about one Swift parameter type.
public struct ParameterInfo {
    public let pythonTypeName: String
    public let check: (BorrowedObject) throws -> Void
    /// The parameter's annotation (TypeHints.swift), resolved when the
    /// module's declarations are done.
    let typeHint: () -> String

    @inlinable
    public init<T: FromPython>(_ type: T.Type) {
        self.init(pythonTypeName: T.pythonTypeName, check: { _ = try T.fromPython($0) },
                  typeHint: { pythonTypeHint(T.self, .parameter) })
    }

    public init(pythonTypeName: String, check: @escaping (BorrowedObject) throws -> Void) {
        self.init(pythonTypeName: pythonTypeName, check: check, typeHint: { pythonTypeName })
    }

    @usableFromInline
    init(pythonTypeName: String, check: @escaping (BorrowedObject) throws -> Void, typeHint: @escaping () -> String) {
        self.pythonTypeName = pythonTypeName
        self.check = check
        self.typeHint = typeHint
    }
}
