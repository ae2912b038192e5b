// Left out of an abi3 build for a 3.10 floor (SWIFTBIND_NO_BUFFER_API): see NDArray.swift.
#if !SWIFTBIND_NO_BUFFER_API
// Annotations of the buffer types (see Conversions/TypeHints.swift).
// Anything with the buffer protocol is `collections.abc.Buffer` (the stub
// writer takes it from typing_extensions before Python 3.12).

extension PythonBuffer: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "collections.abc.Buffer" }
}

extension MutablePythonBuffer: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "collections.abc.Buffer" }
}

extension StridedPythonBuffer: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "collections.abc.Buffer" }
}

extension MutableStridedPythonBuffer: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "collections.abc.Buffer" }
}

extension PythonBytes: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String { "bytes" }
}

/// An `NDArray` comes in from any numeric buffer or nested list, and goes
/// out as a `swiftbind.NDArray` exporter (a buffer, not a NumPy array).
extension NDArray: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String {
        position == .parameter ? "collections.abc.Buffer | collections.abc.Sequence[typing.Any]" : "collections.abc.Buffer"
    }
}

extension BufferOrCopy: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String {
        "collections.abc.Buffer | collections.abc.Sequence[typing.Any]"
    }
}

/// `.numpy` results are NumPy arrays of the element's dtype.
extension NumPyArray: TypeHintProviding {
    static func typeHint(_ position: HintPosition) -> String {
        let format = BufferFormat(kind: Element.bufferKind, itemSize: MemoryLayout<Element>.size)
        switch format.kind {
        case .bool: return "numpy.typing.NDArray[numpy.bool_]"
        case .signed, .unsigned, .float: return "numpy.typing.NDArray[numpy.\(format.dtypeName)]"
        case .other: return "numpy.typing.NDArray[typing.Any]"
        }
    }
}
#endif
