import Testing
@testable import SwiftBind
import SwiftBindEmbed

/// NumPy both ways from Swift: a [Double] as a read-only ndarray without a
/// copy, a writable view only when asked for, an int64 result read in
/// place, and the one-call copy out.
@Suite struct EmbedNumPyTests {
    init() { TestInterpreter.ensure() }

    @Test func arrayViewIsZeroCopyAndReadOnly() throws {
        let values: [Double] = [1, 2, 3, 4]
        let address = values.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        try withGIL { () throws in
            let view = try values.numpyView()
            #expect(try Int(view.__array_interface__["data"][0]) == address)
            #expect(try String(view.dtype.name) == "float64")
            #expect(try Double(view.sum()) == 10)
            #expect(try !view.flags.writeable.isTrue())
            let ns = try Python.exec("""
            def poke(a):
                try:
                    a[0] = 99
                except ValueError as e:
                    return str(e)
            def unlock(a):
                try:
                    a.flags.writeable = True
                except ValueError as e:
                    return "refused"
            def writeable_through_dlpack(x):
                import numpy
                return numpy.from_dlpack(x).flags.writeable
            """)
            #expect(try String(ns["poke"].call(with: view)) == "assignment destination is read-only")
            #expect(try String(ns["unlock"].call(with: view)) == "refused")
            // Versioned DLPack carries the read-only flag (docs/buffers.md).
            #expect(try Bool(ns["writeable_through_dlpack"].call(with: view.base)) == false)
        }
        #expect(values == [1, 2, 3, 4])
    }

    @Test func viewsOfOtherElementTypes() throws {
        try withGIL { () throws in
            let f: [Float] = [1.5, 2.5], q: [Int64] = [-1, 1 << 40], i: [Int32] = [7, 8], b: [UInt8] = [255, 0]
            let cases: [(PythonObject, String, String)] = [
                (try f.numpyView(), "float32", "[1.5, 2.5]"), (try q.numpyView(), "int64", "[-1, 1099511627776]"),
                (try i.numpyView(), "int32", "[7, 8]"), (try b.numpyView(), "uint8", "[255, 0]"),
            ]
            for (view, dtype, values) in cases {
                #expect(try String(view.dtype.name) == dtype)
                #expect(try view.tolist().description == values)
                #expect(try !view.flags.writeable.isTrue())
                #expect(try String(Python.type(view.base).__name__) == "NDArray")
            }
            // A type NumPy's C API path does not cover goes through numpy.asarray.
            let h = try [Int16](arrayLiteral: 3, -3).numpyView()
            #expect(try String(h.dtype.name) == "int16")
            #expect(try h.tolist().description == "[3, -3]")
            #expect(try !h.flags.writeable.isTrue())
            let m = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3]).numpyView()
            #expect(try m.shape.debugDescription == "(2, 3)")
            #expect(try Double(m[1, 2]) == 6)
        }
    }

    @Test func writableViewOnlyWhenAsked() throws {
        var array = NDArray<Double>([0, 0, 0])
        try withGIL { () throws in
            let view = try array.numpyView(writable: true)
            let ns = try Python.exec("def fill(a):\n    a[:] = [7, 8, 9]\n")
            _ = try ns["fill"].call(with: view)
        }
        #expect(array.values == [7, 8, 9])
        array[0] = 1                                  // Swift writes copy first
        #expect(array.values == [1, 8, 9])
    }

    @Test func viewKeepsSwiftMemoryAliveAndFreesIt() throws {
        try withGIL { () throws in
            // The Swift array exists only inside the view.
            var view: PythonObject? = try [Double](repeating: 2, count: 1000).numpyView()
            let weakref = try Python.import("weakref")
            let exporter = try weakref.ref(view!.base)
            #expect(try Double(view!.sum()) == 2000)
            #expect(try !exporter().isNone)
            view = nil
            _ = view
            #expect(try exporter().isNone)         // the Swift memory went with it
        }
    }

    @Test func int64ResultReadInPlace() throws {
        try withGIL { () throws in
            let np = try Python.import("numpy")
            let result = try np.arange(0, 50, 5, dtype: "int64")
            let buffer = try PythonBuffer<Int64>(result)
            let address = buffer.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
            #expect(try Int(result.__array_interface__["data"][0]) == address)
            #expect(Array(buffer) == [0, 5, 10, 15, 20, 25, 30, 35, 40, 45])
            let e = try #require(throws: PythonException.self) { try PythonBuffer<Int64>(np.zeros(3)) }
            #expect(e.matches(.typeError))
            #expect(e.description.contains("buffer of int64"))
        }
    }

    @Test func copyOut() throws {
        try withGIL { () throws in
            let np = try Python.import("numpy")
            #expect(try [Double](numpy: np.linspace(0, 1, 5)) == [0, 0.25, 0.5, 0.75, 1])
            #expect(try [Double](numpy: np.arange(6).reshape(2, 3).T) == [0, 3, 1, 4, 2, 5])   // strided, int64
            #expect(try [Int32](numpy: np.array([1, 2], dtype: "int32")) == [1, 2])
            #expect(try [Double](numpy: [1, 2.5]) == [1, 2.5])
            let e = try #require(throws: PythonException.self) { try [Double](numpy: "text") }
            #expect(e.matches(.typeError))
            let big = try #require(throws: PythonException.self) { try [Int8](numpy: np.array([300])) }
            #expect(big.matches(.overflowError))
        }
    }

    @Test func numpyAsarrayIsLookedUpOncePerInterpreter() throws {
        try withGIL { () throws in
            let values: [Double] = [1, 2]
            _ = try values.numpyView()
            // The cache holds numpy.asarray for this interpreter; later
            // hand-overs use it (no import, no attribute lookup).
            let asarray = try Python.import("numpy").asarray
            #expect(NumPyCache.asarrayFunction == asarray.unsafePointer)
            #expect(NumPyCache.interpreter == PyInterpreterState_Get())
            #expect(NumPyCache.arrayAPI != nil)        // NumPy's C API makes the views
            #expect(try Double(values.numpyView().sum()) == 3)
            #expect(NumPyCache.asarrayFunction == asarray.unsafePointer)
        }
    }
}
