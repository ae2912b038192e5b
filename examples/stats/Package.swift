// swift-tools-version:6.0
import PackageDescription
// The build tool sets SWIFTBIND_RUNTIME; the fallback serves editors.
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? ".swiftbind-runtime"
let package = Package(
    name: "stats",
    products: [.library(name: "stats", type: .dynamic, targets: ["stats"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "stats",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
