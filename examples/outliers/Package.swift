// swift-tools-version:6.0
// examples/outliers: a Swift program that embeds CPython and runs a NumPy
// outlier detector (outliers.py) on a Swift [Double] without copying it,
// then reads the indices NumPy returns in place.
//
// Embedding links libpython, so a build needs the interpreter's flags (the
// README shows them; `python3 benchmarks/run.py embed` and the example's
// test compute them from sysconfig).
import PackageDescription

let package = Package(
    name: "outliers",
    products: [
        .library(name: "Outliers", targets: ["Outliers"]),
        .executable(name: "outliers", targets: ["outliers"]),
    ],
    dependencies: [.package(name: "swiftbind", path: "../..")],
    targets: [
        .target(name: "Outliers",
                dependencies: [.product(name: "SwiftBindEmbed", package: "swiftbind")]),
        .executableTarget(name: "outliers", dependencies: ["Outliers"]),
    ]
)
