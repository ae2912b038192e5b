/// The validity bitmap of an Arrow array: which elements are not null.
///
/// Bit `offset + i` of the bitmap (least significant bit first) is 1 when
/// element `i` is valid.  An array without a bitmap has no nulls.
public struct ArrowValidity: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): points into an import's immutable
    // buffers, kept alive by the view that made this value.
    @usableFromInline let bits: UnsafePointer<UInt8>?
    @usableFromInline let offset: Int
    /// Number of elements.
    public let count: Int

    init(_ node: ArrowArrayNode) {
        bits = node.values(0, as: UInt8.self)
        offset = node.offset
        count = node.count
    }

    /// True when the array has a bitmap (it may still have no nulls).
    public var hasBitmap: Bool { bits != nil }

    /// True when element `i` is not null.  `i` must be in `0..<count`.
    @inlinable
    public func isValid(_ i: Int) -> Bool {
        guard let bits else { return true }
        let bit = offset &+ i
        return bits[bit >> 3] & (1 << UInt8(bit & 7)) != 0
    }
}

/// A bit-packed boolean buffer read with an element offset (Arrow's bool
/// values and validity bitmaps share the layout).
@inlinable
func arrowBit(_ bits: UnsafePointer<UInt8>, _ index: Int) -> Bool {
    bits[index >> 3] & (1 << UInt8(index & 7)) != 0
}
