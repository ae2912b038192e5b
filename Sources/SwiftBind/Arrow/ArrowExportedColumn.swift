/// A column built in Swift, returned to Python as a `swiftbind.ArrowArray`
/// that pyarrow, polars and nanoarrow read without copying.
///
/// ```swift
/// m.def("squares(n)") { (n: Int) -> ArrowExportedColumn in
///     ArrowExportedColumn((0..<n).map { Double($0 * $0) })   // the Swift array is the Arrow buffer
/// }
/// ```
/// ```python
/// pyarrow.array(mod.squares(4))   # <pyarrow.lib.DoubleArray> [0, 1, 4, 9]
/// ```
///
/// Arrays of numbers are exported in place: the column keeps the Swift
/// array alive until every consumer has released it (release callbacks may
/// run on any thread, with or without the GIL; they free Swift objects
/// only).  Strings, bools and optionals are built into Arrow buffers (one copy).
public struct ArrowExportedColumn: ToPython, Sendable {
    let tree: ArrowExportTree

    init(tree: ArrowExportTree) { self.tree = tree }

    /// Number of elements.
    public var count: Int { tree.length }
    /// The Arrow type.
    public var type: ArrowDataType { tree.field.type }

    /// Numbers, without copying `values`.
    public init<E: ArrowPrimitiveElement>(_ values: [E]) {
        let owner = ArrowArrayOwner(values)
        tree = ArrowExportTree(field: ArrowField("", E.arrowType), length: values.count, nullCount: 0,
                               buffers: [nil, owner.base], owners: [owner])
    }

    /// Numbers with nulls: `valid[i] == false` makes element `i` null.
    /// `values` is not copied; the bitmap is built.
    ///
    /// - Throws: `ValueError` when the counts differ.
    public init<E: ArrowPrimitiveElement>(_ values: [E], valid: [Bool]) throws {
        guard valid.count == values.count else {
            throw PythonException.valueError("ArrowExportedColumn: \(values.count) values but \(valid.count) validity flags")
        }
        self.init(checkedValues: values, valid: valid)
    }

    /// `values` and `valid` have the same count.
    private init<E: ArrowPrimitiveElement>(checkedValues values: [E], valid: [Bool]) {
        let owner = ArrowArrayOwner(values)
        let (bitmap, nulls) = Self.bitmap(valid)
        tree = ArrowExportTree(field: ArrowField("", E.arrowType), length: values.count, nullCount: nulls,
                               buffers: [nulls == 0 ? nil : UnsafeRawPointer(bitmap.base), owner.base], owners: [owner, bitmap])
    }

    /// Optional numbers (nil is null); copied into an Arrow buffer.
    public init<E: ArrowPrimitiveElement>(_ values: [E?]) {
        self.init(checkedValues: values.map { $0 ?? .zero }, valid: values.map { $0 != nil })
    }

    /// Timestamps: counts of `unit` since the Unix epoch, not copied.
    public init(timestamps: [Int64], unit: ArrowTimeUnit, timezone: String? = nil) {
        let owner = ArrowArrayOwner(timestamps)
        tree = ArrowExportTree(field: ArrowField("", .timestamp(unit, timezone: timezone)), length: timestamps.count,
                               nullCount: 0, buffers: [nil, owner.base], owners: [owner])
    }

    /// Dates: days since 1970-01-01 (`date32`), not copied.
    public init(days: [Int32]) {
        let owner = ArrowArrayOwner(days)
        tree = ArrowExportTree(field: ArrowField("", .date32), length: days.count, nullCount: 0,
                               buffers: [nil, owner.base], owners: [owner])
    }

    /// Booleans, bit-packed (copied).
    public init(_ values: [Bool]) {
        let (bits, _) = Self.bitmap(values)
        tree = ArrowExportTree(field: ArrowField("", .bool), length: values.count, nullCount: 0,
                               buffers: [nil, UnsafeRawPointer(bits.base)], owners: [bits])
    }

    /// Strings as Arrow `string` (UTF-8, 32-bit offsets), nil is null; copied.
    ///
    /// - Throws: `OverflowError` when the total UTF-8 size passes 2 GiB
    ///   (use ``init(largeStrings:)``).
    public init(_ values: [String?]) throws {
        self = try Self.strings(values, Int32.self)
    }

    /// Strings (no nulls) as Arrow `string`; copied.
    public init(_ values: [String]) throws {
        self = try Self.strings(values.map { Optional($0) }, Int32.self)
    }

    /// Strings as Arrow `large_string` (64-bit offsets), nil is null; copied.
    public init(largeStrings values: [String?]) throws {
        self = try Self.strings(values, Int64.self)
    }

    private static func strings<O: ArrowOffset>(_ values: [String?], _ offsetType: O.Type) throws -> ArrowExportedColumn {
        var total = 0
        for v in values { total += v?.utf8.count ?? 0 }
        guard total <= Int(O.max) else {
            throw PythonException.overflowError("ArrowExportedColumn: \(total) bytes of strings do not fit 32-bit offsets; use largeStrings:")
        }
        let offsets = ArrowBytesOwner(zeroed: (values.count + 1) * MemoryLayout<O>.stride)
        let data = ArrowBytesOwner(zeroed: total)
        let o = offsets.base.assumingMemoryBound(to: O.self)
        let d = data.base.assumingMemoryBound(to: UInt8.self)
        var position = 0
        o[0] = 0
        for (i, v) in values.enumerated() {
            if let v {
                for byte in v.utf8 { d[position] = byte; position += 1 }
            }
            o[i + 1] = O(position)
        }
        let (bitmap, nulls) = bitmap(values.map { $0 != nil })
        return ArrowExportedColumn(tree: ArrowExportTree(
            field: ArrowField("", O.stringType), length: values.count, nullCount: nulls,
            buffers: [nulls == 0 ? nil : UnsafeRawPointer(bitmap.base), UnsafeRawPointer(offsets.base), UnsafeRawPointer(data.base)],
            owners: [offsets, data, bitmap]))
    }

    /// A bit-packed copy of `flags` and the number of false ones.
    static func bitmap(_ flags: [Bool]) -> (ArrowBytesOwner, Int) {
        let bits = ArrowBytesOwner(zeroed: (flags.count + 7) / 8)
        let p = bits.base.assumingMemoryBound(to: UInt8.self)
        var falses = 0
        for (i, f) in flags.enumerated() {
            if f { p[i >> 3] |= 1 << UInt8(i & 7) } else { falses += 1 }
        }
        return (bits, falses)
    }

    /// A `swiftbind.ArrowArray` exporting this column.
    public func toPython() throws -> NewReference {
        try ArrowExporterType.make(ArrowExportedObject(schema: tree, batches: [tree], isSingle: true))
    }
}

/// A record batch built in Swift from named columns of equal length,
/// returned as a `swiftbind.ArrowArray` (`pyarrow.table(x)`,
/// `pyarrow.record_batch(x)`, `polars.DataFrame(x)`).
public struct ArrowExportedBatch: ToPython, Sendable {
    let tree: ArrowExportTree

    /// Number of rows.
    public var rowCount: Int { tree.length }

    /// - Throws: `ValueError` when the columns' lengths differ or a name repeats.
    public init(_ columns: KeyValuePairs<String, ArrowExportedColumn>) throws {
        try self.init(columns: columns.map { ($0.key, $0.value) })
    }

    /// The same, from an array of (name, column) pairs.
    public init(columns: [(String, ArrowExportedColumn)]) throws {
        let length = columns.first?.1.count ?? 0
        var seen = Set<String>()
        for (name, column) in columns {
            guard column.count == length else {
                throw PythonException.valueError("ArrowExportedBatch: column '\(name)' has \(column.count) rows, expected \(length)")
            }
            guard seen.insert(name).inserted else { throw PythonException.valueError("ArrowExportedBatch: column '\(name)' appears twice") }
        }
        let children = columns.map { $0.1.tree.renamed($0.0, nullable: true) }
        tree = ArrowExportTree(field: ArrowField("", .struct(children.map(\.field)), nullable: false), length: length, nullCount: 0,
                               buffers: [nil], children: children, owners: [])
    }

    public func toPython() throws -> NewReference {
        try ArrowExporterType.make(ArrowExportedObject(schema: tree, batches: [tree], isSingle: true))
    }
}

/// Several record batches of one schema, returned as a `swiftbind.ArrowArray`
/// that implements `__arrow_c_stream__` (`pyarrow.RecordBatchReader.from_stream(x)`,
/// `pyarrow.table(x)`, `polars.DataFrame(x)`).
public struct ArrowExportedStream: ToPython, Sendable {
    let batches: [ArrowExportedBatch]

    /// - Throws: `ValueError` when there is no batch or their types differ.
    public init(_ batches: [ArrowExportedBatch]) throws {
        guard let first = batches.first else { throw PythonException.valueError("ArrowExportedStream: needs at least one batch") }
        for (i, b) in batches.enumerated() where b.tree.field.type != first.tree.field.type {
            throw PythonException.valueError("ArrowExportedStream: batch \(i) has type \(b.tree.field.type), expected \(first.tree.field.type)")
        }
        self.batches = batches
    }

    public func toPython() throws -> NewReference {
        try ArrowExporterType.make(ArrowExportedObject(schema: batches[0].tree, batches: batches.map(\.tree), isSingle: false))
    }
}
