import SwiftBind

/// int32 and float32 arrays: in place on the caller's buffer, or new
/// Swift-owned arrays out (zero-copy), from buffers (borrowed) or lists (copied).
func defineNumbers(_ m: ModuleBuilder, _ state: KobjState) {
    m.def("scale_f32(values)", doc: "values * gain as a new float32 array; accepts buffers (borrowed) and lists (copied).") {
        (values: BufferOrCopy<Float>) throws -> NDArray<Float> in
        let gain = state.gain
        let result = values.withoutGIL { src in src.map { $0 * gain } }
        state.record(values.count * 4)
        return try NDArray(result, shape: values.shape)
    }

    m.def("scale_f32_inplace(values)", doc: "values *= gain on a writable float32 buffer, in place.") {
        (values: MutablePythonBuffer<Float>) in
        let gain = state.gain
        values.withoutGIL { p in for i in p.indices { p[i] *= gain } }
        state.record(values.count * 4)
    }

    m.def("cumsum_i32(values)", doc: "Running sum as a new int32 array (wrapping on overflow).") {
        (values: BufferOrCopy<Int32>) -> NDArray<Int32> in
        let result = values.withoutGIL { src -> [Int32] in
            var total: Int32 = 0
            return src.map { total &+= $0; return total }
        }
        state.record(values.count * 4)
        return NDArray(result)
    }

    m.def("add_i32_inplace(values, delta)", doc: "values += delta on a writable int32 buffer, in place (wrapping).") {
        (values: MutablePythonBuffer<Int32>, delta: Int32) in
        values.withoutGIL { p in for i in p.indices { p[i] &+= delta } }
        state.record(values.count * 4)
    }

    m.def("ramp_f32(n, step=1.0)", doc: "[0, step, 2*step, ...] as a float32 array owned by Swift (no copy out).") {
        (n: Int, step: Float) throws -> NDArray<Float> in
        guard n >= 0 else { throw PythonException.valueError("n must be >= 0, not \(n)") }
        // Allocated whole, up front, by NDArray: ramp_f32(2**60) is a
        // MemoryError at once, not minutes of growing a Swift array.
        return try NDArray(shape: [n]) { p in
            for i in p.indices { p[i] = Float(i) * step }
        }
    }
}
