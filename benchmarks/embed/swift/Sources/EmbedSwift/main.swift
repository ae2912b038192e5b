// The embed benchmark's `swiftbind` peer: `EmbedSwift CASE N ITERS`.
//
// CASE is `call_noop` (embed_target.noop()) or `detect` (outliers.detect on
// N values through examples/outliers' OutlierDetector: the [Double] shared
// with NumPy, the indices read in place); the `diag_*` cases time one piece
// of a detect call alone (benchmarks/embed/README.md).  outliers.py is
// loaded from $OUTLIERS_MODULE_DIR, embed_target.py from PYTHONPATH.  The GIL is taken once around the loop, as a Swift
// program with a hot loop would.  Prints one JSON line:
// {"case", "n", "iters", "ns", "count", "checksum"}, ns being the fastest of
// 3 timed loops of ITERS calls (after up to 3 warm-up calls).
#if canImport(Glibc)
import Glibc
#endif
import Outliers
import SwiftBindEmbed

/// The benchmark's input: the same formula in every peer.
func makeValues(_ n: Int) -> [Double] {
    var values = [Double](repeating: 0, count: n)
    for i in 0..<n {
        let ramp = Double((i &* 7919) % 1000) / 1000.0
        values[i] = i % 997 == 0 ? 50.0 : ramp
    }
    return values
}

func fail(_ message: String) -> Never {
    var text = "EmbedSwift: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(2)
}

let args = CommandLine.arguments
guard args.count == 4, let n = Int(args[2]), let iters = Int(args[3]), n >= 0, iters > 0 else {
    fail("usage: EmbedSwift call_noop|detect|diag_handover|diag_import_numpy|diag_readback|diag_detect_only N ITERS")
}
let mode = args[1]
let threshold = 3.0
let values = makeValues(n)
guard let dir = getenv("OUTLIERS_MODULE_DIR") else { fail("set OUTLIERS_MODULE_DIR to examples/outliers") }
let moduleDirectory = String(cString: dir)

func now() -> Int {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return t.tv_sec * 1_000_000_000 + t.tv_nsec
}

PythonInterpreter.start()
let line = withGIL { () -> String in
    do {
        let detector = try OutlierDetector(moduleDirectory: moduleDirectory)
        let noop = try Python.import("embed_target").noop
        var count = 0, checksum = 0
        let step: () throws -> Void
        switch mode {
        case "call_noop":
            step = { _ = try noop.call() }
        case "detect":
            step = {
                let found = try detector.detect(values, threshold: threshold)
                count = found.indices.count
                checksum = found.indices.reduce(0, &+)
            }
        case "diag_handover":          // [Double] -> numpy.ndarray alone
            step = { _ = try values.numpyView() }
        case "diag_import_numpy":      // what the hand-over pays per call to find numpy
            step = { _ = try Python.import("numpy") }
        case "diag_readback":          // PythonBuffer<Int> over an index array alone
            let indices = try detector.detectFunction.call(with: try values.numpyView(), threshold)
            step = {
                let view = try PythonBuffer<Int>.convert(indices)
                count = view.count
                checksum = view.reduce(0, &+)
            }
        case "diag_detect_only":       // outliers.detect on an array handed over once
            let a = try values.numpyView()
            step = { _ = try detector.detectFunction.call(with: a, threshold) }
        default:
            fail("unknown case \(mode)")
        }
        for _ in 0..<min(iters, 3) { try step() }     // warm-up
        var ns = Int.max                               // the fastest of 3 loops counts
        for _ in 0..<3 {
            let start = now()
            for _ in 0..<iters { try step() }
            ns = min(ns, now() - start)
        }
        return "{\"case\": \"\(mode)\", \"n\": \(n), \"iters\": \(iters), \"ns\": \(ns), \"count\": \(count), \"checksum\": \(checksum)}"
    } catch {
        fail("\(error)")
    }
}
print(line)
