/// A new (strong) reference that must be handed on exactly once.
///
/// Conversions to Python return a `NewReference`.  It is `~Copyable`, so the
/// compiler checks that the reference is either given to a C function that
/// steals it (``take()``), wrapped in a ``PythonObject`` (``object()``), or
/// released when it goes out of scope.
@frozen
public struct NewReference: ~Copyable {
    @usableFromInline let pointer: PyObjectPointer

    /// Takes ownership of a new reference.
    @inlinable @inline(__always)
    public init(owning pointer: PyObjectPointer) { self.pointer = pointer }

    /// Gives the reference to the caller, who now owns it.
    @inlinable @inline(__always)
    public consuming func take() -> PyObjectPointer {
        let p = pointer
        discard self
        return p
    }

    /// Wraps the reference in a ``PythonObject``.
    @inlinable
    public consuming func object() -> PythonObject { PythonObject(owning: take()) }

    @inlinable
    deinit { sb_decref(pointer) }
}
