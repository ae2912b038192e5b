// swift-tools-version:6.0
// The swiftbind module of benchmarks/parallel: extension module `sb_parallel`.
// Built by benchmarks/parallel/bench.py through swiftbind.builder.build_extension.
import PackageDescription
// The build tool sets SWIFTBIND_RUNTIME; the fallback (the repository root,
// which is the runtime package) serves editors in this checkout.
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? "../../.."
let package = Package(
    name: "sb_parallel",
    products: [.library(name: "sb_parallel", type: .dynamic, targets: ["sb_parallel"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "sb_parallel",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
