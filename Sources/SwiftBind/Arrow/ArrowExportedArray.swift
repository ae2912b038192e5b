import Synchronization

// Filling the C structs of one export, and their release callbacks.
//
// Each exported ArrowArray / ArrowSchema (children included) has its own
// private data: a retained Swift object that holds the tree and the
// pointer arrays allocated for the struct.  The release callback frees them
// and marks the struct released; it touches no Python object, so consumers
// may call it on any thread, with or without the GIL.

/// The private data of one exported `ArrowArray` struct.
final class ArrowExportedArray {
    let tree: ArrowExportTree
    let buffers: UnsafeMutablePointer<UnsafeRawPointer?>
    let children: UnsafeMutablePointer<UnsafeMutablePointer<CPython.ArrowArray>?>?

    /// Live exports, exports made and releases, for leak tests.
    static let live = Atomic<Int>(0)
    static let made = Atomic<Int>(0)
    static let released = Atomic<Int>(0)

    init(_ tree: ArrowExportTree) {
        self.tree = tree
        buffers = .allocate(capacity: max(tree.buffers.count, 1))
        for (i, b) in tree.buffers.enumerated() { buffers[i] = b }
        children = tree.children.isEmpty ? nil : .allocate(capacity: tree.children.count)
        Self.live.add(1, ordering: .relaxed)
        Self.made.add(1, ordering: .relaxed)
    }

    deinit {
        buffers.deallocate()
        children?.deallocate()
        Self.live.subtract(1, ordering: .relaxed)
    }

    /// Fills `out` (memory the consumer owns) with an export of `tree`.
    static func export(_ tree: ArrowExportTree, into out: UnsafeMutablePointer<CPython.ArrowArray>) {
        let data = ArrowExportedArray(tree)
        for (i, child) in tree.children.enumerated() {
            let c = UnsafeMutablePointer<CPython.ArrowArray>.allocate(capacity: 1)
            export(child, into: c)
            data.children![i] = c
        }
        out.initialize(to: CPython.ArrowArray(
            length: Int64(tree.length), null_count: Int64(tree.nullCount), offset: 0,
            n_buffers: Int64(tree.buffers.count), n_children: Int64(tree.children.count),
            buffers: UnsafeMutablePointer(mutating: UnsafeRawPointer(data.buffers).assumingMemoryBound(to: UnsafeRawPointer?.self)),
            children: data.children, dictionary: nil,
            release: releaseArray, private_data: Unmanaged.passRetained(data).toOpaque()))
    }
}

/// `ArrowArray.release`: releases the children the consumer did not move
/// away, frees the struct's arrays, and marks it released.
private let releaseArray: @convention(c) (UnsafeMutablePointer<CPython.ArrowArray>?) -> Void = { array in
    guard let array, array.pointee.release != nil, let context = array.pointee.private_data else { return }
    let data = Unmanaged<ArrowExportedArray>.fromOpaque(context).takeRetainedValue()
    if let children = data.children {
        for i in 0..<data.tree.children.count {
            guard let child = children[i] else { continue }
            if let release = child.pointee.release { release(child) }
            child.deallocate()
        }
    }
    array.pointee.release = nil
    array.pointee.private_data = nil
    ArrowExportedArray.released.add(1, ordering: .relaxed)
    _ = data   // freed here, on whatever thread the consumer released from
}

/// The private data of one exported `ArrowSchema` struct.
final class ArrowExportedSchema {
    let tree: ArrowExportTree
    let children: UnsafeMutablePointer<UnsafeMutablePointer<CPython.ArrowSchema>?>?

    init(_ tree: ArrowExportTree) {
        self.tree = tree
        children = tree.children.isEmpty ? nil : .allocate(capacity: tree.children.count)
    }

    deinit { children?.deallocate() }

    /// Fills `out` with the type of `tree`.
    static func export(_ tree: ArrowExportTree, into out: UnsafeMutablePointer<CPython.ArrowSchema>) {
        let data = ArrowExportedSchema(tree)
        for (i, child) in tree.children.enumerated() {
            let c = UnsafeMutablePointer<CPython.ArrowSchema>.allocate(capacity: 1)
            export(child, into: c)
            data.children![i] = c
        }
        out.initialize(to: CPython.ArrowSchema(
            format: UnsafePointer(tree.format), name: UnsafePointer(tree.name), metadata: nil,
            flags: tree.field.nullable ? Int64(ARROW_FLAG_NULLABLE) : 0,
            n_children: Int64(tree.children.count), children: data.children, dictionary: nil,
            release: releaseSchema, private_data: Unmanaged.passRetained(data).toOpaque()))
    }
}

private let releaseSchema: @convention(c) (UnsafeMutablePointer<CPython.ArrowSchema>?) -> Void = { schema in
    guard let schema, schema.pointee.release != nil, let context = schema.pointee.private_data else { return }
    let data = Unmanaged<ArrowExportedSchema>.fromOpaque(context).takeRetainedValue()
    if let children = data.children {
        for i in 0..<data.tree.children.count {
            guard let child = children[i] else { continue }
            if let release = child.pointee.release { release(child) }
            child.deallocate()
        }
    }
    schema.pointee.release = nil
    schema.pointee.private_data = nil
    _ = data
}
