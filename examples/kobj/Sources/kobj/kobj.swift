import SwiftBind

// kobj: the seed's module, in Swift.
//
// Arrays come in zero-copy when the caller passes a buffer (bytearray,
// numpy array, memoryview, array.array) and are copied when it passes a list
// or bytes that must stay unchanged; results come back as Swift memory
// exported without a copy (`NDArray`), or written straight into new bytes.

@_cdecl("PyInit_kobj")
public func PyInit_kobj() -> PythonModuleInit {
    PythonModule.define("kobj", doc: "Byte, int32 and float32 arrays processed in Swift.") { m in
        // Module state: made once per module object, captured by the
        // functions below, kept between calls.  `initialise` resets it.
        let state = KobjState()
        m.add("DEFAULT_KEY", Int(KobjState.defaultKey))

        m.def("initialise(key=90, gain=1.0)",
              doc: "Set the XOR key and the float gain used by later calls; reset the counters.") {
            (key: UInt8, gain: Float) in
            state.initialise(key: key, gain: gain)
        }
        m.def("status()", doc: "The module state: initialised, key, gain, calls, bytes_processed.") { () in
            state.snapshot()
        }
        defineBytes(m, state)
        defineNumbers(m, state)

        defineJob(m)
    }
}
