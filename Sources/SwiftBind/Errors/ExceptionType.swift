/// A Python exception class: a standard one (`.valueError`) or one made by
/// a module (`m.exception("HelloError", base: .valueError)`).
///
/// Standard classes are named, not held, so an `ExceptionType` can be made
/// and thrown anywhere, even inside ``withoutGIL(_:)``; the class object is
/// looked up only when the exception is raised, with the GIL held.
public struct ExceptionType: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): the `.object` case holds a module-made
    // class that lives as long as its module; the runtime touches its Python
    // reference count only with the GIL held (PythonObject defers releases
    // that happen without it).
    @usableFromInline
    enum Storage {
        case standard(Standard)
        case object(PythonObject)
    }

    @usableFromInline
    enum Standard: Sendable {
        case exception, typeError, valueError, keyError, indexError, overflowError,
             runtimeError, attributeError, zeroDivisionError, notImplementedError,
             memoryError, unicodeError, lookupError, arithmeticError, osError,
             stopIteration, timeoutError, bufferError, systemError,
             keyboardInterrupt, importError, moduleNotFoundError
    }

    @usableFromInline let storage: Storage

    @inlinable init(_ standard: Standard) { storage = .standard(standard) }

    /// Wraps a Python exception class.  Requires the GIL.
    public init(_ type: PythonObject) { storage = .object(type) }

    public static let exception = ExceptionType(.exception)
    public static let typeError = ExceptionType(.typeError)
    public static let valueError = ExceptionType(.valueError)
    public static let keyError = ExceptionType(.keyError)
    public static let indexError = ExceptionType(.indexError)
    public static let overflowError = ExceptionType(.overflowError)
    public static let runtimeError = ExceptionType(.runtimeError)
    public static let attributeError = ExceptionType(.attributeError)
    public static let zeroDivisionError = ExceptionType(.zeroDivisionError)
    public static let notImplementedError = ExceptionType(.notImplementedError)
    public static let memoryError = ExceptionType(.memoryError)
    public static let unicodeError = ExceptionType(.unicodeError)
    public static let lookupError = ExceptionType(.lookupError)
    public static let arithmeticError = ExceptionType(.arithmeticError)
    public static let osError = ExceptionType(.osError)
    public static let stopIteration = ExceptionType(.stopIteration)
    public static let timeoutError = ExceptionType(.timeoutError)
    public static let bufferError = ExceptionType(.bufferError)
    public static let systemError = ExceptionType(.systemError)
    public static let keyboardInterrupt = ExceptionType(.keyboardInterrupt)
    public static let importError = ExceptionType(.importError)
    public static let moduleNotFoundError = ExceptionType(.moduleNotFoundError)

    /// The class object, borrowed.  Requires the GIL.
    @usableFromInline
    var unsafePointer: PyObjectPointer {
        switch storage {
        case .object(let o): return o.unsafePointer
        case .standard(let s):
            switch s {
            case .exception: return sb_exc_Exception()
            case .typeError: return sb_exc_TypeError()
            case .valueError: return sb_exc_ValueError()
            case .keyError: return sb_exc_KeyError()
            case .indexError: return sb_exc_IndexError()
            case .overflowError: return sb_exc_OverflowError()
            case .runtimeError: return sb_exc_RuntimeError()
            case .attributeError: return sb_exc_AttributeError()
            case .zeroDivisionError: return sb_exc_ZeroDivisionError()
            case .notImplementedError: return sb_exc_NotImplementedError()
            case .memoryError: return sb_exc_MemoryError()
            case .unicodeError: return sb_exc_UnicodeError()
            case .lookupError: return sb_exc_LookupError()
            case .arithmeticError: return sb_exc_ArithmeticError()
            case .osError: return sb_exc_OSError()
            case .stopIteration: return sb_exc_StopIteration()
            case .timeoutError: return sb_exc_TimeoutError()
            case .bufferError: return sb_exc_BufferError()
            case .systemError: return sb_exc_SystemError()
            case .keyboardInterrupt: return sb_exc_KeyboardInterrupt()
            case .importError: return sb_exc_ImportError()
            case .moduleNotFoundError: return sb_exc_ModuleNotFoundError()
            }
        }
    }

    /// The Python class as an object.  Requires the GIL.
    public var object: PythonObject { PythonObject(borrowing: unsafePointer) }
}
