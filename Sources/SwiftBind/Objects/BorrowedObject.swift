/// A borrowed reference to a Python object: valid only while its owner keeps
/// the object alive and the GIL is held.
///
/// Conversions receive arguments as `BorrowedObject`s, so reading an `Int`
/// argument costs no reference-count change and no allocation.  Call
/// ``owned()`` to keep the object beyond the current call.
public struct BorrowedObject {
    /// The raw pointer; not owned.
    public let unsafePointer: PyObjectPointer

    @inlinable @inline(__always)
    public init(_ pointer: PyObjectPointer) { self.unsafePointer = pointer }

    /// A new owned reference to the same object.
    @inlinable
    public func owned() -> PythonObject { PythonObject(borrowing: unsafePointer) }

    /// The Python type name, for messages.
    @inlinable
    public var pythonTypeName: String { unsafePointer.typeName }

    /// True when this is Python's `None`.
    @inlinable
    public var isNone: Bool { unsafePointer == sb_None() }
}

@available(*, unavailable, message: "Python objects need the GIL; they cannot cross threads")
extension BorrowedObject: Sendable {}

@available(*, unavailable, message: "Python objects need the GIL; they cannot cross threads")
extension PythonObject: Sendable {}
