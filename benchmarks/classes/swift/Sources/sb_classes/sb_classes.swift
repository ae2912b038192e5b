// swiftbind peer of the classes benchmark (benchmarks/classes/bench.py):
// the same Counter as the hand-written C type peers/c_classes.c, as a Swift
// struct stored inline in the Python object.
import SwiftBind

struct Counter { var count: Int }

@_cdecl("PyInit_sb_classes")
public func PyInit_sb_classes() -> PythonModuleInit {
    PythonModule.define("sb_classes", doc: "swiftbind peer of the classes benchmark") { m in
        m.class(Counter.self, "Counter") { c in
            c.initializer("__init__(count)") { (count: Int) in Counter(count: count) }
            c.mutatingMethod("bump(by)") { (c: inout Counter, by: Int) in c.count += by; return c.count }
            c.property("count", get: { $0.count }, set: { $0.count = $1 })
            c.iterate { 0..<$0.count }
        }
    }
}
