// swift-tools-version:6.0
import PackageDescription
// The build tool sets SWIFTBIND_RUNTIME; the fallback serves editors.
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? ".swiftbind-runtime"
let package = Package(
    name: "bf",
    products: [.library(name: "_bf", type: .dynamic, targets: ["bf"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "bf",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
