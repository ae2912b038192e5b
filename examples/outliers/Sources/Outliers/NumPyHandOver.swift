import SwiftBindEmbed

/// The one place where a Swift `[Double]` becomes a NumPy array, so that a
/// faster hand-over needs one edit here.
enum NumPyHandOver {
    /// A `numpy.ndarray` over `values`' own buffer: no copy.  The array
    /// keeps the buffer alive as long as Python holds it.
    ///
    /// Today's runtime goes through a `swiftbind.NDArray` exporter and
    /// `numpy.asarray` (importing `numpy` by name on every call).
    static func array(sharing values: [Double]) throws -> PythonObject {
        try NDArray(values).numpy.pythonObject()
    }
}
