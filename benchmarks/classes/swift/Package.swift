// swift-tools-version:6.0
// The swiftbind peer of benchmarks/classes: extension module `sb_classes`.
import PackageDescription
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? "../../.."
let package = Package(
    name: "sb_classes",
    products: [.library(name: "sb_classes", type: .dynamic, targets: ["sb_classes"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "sb_classes",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
