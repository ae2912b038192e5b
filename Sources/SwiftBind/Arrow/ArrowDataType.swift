// The logical types of the Arrow C data interface, parsed from a schema's
// format strings (https://arrow.apache.org/docs/format/CDataInterface.html#data-type-description-format-strings).

/// The unit of a timestamp.
public enum ArrowTimeUnit: String, Sendable, Equatable {
    case second = "s", millisecond = "ms", microsecond = "us", nanosecond = "ns"

    /// The unit letter of a format string (`s`, `m`, `u`, `n`).
    init?(formatLetter: Character) {
        switch formatLetter {
        case "s": self = .second
        case "m": self = .millisecond
        case "u": self = .microsecond
        case "n": self = .nanosecond
        default: return nil
        }
    }

    var formatLetter: String {
        switch self {
        case .second: "s"
        case .millisecond: "m"
        case .microsecond: "u"
        case .nanosecond: "n"
        }
    }
}

/// An Arrow data type, as read from (or written to) an `ArrowSchema`.
///
/// Names in messages (``description``) follow pyarrow's: `int64`, `double`,
/// `string`, `large_string`, `timestamp[us, tz=UTC]`, `dictionary<values=string, indices=int32>`.
public indirect enum ArrowDataType: Sendable, Equatable, CustomStringConvertible {
    case null, bool
    case int8, int16, int32, int64, uint8, uint16, uint32, uint64
    case float16, float32, float64
    case utf8, largeUTF8, binary, largeBinary
    /// `string_view` / `binary_view` (Arrow 1.4 views: what polars exports).
    case utf8View, binaryView
    case date32, date64
    case timestamp(ArrowTimeUnit, timezone: String?)
    case list(ArrowField), largeList(ArrowField)
    case `struct`([ArrowField])
    case dictionary(index: ArrowDataType, values: ArrowDataType, ordered: Bool)
    /// A type this runtime has no view for, by its format string.
    case other(String)

    public var description: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float16: "halffloat"
        case .float32: "float"
        case .float64: "double"
        case .utf8: "string"
        case .largeUTF8: "large_string"
        case .binary: "binary"
        case .largeBinary: "large_binary"
        case .utf8View: "string_view"
        case .binaryView: "binary_view"
        case .date32: "date32[day]"
        case .date64: "date64[ms]"
        case .timestamp(let unit, let tz): tz.map { "timestamp[\(unit.rawValue), tz=\($0)]" } ?? "timestamp[\(unit.rawValue)]"
        case .list(let f): "list<item: \(f.type)>"
        case .largeList(let f): "large_list<item: \(f.type)>"
        case .struct(let fields): "struct<\(fields.map { "\($0.name): \($0.type)" }.joined(separator: ", "))>"
        case .dictionary(let index, let values, _): "dictionary<values=\(values), indices=\(index)>"
        case .other(let format): "arrow type '\(format)'"
        }
    }

    /// The format string of this type (for a dictionary: of its index type).
    var format: String {
        switch self {
        case .null: "n"
        case .bool: "b"
        case .int8: "c"
        case .uint8: "C"
        case .int16: "s"
        case .uint16: "S"
        case .int32: "i"
        case .uint32: "I"
        case .int64: "l"
        case .uint64: "L"
        case .float16: "e"
        case .float32: "f"
        case .float64: "g"
        case .utf8: "u"
        case .largeUTF8: "U"
        case .binary: "z"
        case .largeBinary: "Z"
        case .utf8View: "vu"
        case .binaryView: "vz"
        case .date32: "tdD"
        case .date64: "tdm"
        case .timestamp(let unit, let tz): "ts\(unit.formatLetter):\(tz ?? "")"
        case .list: "+l"
        case .largeList: "+L"
        case .struct: "+s"
        case .dictionary(let index, _, _): index.format
        case .other(let f): f
        }
    }

    /// Byte width of one value of a fixed-width type (nil for others).
    var fixedWidth: Int? {
        switch self {
        case .int8, .uint8: 1
        case .int16, .uint16, .float16: 2
        case .int32, .uint32, .float32, .date32: 4
        case .int64, .uint64, .float64, .date64, .timestamp: 8
        default: nil
        }
    }

    /// How many buffers an array of this type has (validity first).
    var bufferCount: Int? {
        switch self {
        case .null: 0
        case .struct, .list, .largeList: self.isStruct ? 1 : 2
        case .utf8, .largeUTF8, .binary, .largeBinary: 3
        case .bool: 2
        case .dictionary(let index, _, _): index.fixedWidth == nil ? nil : 2
        case .other: nil
        default: fixedWidth == nil ? nil : 2
        }
    }

    var isStruct: Bool { if case .struct = self { true } else { false } }
}

/// A named, typed column (an `ArrowSchema` with its name and nullability).
public struct ArrowField: Sendable, Equatable {
    public var name: String
    public var type: ArrowDataType
    public var nullable: Bool

    public init(_ name: String, _ type: ArrowDataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// A schema that does not describe a type this runtime knows how to read.
struct ArrowSchemaError: Error {
    let message: String
}

extension ArrowField {
    /// Reads a field from a producer's schema, checking what it can: a
    /// malformed schema (NULL format, too many children, cycles too deep) is
    /// an error, never a crash.
    ///
    /// SAFETY: `schema` is a live, unreleased `ArrowSchema` (owned by the
    /// caller for the duration of the call).
    init(reading schema: UnsafePointer<CPython.ArrowSchema>, depth: Int = 0) throws(ArrowSchemaError) {
        guard depth < 64 else { throw ArrowSchemaError(message: "the schema is nested more than 64 levels deep") }
        guard let formatPointer = schema.pointee.format else {
            throw ArrowSchemaError(message: "the schema has no format string")
        }
        let format = String(cString: formatPointer)
        let name = schema.pointee.name.map { String(cString: $0) } ?? ""
        let nullable = (schema.pointee.flags & Int64(ARROW_FLAG_NULLABLE)) != 0
        let n = schema.pointee.n_children
        guard n >= 0, n <= 1 << 20, n == 0 || schema.pointee.children != nil else {
            throw ArrowSchemaError(message: "the schema of '\(name)' has an invalid child count \(n)")
        }
        var children: [ArrowField] = []
        for i in 0..<Int(n) {
            guard let child = schema.pointee.children[i] else {
                throw ArrowSchemaError(message: "the schema of '\(name)' has a NULL child \(i)")
            }
            children.append(try ArrowField(reading: child, depth: depth + 1))
        }
        var type = try ArrowDataType(format: format, children: children)
        if let dictionary = schema.pointee.dictionary {
            guard type.fixedWidth != nil, ![.float16, .float32, .float64, .date32, .date64].contains(type),
                  !type.isTimestamp else {
                throw ArrowSchemaError(message: "dictionary index type \(type) is not an integer")
            }
            let values = try ArrowField(reading: dictionary, depth: depth + 1)
            type = .dictionary(index: type, values: values.type,
                               ordered: (schema.pointee.flags & Int64(ARROW_FLAG_DICTIONARY_ORDERED)) != 0)
        }
        self.init(name, type, nullable: nullable)
    }
}

extension ArrowDataType {
    var isTimestamp: Bool { if case .timestamp = self { true } else { false } }

    /// Parses a format string; `children` are the schema's child fields.
    init(format: String, children: [ArrowField]) throws(ArrowSchemaError) {
        switch format {
        case "n": self = .null
        case "b": self = .bool
        case "c": self = .int8
        case "C": self = .uint8
        case "s": self = .int16
        case "S": self = .uint16
        case "i": self = .int32
        case "I": self = .uint32
        case "l": self = .int64
        case "L": self = .uint64
        case "e": self = .float16
        case "f": self = .float32
        case "g": self = .float64
        case "u": self = .utf8
        case "U": self = .largeUTF8
        case "z": self = .binary
        case "Z": self = .largeBinary
        case "vu": self = .utf8View
        case "vz": self = .binaryView
        case "tdD": self = .date32
        case "tdm": self = .date64
        case "+s": self = .struct(children)
        case "+l", "+L":
            guard children.count == 1 else {
                throw ArrowSchemaError(message: "a list type has \(children.count) children, not 1")
            }
            self = format == "+l" ? .list(children[0]) : .largeList(children[0])
        default:
            let chars = Array(format)
            if chars.count >= 4, format.hasPrefix("ts"), chars[3] == ":", let unit = ArrowTimeUnit(formatLetter: chars[2]) {
                let tz = String(chars[4...])
                self = .timestamp(unit, timezone: tz.isEmpty ? nil : tz)
            } else {
                self = .other(format)
            }
        }
    }
}
