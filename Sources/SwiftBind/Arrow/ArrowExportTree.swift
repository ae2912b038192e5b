/// A Swift-built Arrow array (and its type) ready to be exported: the
/// buffers, children and format that the C structs will point to.
///
/// A tree is immutable; one tree can be exported many times (each export
/// is its own pair of C structs with its own release callback), and the
/// memory it points to lives as long as the tree, which every export keeps
/// alive.  It owns Swift objects only, so it may die on any thread with or
/// without the GIL.
///
/// SAFETY (@unchecked Sendable): all stored properties are immutable; the
/// buffers are read, never written, by consumers (the interface's rule).
final class ArrowExportTree: @unchecked Sendable {
    let field: ArrowField
    let format: UnsafeMutablePointer<CChar>
    let name: UnsafeMutablePointer<CChar>
    let length: Int
    let nullCount: Int
    let buffers: [UnsafeRawPointer?]
    let children: [ArrowExportTree]
    /// The Swift storage the buffers point into.
    let owners: [AnyObject]

    init(field: ArrowField, length: Int, nullCount: Int, buffers: [UnsafeRawPointer?],
         children: [ArrowExportTree] = [], owners: [AnyObject]) {
        self.field = field
        self.format = strdup(field.type.format)
        self.name = strdup(field.name)
        self.length = length
        self.nullCount = nullCount
        self.buffers = buffers
        self.children = children
        self.owners = owners
    }

    deinit {
        free(format)
        free(name)
    }

    /// The same array under another name (a column of a batch).
    func renamed(_ newName: String, nullable: Bool) -> ArrowExportTree {
        ArrowExportTree(field: ArrowField(newName, field.type, nullable: nullable), length: length, nullCount: nullCount,
                        buffers: buffers, children: children, owners: owners + [self])
    }
}

/// A Swift array kept alive, unchanged, for as long as an export of it
/// exists; its element storage is what the Arrow buffer points to.
///
/// SAFETY: `values` is a `let` that nothing mutates, so its storage never
/// moves or is copied; a native Swift array of a trivial type is one
/// contiguous allocation, whose address `withUnsafeBufferPointer` returns.
final class ArrowArrayOwner<T>: @unchecked Sendable {
    let values: [T]
    let base: UnsafeRawPointer?

    init(_ values: [T]) {
        self.values = values
        self.base = values.isEmpty ? nil : values.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }
}

/// Bytes allocated by a builder (bitmaps, offsets, string data), freed with the tree.
final class ArrowBytesOwner: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let count: Int

    /// Zeroed, 64-byte aligned (Arrow's recommendation), at least 1 byte.
    init(zeroed count: Int) {
        self.count = count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }
}
