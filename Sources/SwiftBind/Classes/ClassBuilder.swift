/// Declares the Python face of a Swift type: its initializer, methods,
/// properties, protocols and hooks.  You get one as `c` in
/// ``ModuleBuilder/class(_:_:doc:_:)``.
///
/// ```swift
/// m.class(Counter.self, "Counter", doc: "Counts.") { c in
///     c.initializer("__init__(name, start=0)") { (name: String, start: Int) in Counter(name: name, count: start) }
///     c.method("bump(by=1)") { (self: Counter, by: Int) in self.bump(by) }
///     c.property("count", get: { $0.count }, set: { $0.count = $1 })
///     c.readonly("name") { $0.name }
/// }
/// ```
///
/// Signatures are written as for `m.def`, without `self`; the receiver is
/// the closure's first parameter (`T`, or `inout T` for `mutatingMethod`).
/// Like `m.def`, a mistake in a declaration makes the import raise a
/// TypeError that says what to fix.
public final class ClassBuilder<T> {
    /// The module being defined.
    public let module: ModuleBuilder
    @usableFromInline let record: ClassRecord
    /// Operator handlers by dunder name, for chaining several operand types.
    @usableFromInline var operators: [String: OperatorHandler] = [:]
    /// Operand and result annotations of each operator's handlers.
    var operatorTypes: [String: [(() -> String, ResultHint)]] = [:]

    init(module: ModuleBuilder, record: ClassRecord) {
        self.module = module
        self.record = record
    }

    /// The Python class name.
    public var name: String { record.name }

    // MARK: Registration helpers (called by the generated overloads)

    /// Parses a method signature and evaluates its defaults.
    func parse(_ text: String, parameters: [ParameterInfo]) throws -> (Signature, [PyObjectPointer?]) {
        let signature: Signature
        do { signature = try Signature(parsing: text) }
        catch { throw PythonException(.typeError, "swiftbind: \(module.name).\(name): \(error)") }
        let where_ = "swiftbind: \(module.name).\(name).\(signature.name)"
        guard signature.parameters.count == parameters.count else {
            throw PythonException(.typeError,
                "\(where_): the signature '\(text)' has \(signature.parameters.count) parameter(s) but the Swift closure takes \(parameters.count) besides the receiver")
        }
        var defaults: [PyObjectPointer?] = []
        for (p, info) in zip(signature.parameters, parameters) {
            guard let literal = p.defaultLiteral else { defaults.append(nil); continue }
            let value = try module.evaluateLiteral(literal)
            do { try info.check(value.borrowed) }
            catch let e as ConversionError {
                throw PythonException(.typeError, "\(where_): default \(literal) for parameter '\(p.name)' does not convert to \(info.pythonTypeName): \(e.exception(subject: "it"))")
            }
            defaults.append(value.newReference().take())
        }
        return (signature, defaults)
    }

    /// A record whose slot 0 is the receiver: `bump(by=1)` becomes
    /// `Counter.bump($self, /, by=1)`.
    func receiverRecord(_ text: String, doc: String?, parameters: [ParameterInfo], returns: ResultHint,
                        kind: Declaration.Kind,
                        invoke: @escaping FunctionRecord.Invoke) throws -> (FunctionRecord, Signature, Int) {
        var (signature, defaults) = try parse(text, parameters: parameters)
        let place = "swiftbind: \(module.name).\(name).\(signature.name)"
        let declared = module.declare(Declaration(
            kind: kind, owner: name, name: signature.name,
            parameters: try module.typedParameters(signature, parameters, where: place),
            returns: try module.resultHint(signature, returns, where: place), doc: doc))
        let shortName = signature.name
        let inner = String(signature.textSignature.dropFirst().dropLast())
        let hasSlash = signature.parameters.contains { $0.kind == .positionalOnly }
        signature.textSignature = inner.isEmpty ? "($self, /)"
            : hasSlash ? "($self, \(inner))" : "($self, /, \(inner))"
        signature.parameters.insert(Signature.Parameter(name: "self", kind: .positionalOnly), at: 0)
        signature.name = shortName == "__init__" ? name : "\(name).\(shortName)"
        let record = FunctionRecord(signature: signature, moduleName: module.name, doc: doc, defaults: [nil] + defaults, invoke: invoke)
        signature.name = shortName
        return (record, signature, declared)
    }

    @usableFromInline
    func addInitializer(_ text: String, doc: String?, parameters: [ParameterInfo], invoke: @escaping FunctionRecord.Invoke) {
        do {
            let (r, signature, declared) = try receiverRecord(text, doc: doc, parameters: parameters, returns: .none,
                                                              kind: .initializer, invoke: invoke)
            guard signature.name == "__init__" else {
                throw PythonException(.typeError, "swiftbind: \(module.name).\(name): an initializer's signature is named __init__, not '\(signature.name)'")
            }
            record.initializer = r
            record.initializerSignature = try parse(text, parameters: parameters).0
            record.initializerDeclaration = declared
        } catch { module.record(error) }
    }

    @usableFromInline
    func addMethod(_ text: String, doc: String?, parameters: [ParameterInfo], returns: ResultHint = .any,
                   invoke: @escaping FunctionRecord.Invoke) {
        do {
            let (r, signature, declared) = try receiverRecord(text, doc: doc, parameters: parameters, returns: returns,
                                                              kind: .method, invoke: invoke)
            // A redeclared name (chained operators) keeps only its last declaration.
            for i in module.declarations.indices where i != declared && module.declarations[i].owner == name
                && module.declarations[i].name == signature.name {
                module.declarations[i].superseded = true
            }
            record.attributes.append((signature.name, .method(r, doc: doc, textSignature: signature.textSignature, declaration: declared)))
        } catch { module.record(error) }
    }

    @usableFromInline
    func addStatic(_ text: String, doc: String?, parameters: [ParameterInfo], returns: ResultHint, classMethod: Bool,
                   invoke: @escaping FunctionRecord.Invoke) {
        do {
            var text = text
            if classMethod, let open = text.firstIndex(of: "(") {
                let rest = text[text.index(after: open)...].trimmingSpaces()
                let hasSlash = text.contains("/")
                text = String(text[..<open]) + (rest == ")" ? "(cls, /)" : hasSlash ? "(cls, \(rest)" : "(cls, /, \(rest)")
            }
            let function = try module.makeFunction(text, doc: doc, parameters: parameters, returns: returns,
                                                   kind: classMethod ? .classmethod : .staticmethod, owner: name,
                                                   invoke: invoke)
            let wrapped = wrapInMethodKind(function.object.unsafePointer, classMethod: classMethod)
            record.attributes.append((function.name, .value(PythonObject(owning: try checkedNew(wrapped)))))
        } catch { module.record(error) }
    }

    // MARK: Properties and attributes

    /// A read-write property.  The setter converts the new value with
    /// `FromPython` (a wrong type raises TypeError naming the property).
    @inlinable
    public func property<V: PythonConvertible>(_ name: String, doc: String? = nil,
                                               get: @escaping (T) throws -> V,
                                               set: @escaping (inout T, V) throws -> Void) {
        let cls = record
        let qualified = "\(cls.name).\(name)"
        addProperty(name, doc: doc, type: .of(V.self), get: { object in
            do { return try get(try cls.receiver(T.self, of: object).pointee).toPython().take() }
            catch { return raiseInPython(error) }
        }, set: { object, value in
            do {
                let p = try cls.receiver(T.self, of: object)
                let v: V
                do { v = try V.fromPython(BorrowedObject(value)) }
                catch let e as ConversionError { throw e.exception(subject: "property '\(qualified)'") }
                try set(&p.pointee, v)
                return 0
            } catch { return raiseInPythonStatus(error) }
        })
    }

    /// A read-only property; setting it raises AttributeError.
    @inlinable
    public func readonly<V: ToPython>(_ name: String, doc: String? = nil, _ get: @escaping (T) throws -> V) {
        let cls = record
        addProperty(name, doc: doc, type: .of(V.self), get: { object in
            do { return try get(try cls.receiver(T.self, of: object).pointee).toPython().take() }
            catch { return raiseInPython(error) }
        }, set: nil)
    }

    @usableFromInline
    func addProperty(_ name: String, doc: String?, type: ResultHint = .any,
                     get: @escaping (PyObjectPointer) -> PyObjectPointer?,
                     set: ((PyObjectPointer, PyObjectPointer) -> Int32)?) {
        record.properties.append(PropertyRecord(name: name, doc: doc, get: get, set: set))
        _ = module.declare(Declaration(kind: .property, owner: self.name, name: name, returns: type, doc: doc,
                                       settable: set != nil))
    }

    /// A class attribute (`Counter.LIMIT`).
    public func classAttribute<V: ToPython>(_ name: String, _ value: V) {
        do {
            record.attributes.append((name, .value(try value.pythonObject())))
            _ = module.declare(Declaration(kind: .attribute, owner: self.name, name: name, returns: .of(V.self)))
        } catch { module.record(error) }
    }
}
