// swift-tools-version:6.0
// The swiftbind peer of benchmarks/calls: extension module `sb_calls`.
// Built by benchmarks/calls/bench.py through swiftbind.builder.build_extension.
import PackageDescription
// The build tool sets SWIFTBIND_RUNTIME; the fallback (the repository root,
// which is the runtime package) serves editors in this checkout.
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? "../../.."
let package = Package(
    name: "sb_calls",
    products: [.library(name: "sb_calls", type: .dynamic, targets: ["sb_calls"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "sb_calls",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
