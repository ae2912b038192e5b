/// Adds functions, exceptions and constants to a module while it is being
/// created.  You get one as `m` in ``PythonModule/define(_:doc:_:)``.
///
/// A mistake in a declaration (a signature that does not match the Swift
/// closure, a default of the wrong type) does not trap: the import raises a
/// TypeError that says what to fix.
public final class ModuleBuilder {
    /// The module object being filled.
    public let module: PythonObject
    /// Its full import name.
    public let name: String

    let holderType: PythonObject
    /// The `Job` type of this module, made by the first job or async function.
    var jobType: PythonObject? = nil
    private var failure: (any Error)? = nil
    private var literalEval: PythonObject? = nil
    /// The declarations' Python types (ModuleBuilder+Types.swift).
    var declarations: [Declaration] = []

    init(module: PythonObject, name: String) throws {
        self.module = module
        self.name = name
        self.holderType = try HolderType.make()
    }

    /// Throws the first declaration error, if any.
    func finish() throws {
        if let failure { throw failure }
        try publishTypes()
        #if !SWIFTBIND_NO_BUFFER_API
        try BufferExporterType.addRestoreFunction(to: module, name: name)   // unpickling swiftbind.NDArray
        #endif
    }

    /// Records the first failure; later declarations still run so the
    /// message reports the first mistake.
    func record(_ error: any Error) {
        if failure == nil { failure = error }
    }

    /// Adds a module attribute (`hello.VERSION = "1.0"`).
    public func add<V: ToPython>(_ attribute: String, _ value: V) {
        do {
            try module.setAttribute(attribute, value)
            _ = declare(Declaration(kind: .constant, name: attribute, returns: .of(V.self)))
        } catch { record(error) }
    }

    /// Makes an exception class `<module>.<name>` deriving from `base`, adds
    /// it to the module and returns it for `throw PythonException(type, "…")`.
    ///
    /// The corresponding C function is `PyErr_NewExceptionWithDoc`.
    @discardableResult
    public func exception(_ className: String, base: ExceptionType = .exception, doc: String? = nil) -> ExceptionType {
        do {
            let type = PythonObject(owning: try checkedNew(
                PyErr_NewExceptionWithDoc("\(name).\(className)", doc, base.unsafePointer, nil)))
            try module.setAttribute(className, type)
            return ExceptionType(type)
        } catch {
            record(error)
            return base
        }
    }

    /// Evaluates a default's Python literal (`ast.literal_eval`).
    func evaluateLiteral(_ text: String) throws -> PythonObject {
        if literalEval == nil { literalEval = try Python.import("ast").attribute("literal_eval") }
        do { return try literalEval!.call([text]) }
        catch { throw PythonException(.typeError, "default '\(text)' is not a Python literal") }
    }
}
