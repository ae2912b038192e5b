import SwiftBind

/// Byte arrays: XOR in place (zero-copy) or into new bytes (one copy), and
/// a histogram returned as Swift-owned int32 memory.
func defineBytes(_ m: ModuleBuilder, _ state: KobjState) {
    m.def("xor_inplace(buffer, key=None)",
          doc: "XOR every byte of a writable buffer (bytearray, numpy uint8, ...) in place: no copy.") {
        (buffer: MutablePythonBuffer<UInt8>, key: UInt8?) in
        let k = key ?? state.key
        buffer.withoutGIL { bytes in
            for i in bytes.indices { bytes[i] ^= k }
        }
        state.record(buffer.count)
    }

    m.def("xor_copy(data, key=None)",
          doc: "XOR every byte of a bytes-like object into new bytes (the input is not changed).") {
        (data: PythonBuffer<UInt8>, key: UInt8?) -> PythonBytes in
        let k = key ?? state.key
        let input = data.unsafeElements
        let out = try PythonBytes(count: data.count) { out in
            input.withUnsafeBufferPointer { src in
                for i in 0..<src.count { out[i] = src[i] ^ k }
            }
        }
        state.record(data.count)
        return out
    }

    m.def("histogram(data)", doc: "Counts of each byte value 0..255 as an int32 array (Swift memory, no copy out).") {
        (data: BufferOrCopy<UInt8>) -> NDArray<Int32> in
        let counts = data.withoutGIL { bytes -> [Int32] in
            var counts = [Int32](repeating: 0, count: 256)
            for b in bytes { counts[Int(b)] &+= 1 }
            return counts
        }
        state.record(data.count)
        return NDArray(counts)
    }
}
