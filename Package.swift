// swift-tools-version:6.0
//
// swiftbind: write CPython extension modules in Swift, and embed Python in Swift.
//
// Compiler and linker flags for the target Python (its include folder, and
// for SwiftBindEmbed its libpython) are passed by the build tool or the
// Makefile (`-Xcc -I…`, `-Xlinker …`), never here: SwiftPM refuses
// unsafeFlags in a package used as a dependency.
import PackageDescription

let package = Package(
    name: "swiftbind",
    products: [
        .library(name: "SwiftBind", targets: ["SwiftBind"]),
        .library(name: "SwiftBindEmbed", targets: ["SwiftBindEmbed"]),
    ],
    targets: [
        .target(name: "CPython"),
        .target(name: "SwiftBind", dependencies: ["CPython"]),
        .target(name: "SwiftBindEmbed", dependencies: ["SwiftBind"]),
        .testTarget(name: "SwiftBindTests", dependencies: ["SwiftBind", "SwiftBindEmbed"]),
    ]
)
