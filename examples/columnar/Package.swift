// swift-tools-version:6.0
import PackageDescription
// The build tool sets SWIFTBIND_RUNTIME; the fallback serves editors.
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? ".swiftbind-runtime"
let package = Package(
    name: "columnar",
    products: [.library(name: "columnar", type: .dynamic, targets: ["columnar"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "columnar",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
