/// A zero-copy view of an Arrow `bool` array (values bit-packed, least
/// significant bit first, like the validity bitmap).
public struct ArrowBooleanArray: ArrowColumnView, @unchecked Sendable {
    public let node: ArrowArrayNode
    @usableFromInline let bits: UnsafePointer<UInt8>?
    @usableFromInline let offset: Int

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        self.bits = node.values(1, as: UInt8.self)
        self.offset = node.offset
    }

    public static var arrowTypeName: String { "bool" }
    public static func accepts(_ type: ArrowDataType) -> Bool { type == .bool }

    /// The value bit of element `i`, ignoring validity.
    @inlinable
    public func value(at i: Int) -> Bool {
        precondition(i >= 0 && i < node.count, "ArrowBooleanArray index out of range")
        return arrowBit(bits.unsafelyUnwrapped, offset &+ i)
    }

    /// Element `i`, nil when null.
    @inlinable
    public subscript(i: Int) -> Bool? { validity.isValid(i) ? value(at: i) : nil }

    /// The number of valid elements that are true.
    public var trueCount: Int {
        let validity = self.validity
        var n = 0
        for i in 0..<count where validity.isValid(i) && value(at: i) { n += 1 }
        return n
    }
}
