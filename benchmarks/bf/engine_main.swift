// Standalone driver for the bf engine, used by benchmarks/bf/bench.py only
// when the swiftbind extension cannot be built: it is compiled together with
// examples/bf/Sources/bf/Engine/*.swift (no Python involved) and reported as
// the peer "swift-engine (standalone, not via Python)".
//
// usage: engine PROGRAM.bf [INPUT]   -> output on stdout, run time (s) on stderr
#if canImport(Glibc)
import Glibc
#endif

func readAll(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        data.append(contentsOf: chunk[0 ..< n])
    }
    return data
}

func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let source = readAll(arguments[1]) else {
    fputs("usage: engine PROGRAM.bf [INPUT]\n", stderr)
    exit(2)
}
let input = arguments.count > 2 ? (readAll(arguments[2]) ?? []) : []
do {
    let started = seconds()
    let output = try Machine.run(source: String(decoding: source, as: UTF8.self), input: input)
    let elapsed = seconds() - started
    output.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
    fflush(stdout)
    fputs("\(elapsed)\n", stderr)
} catch {
    fputs("error: \(error)\n", stderr)
    exit(1)
}
