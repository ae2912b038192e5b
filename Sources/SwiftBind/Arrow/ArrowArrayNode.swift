/// One checked array of an import (the root, or a child or dictionary of
/// it): its C struct, its type, and the import that keeps it alive.
///
/// Every node is checked when it is made (``init(validating:field:owner:)``):
/// buffer and child counts match the type, length and offset are
/// non-negative and their sum fits, the buffers a non-empty array needs are
/// not NULL.  What takes a pass over the data (offsets monotonic and not
/// negative, views and dictionary indices in bounds) is checked by
/// ``validateContents()`` before a view reads the node.  A producer that breaks those rules gets a `ValueError`, not a
/// crash.  What cannot be checked through the C interface (that a buffer
/// really holds as many bytes as the length says) is the producer's promise.
///
/// SAFETY (@unchecked Sendable): read-only pointers into memory that
/// `owner` keeps alive and no one writes (the interface's contract).
public struct ArrowArrayNode: @unchecked Sendable {
    @usableFromInline let array: UnsafePointer<CPython.ArrowArray>
    /// The column's name, type and nullability, as the producer declared them.
    public let field: ArrowField
    let owner: ArrowImportedArray
    /// Number of logical elements (after the offset).
    public internal(set) var count: Int
    /// The array's element offset into its buffers.
    var offset: Int
    let children: [ArrowArrayNode]
    let dictionary: [ArrowArrayNode]

    public var type: ArrowDataType { field.type }

    init(validating array: UnsafePointer<CPython.ArrowArray>, field: ArrowField, owner: ArrowImportedArray,
         depth: Int = 0) throws(ArrowSchemaError) {
        let a = array.pointee
        let what = field.name.isEmpty ? "the array" : "column '\(field.name)'"
        guard a.release != nil else { throw ArrowSchemaError(message: "\(what) was already released by its producer") }
        guard a.length >= 0, a.offset >= 0, a.length <= Int64(Int.max) - a.offset else {
            throw ArrowSchemaError(message: "\(what) has an invalid length \(a.length) or offset \(a.offset)")
        }
        self.array = array
        self.field = field
        self.owner = owner
        self.count = Int(a.length)
        self.offset = Int(a.offset)
        if let expected = field.type.bufferCount, a.n_buffers != expected {
            throw ArrowSchemaError(message: "\(what) of type \(field.type) has \(a.n_buffers) buffers, expected \(expected)")
        }
        guard a.n_buffers >= 0, a.n_buffers <= 16, a.n_buffers == 0 || a.buffers != nil else {
            throw ArrowSchemaError(message: "\(what) has an invalid buffer list")
        }
        if a.n_buffers > 0, a.null_count != 0, a.buffers[0] == nil, field.type != .null {
            throw ArrowSchemaError(message: "\(what) has \(a.null_count) nulls but no validity bitmap")
        }
        var children: [ArrowArrayNode] = []
        var childFields: [ArrowField] = []
        switch field.type {
        case .struct(let fields): childFields = fields
        case .list(let f), .largeList(let f): childFields = [f]
        default: break
        }
        guard a.n_children == childFields.count, childFields.isEmpty || a.children != nil else {
            throw ArrowSchemaError(message: "\(what) of type \(field.type) has \(a.n_children) children, expected \(childFields.count)")
        }
        guard depth < 64 else { throw ArrowSchemaError(message: "\(what) is nested too deeply") }
        for (i, childField) in childFields.enumerated() {
            guard let child = a.children[i] else { throw ArrowSchemaError(message: "\(what) has a NULL child \(i)") }
            let node = try ArrowArrayNode(validating: child, field: childField, owner: owner, depth: depth + 1)
            if field.type.isStruct, node.count < count + offset {
                throw ArrowSchemaError(message: "column '\(childField.name)' has \(node.count) rows, fewer than its batch's \(count + offset)")
            }
            children.append(node)
        }
        self.children = children
        if case .dictionary(_, let values, _) = field.type {
            guard let d = a.dictionary else { throw ArrowSchemaError(message: "\(what) is dictionary-encoded but has no dictionary") }
            self.dictionary = [try ArrowArrayNode(validating: d, field: ArrowField("\(field.name).dictionary", values), owner: owner,
                                                  depth: depth + 1)]
        } else {
            self.dictionary = []
        }
        try validateBufferPresence(what)
    }

    /// The O(n) checks of what the buffers hold (offsets monotonic, views
    /// and dictionary indices in bounds), of this node, its children and
    /// its dictionary, over the elements the node covers.
    ///
    /// Run before a view reads the node: by an array parameter's
    /// conversion, and by ``ArrowRecordBatch/column(_:as:)`` for the one
    /// column asked for, so the columns of a table that a function never
    /// reads are never scanned.
    func validateContents() throws(ArrowSchemaError) {
        for child in children { try child.validateContents() }
        for d in dictionary { try d.validateContents() }
        try validateBuffers(field.name.isEmpty ? "the array" : "column '\(field.name)'")
    }

    /// The O(1) checks: the buffers a non-empty array needs are not NULL.
    private func validateBufferPresence(_ what: String) throws(ArrowSchemaError) {
        guard count > 0 else { return }
        switch field.type {
        case .struct, .null, .other: return
        case .utf8View, .binaryView: return   // at least 3 buffers: checked with the views
        default:
            if (field.type.bufferCount ?? 0) >= 2, buffer(1) == nil {
                throw ArrowSchemaError(message: "\(what) has no \(field.type.fixedWidth == nil ? "offsets" : "values") buffer")
            }
        }
    }

    /// Buffer `i` (0 is the validity bitmap), possibly NULL.
    @usableFromInline
    func buffer(_ i: Int) -> UnsafeRawPointer? { array.pointee.buffers[i] }

    /// The values buffer as `T`, or nil when the array is empty and the
    /// producer left it NULL.
    func values<T>(_ i: Int, as: T.Type) -> UnsafePointer<T>? {
        buffer(i).map { $0.assumingMemoryBound(to: T.self) }
    }

    private func validateBuffers(_ what: String) throws(ArrowSchemaError) {
        let needed = count > 0
        switch field.type {
        case .bool:
            if needed, buffer(1) == nil { throw ArrowSchemaError(message: "\(what) has no values buffer") }
        case .utf8, .binary:
            try validateOffsets(Int32.self, what)
        case .largeUTF8, .largeBinary:
            try validateOffsets(Int64.self, what)
        case .utf8View, .binaryView:
            try validateViews(what)
        case .list:
            try validateOffsets(Int32.self, what, dataCount: children.first?.count)
        case .largeList:
            try validateOffsets(Int64.self, what, dataCount: children.first?.count)
        case .dictionary(let index, _, _):
            if needed, buffer(1) == nil { throw ArrowSchemaError(message: "\(what) has no index buffer") }
            try validateIndices(index, what)
        default:
            if let width = field.type.fixedWidth {
                if needed, buffer(1) == nil { throw ArrowSchemaError(message: "\(what) has no values buffer") }
                if let p = buffer(1), Int(bitPattern: p) % width != 0 {
                    throw ArrowSchemaError(message: "\(what)'s \(field.type) values are not aligned to \(width) bytes")
                }
            }
        }
    }

    /// Offsets `offset ... offset + count` exist (the buffer is non-NULL
    /// even for an empty array with an offset), start at or after zero,
    /// never decrease, and (for lists) stay within the child.  O(count).
    private func validateOffsets<O: FixedWidthInteger>(_ type: O.Type, _ what: String, dataCount: Int? = nil) throws(ArrowSchemaError) {
        guard let p = values(1, as: O.self) else {
            if count == 0 { return }
            throw ArrowSchemaError(message: "\(what) has no offsets buffer")
        }
        guard Int(bitPattern: p) % MemoryLayout<O>.alignment == 0 else {
            throw ArrowSchemaError(message: "\(what)'s offsets are not aligned")
        }
        let first = p[offset]
        guard first >= 0 else { throw ArrowSchemaError(message: "\(what) has a negative first offset \(first)") }
        var previous = first
        var i = offset + 1
        let end = offset + count
        while i <= end {
            let o = p[i]
            if o < previous { throw ArrowSchemaError(message: "\(what)'s offsets decrease at element \(i - offset - 1)") }
            previous = o
            i += 1
        }
        if previous > first, dataCount == nil, buffer(2) == nil {
            throw ArrowSchemaError(message: "\(what) has no data buffer")
        }
        if let dataCount, Int(previous) > dataCount {
            throw ArrowSchemaError(message: "\(what)'s offsets reach \(previous), past its \(dataCount) child values")
        }
    }

    /// Every non-null index is within the dictionary.  O(count).
    private func validateIndices(_ index: ArrowDataType, _ what: String) throws(ArrowSchemaError) {
        let n = dictionary[0].count
        func check<I: FixedWidthInteger>(_ t: I.Type) throws(ArrowSchemaError) {
            guard let p = values(1, as: I.self) else { return }
            let validity = ArrowValidity(self)
            for i in 0..<count where validity.isValid(i) {
                let k = p[offset + i]
                if k < 0 || Int(k) >= n {
                    throw ArrowSchemaError(message: "\(what) has index \(k) at row \(i), outside its dictionary of \(n) values")
                }
            }
        }
        switch index {
        case .int8: try check(Int8.self)
        case .int16: try check(Int16.self)
        case .int32: try check(Int32.self)
        case .int64: try check(Int64.self)
        case .uint8: try check(UInt8.self)
        case .uint16: try check(UInt16.self)
        case .uint32: try check(UInt32.self)
        case .uint64: try check(UInt64.self)
        default: throw ArrowSchemaError(message: "\(what) has a non-integer dictionary index \(index)")
        }
    }

    /// The number of nulls: the producer's count, or counted from the
    /// bitmap when it reported -1 (unknown).
    public var nullCount: Int {
        let reported = array.pointee.null_count
        let whole = count == Int(array.pointee.length) && offset == Int(array.pointee.offset)
        if reported == 0 || (reported > 0 && whole) { return Int(reported) }
        let validity = ArrowValidity(self)
        if !validity.hasBitmap { return 0 }
        var n = 0
        for i in 0..<count where !validity.isValid(i) { n += 1 }
        return n
    }
}
