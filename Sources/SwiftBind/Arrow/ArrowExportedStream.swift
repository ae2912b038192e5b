// An exported `ArrowArrayStream` over Swift-built batches (or one column):
// `get_next` hands out each tree once, then the end of the stream.

/// The private data of one exported stream.
///
/// SAFETY (@unchecked Sendable): the consumer calls the callbacks of one
/// stream from one thread at a time (the C stream interface's rule); the
/// trees are immutable.
final class ArrowExportedStreamState: @unchecked Sendable {
    let schema: ArrowExportTree
    let batches: [ArrowExportTree]
    var next = 0

    init(schema: ArrowExportTree, batches: [ArrowExportTree]) {
        self.schema = schema
        self.batches = batches
    }

    /// Fills `out` with a stream of `batches` (all of `schema`'s type).
    static func export(schema: ArrowExportTree, batches: [ArrowExportTree], into out: UnsafeMutablePointer<CPython.ArrowArrayStream>) {
        let state = ArrowExportedStreamState(schema: schema, batches: batches)
        out.initialize(to: CPython.ArrowArrayStream(
            get_schema: streamGetSchema, get_next: streamGetNext, get_last_error: streamLastError,
            release: streamRelease, private_data: Unmanaged.passRetained(state).toOpaque()))
    }

    static func state(_ stream: UnsafeMutablePointer<CPython.ArrowArrayStream>?) -> ArrowExportedStreamState? {
        guard let stream, stream.pointee.release != nil, let p = stream.pointee.private_data else { return nil }
        return Unmanaged<ArrowExportedStreamState>.fromOpaque(p).takeUnretainedValue()
    }
}

private let EINVAL: Int32 = 22

private let streamGetSchema: @convention(c) (UnsafeMutablePointer<CPython.ArrowArrayStream>?, UnsafeMutablePointer<CPython.ArrowSchema>?) -> Int32 = { stream, out in
    guard let state = ArrowExportedStreamState.state(stream), let out else { return EINVAL }
    ArrowExportedSchema.export(state.schema, into: out)
    return 0
}

private let streamGetNext: @convention(c) (UnsafeMutablePointer<CPython.ArrowArrayStream>?, UnsafeMutablePointer<CPython.ArrowArray>?) -> Int32 = { stream, out in
    guard let state = ArrowExportedStreamState.state(stream), let out else { return EINVAL }
    if state.next < state.batches.count {
        ArrowExportedArray.export(state.batches[state.next], into: out)
        state.next += 1
    } else {
        out.initialize(to: CPython.ArrowArray())   // release == NULL: the end
    }
    return 0
}

private let streamLastError: @convention(c) (UnsafeMutablePointer<CPython.ArrowArrayStream>?) -> UnsafePointer<CChar>? = { _ in nil }

private let streamRelease: @convention(c) (UnsafeMutablePointer<CPython.ArrowArrayStream>?) -> Void = { stream in
    guard let stream, stream.pointee.release != nil, let p = stream.pointee.private_data else { return }
    Unmanaged<ArrowExportedStreamState>.fromOpaque(p).release()
    stream.pointee.release = nil
    stream.pointee.private_data = nil
}
