/// A zero-copy view of an Arrow `timestamp[unit, tz]` array: the Int64
/// counts of ``unit`` since the Unix epoch, with the producer's time zone.
public struct ArrowTimestampArray: ArrowColumnView {
    public let node: ArrowArrayNode
    /// The counts, nulls' slots included.
    public let values: ArrowPrimitiveArray<Int64>

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        self.values = ArrowPrimitiveArray(unsafeValidated: node)
    }

    public static var arrowTypeName: String { "timestamp" }
    public static func accepts(_ type: ArrowDataType) -> Bool { type.isTimestamp }

    /// Seconds, milliseconds, microseconds or nanoseconds.
    public var unit: ArrowTimeUnit {
        if case .timestamp(let unit, _) = node.type { return unit }
        return .second   // unreachable: accepts(_:) admitted only timestamps
    }

    /// The time zone name (`"UTC"`, `"Europe/Paris"`), nil for naive timestamps.
    public var timezone: String? {
        if case .timestamp(_, let tz) = node.type { return tz }
        return nil
    }

    /// Element `i` (a count of ``unit``), nil when null.
    public subscript(i: Int) -> Int64? { values[i] }
}

/// A zero-copy view of an Arrow `date32[day]` array: Int32 days since the Unix epoch.
public struct ArrowDate32Array: ArrowColumnView {
    public let node: ArrowArrayNode
    /// The day counts, nulls' slots included.
    public let values: ArrowPrimitiveArray<Int32>

    public init(unsafeValidated node: ArrowArrayNode) {
        self.node = node
        self.values = ArrowPrimitiveArray(unsafeValidated: node)
    }

    public static var arrowTypeName: String { "date32[day]" }
    public static func accepts(_ type: ArrowDataType) -> Bool { type == .date32 }

    /// Element `i` (days since 1970-01-01), nil when null.
    public subscript(i: Int) -> Int32? { values[i] }
}
