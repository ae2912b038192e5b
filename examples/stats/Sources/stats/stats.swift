import SwiftBind

// stats: mean, population variance and population standard deviation, over
// a Python list of numbers (walked with the C API's fast paths) or over a
// float64 buffer (SIMD, GIL released for large arrays).

@_cdecl("PyInit_stats")
public func PyInit_stats() -> PythonModuleInit {
    PythonModule.define("stats", doc: "mean / var / std (population) in Swift.") { m in
        m.def("mean(data)", doc: "Arithmetic mean of a list (or tuple) of numbers.") { (data: Numbers) in
            try moments(of: data, "mean").mean
        }
        m.def("var(data)", doc: "Population variance of a list (or tuple) of numbers.") { (data: Numbers) in
            try moments(of: data, "var").variance
        }
        m.def("std(data)", doc: "Population standard deviation of a list (or tuple) of numbers.") { (data: Numbers) in
            try moments(of: data, "std").variance.squareRoot()
        }
        m.def("mean_buffer(data)", doc: "Mean of a float64 buffer (numpy array, array('d'), ...), no copy.") {
            (data: PythonBuffer<Double>) in try moments(of: data, "mean_buffer").mean
        }
        m.def("var_buffer(data)", doc: "Population variance of a float64 buffer, no copy.") {
            (data: PythonBuffer<Double>) in try moments(of: data, "var_buffer").variance
        }
        m.def("std_buffer(data)", doc: "Population standard deviation of a float64 buffer, no copy.") {
            (data: PythonBuffer<Double>) in try moments(of: data, "std_buffer").variance.squareRoot()
        }
    }
}

/// Below this many elements, releasing the GIL costs more than it gives.
let releaseGILAbove = 1 << 16

func moments(of data: Numbers, _ name: String) throws -> Moments {
    guard !data.values.isEmpty else { throw PythonException.valueError("\(name)() requires at least one data point") }
    return data.values.withUnsafeBufferPointer { Moments.twoPass($0) }
}

func moments(of data: PythonBuffer<Double>, _ name: String) throws -> Moments {
    guard data.count > 0 else { throw PythonException.valueError("\(name)() requires at least one data point") }
    if data.count < releaseGILAbove { return data.withUnsafeBufferPointer { Moments.twoPass($0) } }
    return data.withoutGIL { Moments.twoPass($0) }
}
