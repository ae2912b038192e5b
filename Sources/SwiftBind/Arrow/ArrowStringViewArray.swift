/// A zero-copy view of an Arrow `string_view` array (what polars exports
/// for its strings): each element is a 16-byte view holding up to 12
/// bytes inline, or a prefix and a position in one of the data buffers.
/// Every view was checked to lie within its buffer at import.
public struct ArrowStringViewArray: ArrowColumnView, @unchecked Sendable {
    // SAFETY (@unchecked Sendable): pointers into buffers `node` keeps
    // alive, which no one writes.
    public let node: ArrowArrayNode
    @usableFromInline let views: UnsafePointer<ArrowBinaryView>?
    @usableFromInline let data: [UnsafePointer<UInt8>?]

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        self.views = node.values(1, as: ArrowBinaryView.self).map { $0 + node.offset }
        self.data = (0..<node.variadicBufferCount).map { node.values(2 + $0, as: UInt8.self) }
    }

    public static var arrowTypeName: String { "string_view" }
    public static func accepts(_ type: ArrowDataType) -> Bool { type == .utf8View }

    /// The byte length of element `i` (0 or unspecified for a null).
    @inlinable
    public func byteCount(at i: Int) -> Int {
        precondition(i >= 0 && i < node.count, "ArrowStringViewArray index out of range")
        return Int(views.unsafelyUnwrapped[i].length)
    }

    /// The bytes of element `i`, in place (for a null: empty).
    public func withBytes<R>(at i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(i >= 0 && i < node.count, "ArrowStringViewArray index out of range")
        guard validity.isValid(i) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let view = views.unsafelyUnwrapped + i
        let n = Int(view.pointee.length)
        if n <= 12 {
            // Inline: the 12 bytes after the length.
            return try body(UnsafeBufferPointer(start: (UnsafeRawPointer(view) + 4).assumingMemoryBound(to: UInt8.self), count: n))
        }
        return try body(UnsafeBufferPointer(start: data[Int(view.pointee.bufferIndex)].unsafelyUnwrapped + Int(view.pointee.offset), count: n))
    }

    /// Element `i` as a Swift string (copied), nil when null.
    public subscript(i: Int) -> String? {
        validity.isValid(i) ? withBytes(at: i) { String(decoding: $0, as: UTF8.self) } : nil
    }
}

/// A zero-copy view of any Arrow UTF-8 column: `string`, `large_string` or
/// `string_view`, for code that takes pyarrow and polars data alike.
public struct ArrowAnyStringArray: ArrowColumnView {
    public enum Layout: Sendable {
        case utf8(ArrowUTF8Array), largeUTF8(ArrowLargeUTF8Array), view(ArrowStringViewArray)
    }
    public let node: ArrowArrayNode
    /// The layout the producer used.
    public let layout: Layout

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        switch node.type {
        case .largeUTF8: layout = .largeUTF8(ArrowLargeUTF8Array(unsafeValidated: node))
        case .utf8View: layout = .view(ArrowStringViewArray(unsafeValidated: node))
        default: layout = .utf8(ArrowUTF8Array(unsafeValidated: node))
        }
    }

    public static var arrowTypeName: String { "string, large_string or string_view" }
    public static func accepts(_ type: ArrowDataType) -> Bool { [.utf8, .largeUTF8, .utf8View].contains(type) }

    /// The byte length of element `i`.
    @inlinable
    public func byteCount(at i: Int) -> Int {
        switch layout {
        case .utf8(let a): a.storage.byteCount(at: i)
        case .largeUTF8(let a): a.storage.byteCount(at: i)
        case .view(let a): a.byteCount(at: i)
        }
    }

    /// Element `i` as a Swift string (copied), nil when null.
    public subscript(i: Int) -> String? {
        switch layout {
        case .utf8(let a): a[i]
        case .largeUTF8(let a): a[i]
        case .view(let a): a[i]
        }
    }
}
