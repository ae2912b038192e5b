// swift-tools-version:6.0
// The embed benchmark's `swiftbind` peer: a Swift program that embeds
// CPython through SwiftBindEmbed and calls examples/outliers' detector
// (its `Outliers` library) the way a user of the example would.
import PackageDescription

let package = Package(
    name: "EmbedSwift",
    dependencies: [
        .package(name: "swiftbind", path: "../../.."),
        .package(name: "outliers", path: "../../../examples/outliers"),
    ],
    targets: [
        .executableTarget(name: "EmbedSwift", dependencies: [
            .product(name: "SwiftBindEmbed", package: "swiftbind"),
            .product(name: "Outliers", package: "outliers"),
        ]),
    ]
)
