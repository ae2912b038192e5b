import SwiftBind

/// kobj's global state: persists between calls, set by `initialise`.
///
/// Touched only by bound functions, which run with the GIL held, so plain
/// stored properties are safe (the class is deliberately not Sendable).
final class KobjState {
    static let defaultKey: UInt8 = 0x5A

    var initialised = false
    var key: UInt8 = KobjState.defaultKey
    var gain: Float = 1
    var calls = 0
    var bytesProcessed = 0

    func initialise(key: UInt8, gain: Float) {
        self.key = key
        self.gain = gain
        initialised = true
        calls = 0
        bytesProcessed = 0
    }

    /// Counts a call that processed `bytes` bytes.
    func record(_ bytes: Int) {
        calls += 1
        bytesProcessed += bytes
    }

    func snapshot() -> [String: PythonObject] {
        (try? [
            "initialised": initialised.pythonObject(),
            "key": Int(key).pythonObject(),
            "gain": gain.pythonObject(),
            "calls": calls.pythonObject(),
            "bytes_processed": bytesProcessed.pythonObject(),
        ]) ?? [:]
    }
}
