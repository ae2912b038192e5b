// swift-tools-version:6.1
// The embed benchmark's `grpc` peer: the outlier detection of
// examples/outliers called over gRPC (grpc-swift-2 + the NIO HTTP/2
// transport, protobuf messages) on a Python server (../server/server.py).
// The message code is generated once and committed (../generate.sh); the
// calls go through grpc-swift-2's generic unary API, so no service stubs
// (and no protoc plugin) are needed to build.
import PackageDescription

let package = Package(
    name: "EmbedGRPCClient",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2.git", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
    ],
    targets: [
        .executableTarget(
            name: "EmbedGRPCClient",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),
    ]
)
