// The embed benchmark's `grpc` peer: `EmbedGRPCClient CASE N ITERS PORT`.
//
// The same detection as the other peers (benchmarks/embed/README.md), over
// gRPC on loopback: the Swift [Double] is serialised into a DetectRequest
// (packed repeated double), the Python server (../server/server.py) runs
// outliers.detect on it and returns the indices in a DetectReply.  Prints
// one JSON line: {"case", "n", "iters", "ns", "count", "checksum"}, ns being
// the fastest of 3 timed loops of ITERS calls (after up to 3 warm-up calls).
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GRPCProtobuf
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct StandardError: TextOutputStream {
    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

let service = ServiceDescriptor(package: "outliers", service: "Outliers")
let detectMethod = MethodDescriptor(service: service, method: "Detect")
let noopMethod = MethodDescriptor(service: service, method: "Noop")

/// The benchmark's input: the same formula in every peer.
func makeValues(_ n: Int) -> [Double] {
    var values = [Double](repeating: 0, count: n)
    for i in 0..<n {
        let ramp: Double = Double((i &* 7919) % 1000) / 1000.0
        values[i] = i % 997 == 0 ? 50.0 : ramp
    }
    return values
}

func fail(_ message: String) -> Never {
    var err = StandardError()
    print("EmbedGRPCClient: \(message)", to: &err)
    exit(2)
}

let args = CommandLine.arguments
guard args.count == 5, let n = Int(args[2]), let iters = Int(args[3]), let port = Int(args[4]),
      n >= 0, iters > 0 else {
    fail("usage: EmbedGRPCClient call_noop|detect N ITERS PORT")
}
let mode = args[1]
guard mode == "call_noop" || mode == "detect" else { fail("unknown case \(mode)") }

let threshold = 3.0
let values = makeValues(n)
var options = CallOptions.defaults
options.maxRequestMessageBytes = 1 << 30
options.maxResponseMessageBytes = 1 << 30

let transport = try HTTP2ClientTransport.Posix(
    target: .ipv4(address: "127.0.0.1", port: port),
    transportSecurity: .plaintext)

try await withGRPCClient(transport: transport) { client in
    let noopSerializer = ProtobufSerializer<Outliers_Empty>()
    let noopDeserializer = ProtobufDeserializer<Outliers_Empty>()
    let serializer = ProtobufSerializer<Outliers_DetectRequest>()
    let deserializer = ProtobufDeserializer<Outliers_DetectReply>()

    /// One end-to-end detection: the count and sum of the indices.
    func detectOnce() async throws -> (Int, Int) {
        var request = Outliers_DetectRequest()
        request.values = values          // copy-on-write: shares the array's storage
        request.threshold = threshold
        return try await client.unary(
            request: ClientRequest(message: request), descriptor: detectMethod,
            serializer: serializer, deserializer: deserializer, options: options
        ) { response in
            let indices = try response.message.indices
            return (indices.count, Int(indices.reduce(0, &+)))
        }
    }

    func noopOnce() async throws {
        try await client.unary(
            request: ClientRequest(message: Outliers_Empty()), descriptor: noopMethod,
            serializer: noopSerializer, deserializer: noopDeserializer, options: options
        ) { response in _ = try response.message }
    }

    var count = 0, checksum = 0
    // Warm-up: the connection is made by the first call.
    for _ in 0..<min(iters, 3) {
        if mode == "call_noop" { try await noopOnce() } else { (count, checksum) = try await detectOnce() }
    }
    let clock = ContinuousClock()
    var ns = Int64.max                                 // the fastest of 3 loops counts
    for _ in 0..<3 {
        let start = clock.now
        for _ in 0..<iters {
            if mode == "call_noop" { try await noopOnce() } else { (count, checksum) = try await detectOnce() }
        }
        let elapsed = clock.now - start
        ns = min(ns, elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
    print("{\"case\": \"\(mode)\", \"n\": \(n), \"iters\": \(iters), \"ns\": \(ns), \"count\": \(count), \"checksum\": \(checksum)}")
}
