import SwiftBindEmbed

/// The one place where a Swift `[Double]` becomes a NumPy array, so that a
/// faster hand-over needs one edit here.
enum NumPyHandOver {
    /// A read-only `numpy.ndarray` over `values`' own buffer: no copy, O(1)
    /// (`Array.numpyView()`: NumPy's C API, `numpy.asarray` cached per
    /// interpreter).  The array keeps the buffer alive as long as Python
    /// holds it; the detector only reads it, and NumPy refuses writes.
    static func array(sharing values: [Double]) throws -> PythonObject {
        try values.numpyView()
    }
}
