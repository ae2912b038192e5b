/// What `PyInit_<name>` returns: the module definition for CPython's
/// multi-phase initialisation.
public typealias PythonModuleInit = UnsafeMutablePointer<PyObject>?

/// Declares an extension module.
///
/// ```swift
/// @_cdecl("PyInit_hello")
/// public func PyInit_hello() -> PythonModuleInit {
///     PythonModule.define("hello", doc: "Greetings from Swift.") { m in
///         let greetings = Counter()              // module state: one per module object
///         m.def("add(a, b)", doc: "Add two integers.") { (a: Int, b: Int) in a + b }
///         m.def("greet(name, greeting='Hello')") { (name: String, greeting: String) in
///             greetings.count += 1
///             return "\(greeting), \(name)!"
///         }
///     }
/// }
/// ```
///
/// The body runs when the module object is created (at import, in CPython's
/// `Py_mod_exec` slot), once for every module object: values it creates and
/// captures in the functions are that module's state, so a re-import after
/// `del sys.modules[...]` starts fresh.  Classes are the exception: a Swift
/// type has one Python class per process, and a re-import reuses the class
/// the first module object made while that class is alive (see
/// ``ModuleBuilder/class(_:_:doc:_:)``).
///
/// Modules load in the main interpreter only: an import in a
/// subinterpreter raises ImportError (CPython 3.12+ refuses it through the
/// module's `Py_mod_multiple_interpreters` slot, the runtime itself before).
public enum PythonModule {
    /// Returns the module definition for `PyInit_<name>`; `name` is the full
    /// dotted import name (`"pkg._ext"`).
    public static func define(_ name: String, doc: String? = nil,
                              _ body: @escaping (ModuleBuilder) throws -> Void) -> PythonModuleInit {
        let record = ModuleDefinitionRecord.lookupOrMake(name: name, doc: doc, body: body)
        return PyModuleDef_Init(record.definition)
    }
}

/// A module definition, kept for the life of the process (CPython keeps
/// pointers to it in every module object made from it).
final class ModuleDefinitionRecord {
    let name: String
    let body: (ModuleBuilder) throws -> Void
    let definition: UnsafeMutablePointer<PyModuleDef>

    // SAFETY: read and written only with the GIL held (PyInit and exec run
    // under it).
    nonisolated(unsafe) static var all: [ModuleDefinitionRecord] = []

    static func lookupOrMake(name: String, doc: String?, body: @escaping (ModuleBuilder) throws -> Void) -> ModuleDefinitionRecord {
        if let existing = all.first(where: { $0.name == name }) { return existing }
        let made = ModuleDefinitionRecord(name: name, doc: doc, body: body)
        all.append(made)
        return made
    }

    private init(name: String, doc: String?, body: @escaping (ModuleBuilder) throws -> Void) {
        self.name = name
        self.body = body
        let slots = UnsafeMutablePointer<PyModuleDef_Slot>.allocate(capacity: 4)
        sb_fill_module_slots(slots, unsafeBitCast(moduleExec, to: UnsafeMutableRawPointer.self))
        definition = .allocate(capacity: 1)
        definition.initialize(to: PyModuleDef(
            m_base: sb_moduledef_head_init(),
            m_name: UnsafePointer(strdup(name)),
            m_doc: doc.map { UnsafePointer(strdup($0)) },
            m_size: 0,
            m_methods: nil,
            m_slots: slots,
            m_traverse: nil, m_clear: nil, m_free: nil))
    }
}

/// `Py_mod_exec`: runs the module's body on a new module object.
let moduleExec: @convention(c) (PyObjectPointer?) -> Int32 = { module in
    guard let module, let definition = PyModule_GetDef(module),
          let record = ModuleDefinitionRecord.all.first(where: { $0.definition == definition }) else {
        PyErr_SetString(sb_exc_SystemError(), "swiftbind: module definition not found")
        return -1
    }
    guard sb_in_main_interpreter() != 0 else {
        PyErr_SetString(sb_exc_ImportError(),
            "module \(record.name) does not support loading in subinterpreters: swiftbind modules run in the main interpreter only")
        return -1
    }
    TrapReport.installOnce()
    do {
        let builder = try ModuleBuilder(module: PythonObject(borrowing: module), name: record.name)
        try record.body(builder)
        try builder.finish()
        return 0
    } catch {
        return raiseInPythonStatus(error)
    }
}
