import SwiftBindEmbed

/// The Python module `outliers.py`, loaded once, called with Swift arrays.
///
/// ```swift
/// PythonInterpreter.start()
/// let total = try withGIL {
///     let detector = try OutlierDetector(moduleDirectory: "examples/outliers")
///     let found = try detector.detect(values, threshold: 3)   // no copy of `values`
///     return found.indices.reduce(0, +)                        // read in place
/// }
/// ```
///
/// Every member requires the GIL (``withGIL(_:)``), like the
/// ``PythonObject``s it holds.
public final class OutlierDetector {
    /// `outliers.detect`.
    public let detectFunction: PythonObject

    /// Imports `outliers` from `moduleDirectory` (put first on `sys.path`).
    ///
    /// - Throws: ``PythonException``: `ModuleNotFoundError` when the folder
    ///   has no `outliers.py`, `ImportError` without NumPy.
    public init(moduleDirectory: String) throws {
        let path = try Python.import("sys").path
        _ = try path.callMethod("insert", 0, moduleDirectory)
        detectFunction = try Python.import("outliers").detect
    }

    /// Runs `outliers.detect(values, threshold)` on `values`' own memory.
    ///
    /// - Returns: the result, whose ``Detection/indices`` view the NumPy
    ///   index array in place.
    /// - Throws: ``PythonException`` raised by the detector, or a
    ///   `TypeError` if it returned something other than a contiguous
    ///   int64 array.
    /// - Complexity: O(1) on the Swift side: the array is shared, not copied.
    public func detect(_ values: [Double], threshold: Double) throws -> Detection {
        let input = try NumPyHandOver.array(sharing: values)
        let result = try detectFunction.call(with: input, threshold)
        return Detection(input: input, indices: try PythonBuffer<Int>.convert(result, what: "outliers.detect() result"))
    }
}
