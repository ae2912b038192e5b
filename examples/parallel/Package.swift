// swift-tools-version:6.0
import PackageDescription
// The build tool sets SWIFTBIND_RUNTIME; the fallback serves editors.
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? ".swiftbind-runtime"
let package = Package(
    name: "primes",
    products: [.library(name: "primes", type: .dynamic, targets: ["primes"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "primes",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
