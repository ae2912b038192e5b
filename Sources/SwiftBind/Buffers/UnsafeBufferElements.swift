/// `Sendable` handles to a buffer's elements, for work without the GIL.
///
/// A view (``PythonBuffer``, ``MutablePythonBuffer``) is not `Sendable`: it
/// owns the acquired buffer, which must be released with the GIL held.  Its
/// `unsafeElements` is just the address and count, which may cross into a
/// ``withoutGIL(_:)`` block or to threads that finish before the view dies:
///
/// ```swift
/// let pixels = image.unsafeElements
/// withoutGIL {
///     pixels.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = 255 - p[i] } }
/// }
/// ```
///
/// SAFETY (@unchecked Sendable): the memory is owned by the exporter, which
/// the view keeps alive; the handle is valid only while that view is.  It is
/// "unsafe" because nothing stops you from keeping it longer.
@frozen
public struct UnsafeBufferElements<Element: BufferElement>: @unchecked Sendable {
    @usableFromInline let start: UnsafePointer<Element>?
    public let count: Int

    @inlinable
    init(start: UnsafePointer<Element>?, count: Int) {
        self.start = start
        self.count = count
    }

    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: start, count: count))
    }
}

/// The writable counterpart of ``UnsafeBufferElements``.
@frozen
public struct UnsafeMutableBufferElements<Element: BufferElement>: @unchecked Sendable {
    @usableFromInline let start: UnsafeMutablePointer<Element>?
    public let count: Int

    @inlinable
    init(start: UnsafeMutablePointer<Element>?, count: Int) {
        self.start = start
        self.count = count
    }

    @inlinable
    public func withUnsafeMutableBufferPointer<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableBufferPointer(start: start, count: count))
    }

    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: start, count: count))
    }
}
