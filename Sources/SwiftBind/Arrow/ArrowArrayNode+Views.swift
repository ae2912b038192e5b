// Checking the buffers of a `string_view` / `binary_view` array: 16-byte
// views that hold short values inline and point into variadic data
// buffers for longer ones (the layout polars exports).

/// One view of a view array, as the format lays it out.
@usableFromInline
struct ArrowBinaryView {
    @usableFromInline var length: Int32
    @usableFromInline var prefix: UInt32
    @usableFromInline var bufferIndex: Int32
    @usableFromInline var offset: Int32
}

extension ArrowArrayNode {
    /// Number of variadic data buffers (all but validity, views and the
    /// trailing buffer of sizes).
    var variadicBufferCount: Int { max(Int(array.pointee.n_buffers) - 3, 0) }

    /// Views `offset ..< offset + count` exist; every valid view longer than
    /// 12 bytes names a data buffer that exists and stays within its size
    /// (from the trailing sizes buffer).  O(count).
    func validateViews(_ what: String) throws(ArrowSchemaError) {
        let n = Int(array.pointee.n_buffers)
        guard n >= 3 else { throw ArrowSchemaError(message: "\(what) of type \(type) has \(n) buffers, expected at least 3") }
        guard count > 0 else { return }
        guard let views = values(1, as: ArrowBinaryView.self), Int(bitPattern: views) % 4 == 0 else {
            throw ArrowSchemaError(message: "\(what) has no (or a misaligned) views buffer")
        }
        let variadic = variadicBufferCount
        let sizes = values(n - 1, as: Int64.self)
        if variadic > 0 && sizes == nil { throw ArrowSchemaError(message: "\(what) has no buffer of variadic sizes") }
        for b in 0..<variadic where buffer(2 + b) == nil && sizes.unsafelyUnwrapped[b] > 0 {
            throw ArrowSchemaError(message: "\(what) has a NULL data buffer \(b)")
        }
        let validity = ArrowValidity(self)
        for i in 0..<count where validity.isValid(i) {
            let v = views[offset + i]
            if v.length < 0 { throw ArrowSchemaError(message: "\(what) has a negative length at row \(i)") }
            if v.length <= 12 { continue }
            guard v.bufferIndex >= 0, Int(v.bufferIndex) < variadic, v.offset >= 0,
                  Int64(v.offset) + Int64(v.length) <= sizes.unsafelyUnwrapped[Int(v.bufferIndex)] else {   // variadic > 0 here
                throw ArrowSchemaError(message: "\(what) has a view at row \(i) outside its data buffers")
            }
        }
    }
}
