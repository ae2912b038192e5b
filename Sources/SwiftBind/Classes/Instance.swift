/// The memory layout of an instance of a Swift-defined Python type: the
/// C struct `sb_instance_head` (declared in the shim, so every offset comes
/// from the compiler), then the Swift value inline.
///
/// ```
/// PyObject header      refcount, type (larger in debug and free-threaded builds)
/// record               ClassRecord?, unretained; nil until an initializer has run
/// weaklist             PyObject*, the weak reference list (__weaklistoffset__)
/// flags                UInt: registered in the identity map
/// T                    the Swift value, inline (a struct's fields, or the
///                      strong reference of a class instance), aligned up
///                      to T's alignment
/// ```
///
/// A Python subclass appends its `__dict__` after this.  The record pointer
/// doubles as the "initialized" mark: a Python subclass whose `__init__`
/// never called the base `__init__` leaves it nil, and every access then
/// raises instead of reading uninitialized memory.
@usableFromInline
enum Instance {
    // @inlinable, so the user's module folds these constants (offsetof and
    // sizeof in the shim) instead of calling a getter on every access.
    @inlinable static var recordOffset: Int { @inline(__always) get { sb_instance_record_offset() } }
    @inlinable static var weaklistOffset: Int { @inline(__always) get { sb_instance_weaklist_offset() } }
    @inlinable static var flagsOffset: Int { @inline(__always) get { sb_instance_flags_offset() } }
    @inlinable static var headerSize: Int { @inline(__always) get { sb_instance_head_size() } }

    @usableFromInline static let registeredFlag: UInt = 1

    /// Byte offset of the payload for values of type `T`.
    @inlinable @inline(__always)
    static func payloadOffset<T>(_ type: T.Type) -> Int {
        let align = max(MemoryLayout<T>.alignment, 8)
        return (headerSize + align - 1) & ~(align - 1)
    }

    /// `tp_basicsize` for a type holding `T`.
    static func basicSize<T>(_ type: T.Type) -> Int {
        (payloadOffset(T.self) + MemoryLayout<T>.size + 7) & ~7
    }

    @inlinable @inline(__always)
    static func raw(_ object: PyObjectPointer) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(object)
    }

    /// The record of the type whose initializer filled this instance, or
    /// nil when none has run.
    ///
    /// SAFETY: `object` must be an instance of a Swift-defined type (or a
    /// subclass); callers check the type first.
    @inlinable @inline(__always)
    static func record(_ object: PyObjectPointer) -> UnsafeRawPointer? {
        raw(object).load(fromByteOffset: recordOffset, as: UnsafeRawPointer?.self)
    }

    @inlinable @inline(__always)
    static func setRecord(_ object: PyObjectPointer, _ record: UnsafeRawPointer?) {
        raw(object).storeBytes(of: record, toByteOffset: recordOffset, as: UnsafeRawPointer?.self)
    }

    @inlinable @inline(__always)
    static func flags(_ object: PyObjectPointer) -> UInt {
        raw(object).load(fromByteOffset: flagsOffset, as: UInt.self)
    }

    @inlinable @inline(__always)
    static func setFlags(_ object: PyObjectPointer, _ flags: UInt) {
        raw(object).storeBytes(of: flags, toByteOffset: flagsOffset, as: UInt.self)
    }

    /// The Swift value inside `object`.
    ///
    /// SAFETY: valid while `object` is alive and only after `record(object)`
    /// is non-nil (the value is initialized).
    @inlinable @inline(__always)
    static func payload<T>(_ object: PyObjectPointer, _ type: T.Type) -> UnsafeMutablePointer<T> {
        (raw(object) + payloadOffset(T.self)).assumingMemoryBound(to: T.self)
    }

    /// For a class payload: the object's address, the identity-map key.
    @inlinable @inline(__always)
    static func referenceKey(_ object: PyObjectPointer) -> UInt {
        raw(object).load(fromByteOffset: payloadOffset(AnyObject.self), as: UInt.self)
    }

    /// True when `T` is a class: its payload is a strong reference and its
    /// instances have identity.
    @inlinable @inline(__always)
    static func isReference<T>(_ type: T.Type) -> Bool { T.self is AnyObject.Type }
}
