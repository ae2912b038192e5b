/// An owned reference to a Python object.
///
/// A `PythonObject` holds one strong Python reference and releases it when
/// the last Swift reference goes away.  It is not `Sendable`: it may only be
/// used where the GIL is held (debug builds assert this).  If it dies on a
/// thread without the GIL, the release is deferred to the next time the
/// runtime holds the GIL instead of crashing.
///
/// ```swift
/// let math = try Python.import("math")
/// let root = try math.sqrt(2.0)        // dynamic member lookup + call
/// let value = try Double(root)         // checked conversion
/// let text = try json.dumps(data, indent: 2)   // keyword arguments
/// ```
///
/// The PythonKit-style API (operators, comparisons, literals, iteration,
/// subscripts, `with` blocks) is in the `PythonObject+*.swift` files next
/// to this one; docs/embedding.md lists it against PythonKit's.
@dynamicMemberLookup @dynamicCallable
public final class PythonObject {
    /// The raw pointer; the object owns one reference to it.
    public let unsafePointer: PyObjectPointer

    /// Takes ownership of a new (strong) reference.  The caller gives up its
    /// reference.
    @inlinable
    public init(owning pointer: PyObjectPointer) {
        GIL.assertHeld("PythonObject(owning:)")
        self.unsafePointer = pointer
    }

    /// Adds a reference to a borrowed pointer.
    @inlinable
    public init(borrowing pointer: PyObjectPointer) {
        GIL.assertHeld("PythonObject(borrowing:)")
        sb_incref(pointer)
        self.unsafePointer = pointer
    }

    @inlinable
    deinit {
        if sb_thread_has_gil() != 0 {
            sb_decref(unsafePointer)
        } else {
            PendingReleases.park(unsafePointer)
        }
    }

    /// A new reference for C APIs that steal one.
    @inlinable
    public func newReference() -> NewReference {
        NewReference(owning: sb_newref(unsafePointer))
    }

    /// A borrowed view, valid while this object is alive.
    @inlinable
    public var borrowed: BorrowedObject { BorrowedObject(unsafePointer) }

    /// Python's `None`.
    public static var none: PythonObject { PythonObject(borrowing: sb_None()) }
}

extension PythonObject {
    /// The Python type name (`"int"`, `"numpy.ndarray"`).
    public var pythonTypeName: String { unsafePointer.typeName }

    /// True when this is Python's `None`.
    public var isNone: Bool { unsafePointer == sb_None() }

    /// Identity comparison (`a is b`).
    public static func === (lhs: PythonObject, rhs: PythonObject) -> Bool {
        lhs.unsafePointer == rhs.unsafePointer
    }
}
