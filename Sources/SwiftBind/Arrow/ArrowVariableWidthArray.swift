/// The offset type of a variable-width Arrow array: `Int32` for `string` /
/// `binary`, `Int64` for `large_string` / `large_binary`.
public protocol ArrowOffset: FixedWidthInteger & SignedInteger & Sendable {
    static var stringType: ArrowDataType { get }
    static var binaryType: ArrowDataType { get }
}
extension Int32: ArrowOffset {
    public static var stringType: ArrowDataType { .utf8 }
    public static var binaryType: ArrowDataType { .binary }
}
extension Int64: ArrowOffset {
    public static var stringType: ArrowDataType { .largeUTF8 }
    public static var binaryType: ArrowDataType { .largeBinary }
}

/// The offsets and bytes of a variable-width array (shared by the string
/// and binary views).  Offsets were checked monotonic and non-negative at
/// import (``ArrowArrayNode``), so every element's byte range is in bounds
/// of what the producer declared.
public struct ArrowVariableWidthStorage<Offset: ArrowOffset>: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): pointers into an import's immutable
    // buffers, kept alive by the view that holds this value.
    @usableFromInline let offsets: UnsafePointer<Offset>?
    @usableFromInline let data: UnsafePointer<UInt8>?
    @usableFromInline let count: Int

    init(_ node: ArrowArrayNode) {
        offsets = node.values(1, as: Offset.self).map { $0 + node.offset }
        data = node.values(2, as: UInt8.self)
        count = node.count
    }

    /// The byte length of element `i` (0 for a null).
    @inlinable
    public func byteCount(at i: Int) -> Int {
        precondition(i >= 0 && i < count, "Arrow array index out of range")
        let o = offsets.unsafelyUnwrapped
        return Int(o[i &+ 1] &- o[i])
    }

    /// The bytes of element `i`, in place.
    @inlinable
    public func bytes(at i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < count, "Arrow array index out of range")
        let o = offsets.unsafelyUnwrapped
        let start = Int(o[i])
        let n = Int(o[i &+ 1] &- o[i])
        return n == 0 ? UnsafeBufferPointer(start: nil, count: 0) : UnsafeBufferPointer(start: data.unsafelyUnwrapped + start, count: n)
    }

    /// All offsets (`count + 1` of them), in place.
    @inlinable
    public var allOffsets: UnsafeBufferPointer<Offset> {
        UnsafeBufferPointer(start: offsets, count: offsets == nil ? 0 : count + 1)
    }
}

/// A zero-copy view of an Arrow `string` (`Offset = Int32`) or
/// `large_string` (`Offset = Int64`) array.
///
/// ``storage`` gives each element's bytes without copying; ``subscript(_:)``
/// makes a Swift `String` (a copy, with invalid UTF-8 repaired).
public struct ArrowStringArray<Offset: ArrowOffset>: ArrowColumnView {
    public let node: ArrowArrayNode
    /// Offsets and bytes, in place.
    public let storage: ArrowVariableWidthStorage<Offset>

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        self.storage = ArrowVariableWidthStorage(node)
    }

    public static var arrowTypeName: String { Offset.stringType.description }
    public static func accepts(_ type: ArrowDataType) -> Bool { type == Offset.stringType }

    /// Element `i` as a Swift string (copied), nil when null.
    public subscript(i: Int) -> String? {
        validity.isValid(i) ? String(decoding: storage.bytes(at: i), as: UTF8.self) : nil
    }
}

/// A zero-copy view of an Arrow `binary` (`Int32`) or `large_binary` (`Int64`) array.
public struct ArrowBinaryArray<Offset: ArrowOffset>: ArrowColumnView {
    public let node: ArrowArrayNode
    /// Offsets and bytes, in place.
    public let storage: ArrowVariableWidthStorage<Offset>

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        self.storage = ArrowVariableWidthStorage(node)
    }

    public static var arrowTypeName: String { Offset.binaryType.description }
    public static func accepts(_ type: ArrowDataType) -> Bool { type == Offset.binaryType }

    /// Element `i` as bytes (copied), nil when null.
    public subscript(i: Int) -> [UInt8]? { validity.isValid(i) ? Array(storage.bytes(at: i)) : nil }
}

/// `string` (32-bit offsets).
public typealias ArrowUTF8Array = ArrowStringArray<Int32>
/// `large_string` (64-bit offsets).
public typealias ArrowLargeUTF8Array = ArrowStringArray<Int64>
