/// What a PEP 3118 format string says about one element: its kind, its
/// size and whether it is in this machine's byte order.
///
/// Only single-element formats are understood (`"f"`, `"<i"`, `"=q"`,
/// `"@B"`); structs, complex numbers (`"Zd"`), pointers and multi-item
/// formats parse as ``Kind/other`` and match no ``BufferElement``.
public struct BufferFormat: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case signed, unsigned, float, bool, other }

    public var kind: Kind
    public var itemSize: Int
    /// False for big-endian multi-byte data on a little-endian machine.
    public var isNativeByteOrder: Bool = true
    /// The format text as the exporter gave it.
    public var text: String = ""

    public init(kind: Kind, itemSize: Int) {
        self.kind = kind
        self.itemSize = itemSize
    }

    /// Parses `format` (nil means `"B"`, as PEP 3118 says); `itemSize` is the
    /// exporter's `itemsize`, which wins over the letter's nominal size.
    public init(parsing format: String?, itemSize: Int) {
        let text = format ?? "B"
        self.text = text
        self.itemSize = itemSize
        var chars = Substring(text)
        var standardSizes = false
        var bigEndian = false
        if let first = chars.first, "@=<>!".contains(first) {
            chars = chars.dropFirst()
            standardSizes = first != "@"
            bigEndian = first == ">" || first == "!"
        }
        if chars.first == "1" { chars = chars.dropFirst() }   // an explicit repeat count of one
        guard chars.count == 1, let letter = chars.first else {
            kind = .other
            return
        }
        let nominal: (Kind, Int)?
        switch letter {
        case "b": nominal = (.signed, 1)
        case "B", "c": nominal = (.unsigned, 1)
        case "?": nominal = (.bool, 1)
        case "h": nominal = (.signed, 2)
        case "H": nominal = (.unsigned, 2)
        case "i": nominal = (.signed, 4)
        case "I": nominal = (.unsigned, 4)
        case "l": nominal = (.signed, standardSizes ? 4 : MemoryLayout<CLong>.size)
        case "L": nominal = (.unsigned, standardSizes ? 4 : MemoryLayout<CLong>.size)
        case "q": nominal = (.signed, 8)
        case "Q": nominal = (.unsigned, 8)
        case "n": nominal = standardSizes ? nil : (.signed, MemoryLayout<Int>.size)
        case "N": nominal = standardSizes ? nil : (.unsigned, MemoryLayout<Int>.size)
        case "e": nominal = (.float, 2)
        case "f": nominal = (.float, 4)
        case "d": nominal = (.float, 8)
        default: nominal = nil
        }
        guard let (k, size) = nominal, size == itemSize else {
            kind = .other
            return
        }
        kind = k
        let littleEndianMachine = 1.littleEndian == 1
        isNativeByteOrder = size == 1 || (bigEndian ? !littleEndianMachine : true)
    }

    /// True when elements of this format can be read as `E`.
    ///
    /// `UInt8` is also the raw-byte type: it accepts signed bytes (`b`, as
    /// PyArrow buffers and `array('b')` export), like Python's own
    /// bytes-consuming functions do.
    public func matches<E: BufferElement>(_ type: E.Type) -> Bool {
        if E.self == UInt8.self && itemSize == 1 && (kind == .signed || kind == .unsigned) { return true }
        return kind != .other && kind == E.bufferKind && itemSize == MemoryLayout<E>.size && isNativeByteOrder
    }

    /// NumPy's name for the element type (`"float64"`), or a description.
    public var dtypeName: String {
        switch kind {
        case .signed: return "int\(itemSize * 8)"
        case .unsigned: return "uint\(itemSize * 8)"
        case .float: return "float\(itemSize * 8)"
        case .bool: return "bool"
        case .other: return "items of \(itemSize) byte(s)"
        }
    }

    public var description: String {
        var name = dtypeName
        if !isNativeByteOrder { name += " (big-endian)" }
        return "\(name) (format '\(text)')"
    }
}
