// swift-tools-version:6.0
import PackageDescription
// The build tool sets SWIFTBIND_RUNTIME; the fallback (this checkout's root,
// which is the runtime package) serves editors and plain `swift build`.
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? "../.."
let package = Package(
    name: "hello",
    products: [.library(name: "hello", type: .dynamic, targets: ["hello"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "hello",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
