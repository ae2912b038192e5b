/// A Swift type that can be the element of a typed buffer view or of an
/// exported Swift array: the fixed-size numbers NumPy calls dtypes.
///
/// | Swift | NumPy | PEP 3118 format accepted (native byte order) |
/// |---|---|---|
/// | `Float` / `Double` / `Float16` | float32 / float64 / float16 | `f` / `d` / `e` |
/// | `Int8` … `Int64`, `Int` | int8 … int64 | `b h i l q n`, matched by size |
/// | `UInt8` … `UInt64`, `UInt` | uint8 … uint64 | `B H I L Q N`, matched by size (`UInt8` is the raw-byte type: `c` and `b` too) |
/// | `Bool` | bool | `?` |
///
/// Matching is by kind and size, not by letter: on Linux x86-64 an int64
/// array may say `l` or `q` and both are `Int64`; an explicit `<`, `=` or
/// `@` prefix is accepted on little-endian machines, `>`/`!` (big-endian) is
/// refused unless the element is one byte.
public protocol BufferElement: BitwiseCopyable, Sendable {
    /// The element's kind and size, as a buffer format describes it.
    static var bufferKind: BufferFormat.Kind { get }
    /// The format string this type exports (`"f"`, `"<q"` is never used:
    /// native letters only).
    static var exportFormat: StaticString { get }
}

extension BufferElement {
    /// NumPy's name for the element type (`"float32"`), for messages.
    public static var dtypeName: String {
        BufferFormat(kind: bufferKind, itemSize: MemoryLayout<Self>.size).dtypeName
    }
}

extension Float: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .float }
    public static var exportFormat: StaticString { "f" }
}
extension Double: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .float }
    public static var exportFormat: StaticString { "d" }
}
#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .float }
    public static var exportFormat: StaticString { "e" }
}
#endif
extension Int8: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .signed }
    public static var exportFormat: StaticString { "b" }
}
extension Int16: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .signed }
    public static var exportFormat: StaticString { "h" }
}
extension Int32: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .signed }
    public static var exportFormat: StaticString { "i" }
}
extension Int64: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .signed }
    public static var exportFormat: StaticString { "q" }
}
extension Int: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .signed }
    public static var exportFormat: StaticString { "n" }
}
extension UInt8: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .unsigned }
    public static var exportFormat: StaticString { "B" }
}
extension UInt16: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .unsigned }
    public static var exportFormat: StaticString { "H" }
}
extension UInt32: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .unsigned }
    public static var exportFormat: StaticString { "I" }
}
extension UInt64: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .unsigned }
    public static var exportFormat: StaticString { "Q" }
}
extension UInt: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .unsigned }
    public static var exportFormat: StaticString { "N" }
}
extension Bool: BufferElement {
    public static var bufferKind: BufferFormat.Kind { .bool }
    public static var exportFormat: StaticString { "?" }
}
