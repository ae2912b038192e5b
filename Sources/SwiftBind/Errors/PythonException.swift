/// A Python exception as a Swift error.
///
/// Two kinds travel in this one type:
/// - one to raise, made in Swift: `throw PythonException(.valueError, "bad size")`
///   or with a module's own class, `throw PythonException(helloError, "…")`;
/// - one caught from Python (a callback raised, or a C API call failed),
///   which keeps the original exception object with its traceback and is
///   re-raised unchanged when it leaves Swift.
///
/// When a function declared with `def` throws, the trampoline raises the
/// exception in Python.  Other Swift errors become `RuntimeError` unless they
/// conform to ``PythonExceptionConvertible``.
public struct PythonException: Error, @unchecked Sendable, CustomStringConvertible {
    // SAFETY (@unchecked Sendable): the `.caught` case owns Python objects.
    // It is created with the GIL held; it is only read (restored) with the
    // GIL held; and PythonObject defers a release that happens without it.
    @usableFromInline
    enum Storage {
        case raise(ExceptionType, String)
        case caught(type: PythonObject, value: PythonObject?, traceback: PythonObject?)
    }

    @usableFromInline let storage: Storage

    /// An exception to raise: `type(message)`.
    public init(_ type: ExceptionType, _ message: String) {
        storage = .raise(type, message)
    }

    @usableFromInline init(storage: Storage) { self.storage = storage }

    /// Takes the exception that is pending in the interpreter.  Requires the
    /// GIL.  If none is pending (a C API broke its contract), a SystemError
    /// says so.
    ///
    /// The corresponding C function is `PyErr_Fetch`.
    @usableFromInline
    static func fetch() -> PythonException {
        var type: PyObjectPointer?, value: PyObjectPointer?, traceback: PyObjectPointer?
        PyErr_Fetch(&type, &value, &traceback)
        guard type != nil else {
            return PythonException(.systemError, "swiftbind: a C API call failed without setting an exception")
        }
        PyErr_NormalizeException(&type, &value, &traceback)
        return PythonException(storage: .caught(
            type: PythonObject(owning: type.unsafelyUnwrapped),
            value: value.map { PythonObject(owning: $0) },
            traceback: traceback.map { PythonObject(owning: $0) }))
    }

    /// Raises this exception in the interpreter (sets the error indicator).
    /// Requires the GIL.
    ///
    /// The corresponding C functions are `PyErr_Restore` and `PyErr_SetString`.
    @usableFromInline
    func restore() {
        switch storage {
        case .raise(let type, let message):
            PyErr_SetString(type.unsafePointer, message)
        case .caught(let type, let value, let traceback):
            PyErr_Restore(sb_newref(type.unsafePointer),
                          value.map { sb_newref($0.unsafePointer) },
                          traceback.map { sb_newref($0.unsafePointer) })
        }
    }

    /// The exception object (instance), making it if needed.  Requires the GIL.
    public var value: PythonObject {
        restore()
        return PythonException.fetchValue()
    }

    private static func fetchValue() -> PythonObject {
        var type: PyObjectPointer?, value: PyObjectPointer?, traceback: PyObjectPointer?
        PyErr_Fetch(&type, &value, &traceback)
        PyErr_NormalizeException(&type, &value, &traceback)
        if let traceback, let value { PyException_SetTraceback(value, traceback) }
        sb_xdecref(type); sb_xdecref(traceback)
        return PythonObject(owning: value ?? sb_newref(sb_None()))
    }

    /// True when this exception is an instance of `type` (or a subclass).
    /// Requires the GIL.
    public func matches(_ type: ExceptionType) -> Bool {
        switch storage {
        case .raise(let t, _):
            return PyObject_IsSubclass(t.unsafePointer, type.unsafePointer) == 1
        case .caught(let t, _, _):
            return PyErr_GivenExceptionMatches(t.unsafePointer, type.unsafePointer) != 0
        }
    }

    public var description: String {
        switch storage {
        case .raise(let type, let message):
            // The class's own name ("TypeError"); without the GIL the class
            // object cannot be read, so the case name stands in.
            guard GIL.isHeld else {
                if case .standard(let s) = type.storage { return "\(s): \(message)" }
                return "PythonException: \(message)"
            }
            return "\(pythonTypeName(sb_object_as_type(type.unsafePointer))): \(message)"
        case .caught(let type, let value, _):
            guard GIL.isHeld else { return "PythonException (caught from Python)" }
            let name = pythonTypeName(sb_object_as_type(type.unsafePointer))
            guard let value, let text = PyObject_Str(value.unsafePointer) else { return name }
            defer { sb_decref(text) }
            if let utf8 = PyUnicode_AsUTF8AndSize(text, nil) { return "\(name): \(String(cString: utf8))" }
            PyErr_Clear()
            return name
        }
    }
}

/// A Swift error type that knows which Python exception it becomes.
///
/// ```swift
/// enum ParseError: Error, PythonExceptionConvertible {
///     case empty
///     var pythonException: PythonException { .init(.valueError, "empty input") }
/// }
/// ```
public protocol PythonExceptionConvertible: Error {
    var pythonException: PythonException { get }
}

extension PythonException {
    public static func typeError(_ message: String) -> PythonException { .init(.typeError, message) }
    public static func valueError(_ message: String) -> PythonException { .init(.valueError, message) }
    public static func keyError(_ message: String) -> PythonException { .init(.keyError, message) }
    public static func indexError(_ message: String) -> PythonException { .init(.indexError, message) }
    public static func overflowError(_ message: String) -> PythonException { .init(.overflowError, message) }
    public static func runtimeError(_ message: String) -> PythonException { .init(.runtimeError, message) }
}
