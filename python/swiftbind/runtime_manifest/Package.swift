// swift-tools-version:6.0
//
// The swiftbind runtime as installed with the Python package (swiftbind/runtime/).
// Only what extension modules link: the C shim and the runtime.  Keep the
// targets in step with the repository's Package.swift.
import PackageDescription

let package = Package(
    name: "swiftbind",
    products: [
        .library(name: "SwiftBind", targets: ["SwiftBind"]),
    ],
    targets: [
        .target(name: "CPython"),
        .target(name: "SwiftBind", dependencies: ["CPython"]),
    ]
)
