// swiftbind peer of the calls benchmark (benchmarks/calls/bench.py):
// the same four functions as the hand-written C extension peers/c_calls.c.
import SwiftBind

@_cdecl("PyInit_sb_calls")
public func PyInit_sb_calls() -> PythonModuleInit {
    PythonModule.define("sb_calls", doc: "swiftbind peer of the calls benchmark") { m in
        m.def("noop()") { () in }
        m.def("add(a, b)") { (a: Int, b: Int) in a + b }
        m.def("scale(x)") { (x: Double) in x * 2.5 }
        m.def("kw(a, b=2, *, c=3)") { (a: Int, b: Int, c: Int) in a + b + c }
    }
}
