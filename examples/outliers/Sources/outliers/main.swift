// examples/outliers: z-score outlier detection in NumPy, called from Swift.
//
//   swift run outliers [--threshold T] [--module-dir DIR] < numbers.txt
//
// Reads whitespace-separated numbers from standard input into a Swift
// [Double], hands that array to outliers.detect as a NumPy array over the
// same memory, and reads the index array NumPy returns in place.  Prints one
// JSON line:
//   {"count": N, "threshold": T, "outliers": [i, ...],
//    "input_shared": true, "indices_shared": true}
// where the *_shared fields compare addresses: NumPy's view of the input is
// the Swift array's own buffer, and the indices were read from NumPy's
// (null when the array is empty, so there is no buffer to compare).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Outliers
import SwiftBindEmbed

/// Prints `outliers: message` on standard error and exits with `status`.
func fail(_ message: String, status: Int32 = 2) -> Never {
    var text = "outliers: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(status)
}

/// The folder of outliers.py: --module-dir, else $OUTLIERS_MODULE_DIR,
/// else the package folder this file was compiled from.
func defaultModuleDirectory() -> String {
    if let dir = getenv("OUTLIERS_MODULE_DIR") { return String(cString: dir) }
    // #filePath is .../examples/outliers/Sources/outliers/main.swift
    let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/")
}

var threshold = 3.0
var moduleDirectory = defaultModuleDirectory()
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch flag {
    case "--threshold":
        guard let t = arguments.popFirst().flatMap(Double.init), t.isFinite, t >= 0 else {
            fail("--threshold needs a number >= 0")
        }
        threshold = t
    case "--module-dir":
        guard let d = arguments.popFirst() else { fail("--module-dir needs a folder") }
        moduleDirectory = d
    case "-h", "--help":
        print("usage: outliers [--threshold T] [--module-dir DIR] < numbers")
        exit(0)
    default:
        fail("unknown argument \(flag) (see --help)")
    }
}

var values: [Double] = []
while let line = readLine() {
    for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
        guard let v = Double(word) else { fail("not a number: \(word)") }
        values.append(v)
    }
}

PythonInterpreter.start()
let report = withGIL { () -> String in
    do {
        let detector = try OutlierDetector(moduleDirectory: moduleDirectory)
        let found = try detector.detect(values, threshold: threshold)
        // Where NumPy's arrays keep their data (`a.__array_interface__['data'][0]`).
        func dataAddress(_ array: PythonObject) throws -> Int {
            try Int(try array.__array_interface__.item("data").item(0))
        }
        let inputAddress = values.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        let indicesAddress = found.indices.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        // (An empty array has no buffer to share: null.)
        let inputShared = values.isEmpty ? "null" : "\(try dataAddress(found.input) == inputAddress)"
        let indicesShared = found.indices.isEmpty ? "null"
            : "\(try found.indices.exporter.map { try dataAddress($0) == indicesAddress } ?? false)"
        let list = found.indices.map(String.init).joined(separator: ", ")
        return "{\"count\": \(values.count), \"threshold\": \(threshold), \"outliers\": [\(list)], "
            + "\"input_shared\": \(inputShared), \"indices_shared\": \(indicesShared)}"
    } catch {
        fail("\(error)", status: 1)   // with the GIL: the message names the Python exception
    }
}
print(report)
