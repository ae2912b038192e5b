// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// An ``NDArray`` returned to Python as a `numpy.ndarray` over the Swift
/// memory (no copy): `numpy.asarray` of the exporter object, so the NumPy
/// array's `.base` keeps the Swift storage alive.
///
/// ```swift
/// m.def("ramp(n)") { (n: Int) in NDArray((0..<n).map(Double.init)).numpy }
/// ```
///
/// NumPy is imported on first use (once per interpreter); without NumPy the
/// call raises ImportError.
public struct NumPyArray<Element: BufferElement>: ToPython {
    public let array: NDArray<Element>

    public init(_ array: NDArray<Element>) { self.array = array }

    /// The corresponding C function is `PyObject_CallOneArg` on `numpy.asarray`
    /// (looked up once per interpreter, ``NumPyCache``).
    public func toPython() throws -> NewReference {
        let exporter = try array.toPython()
        return NewReference(owning: try checkedNew(callOneArg(try NumPyCache.asarray(), exporter.pointer)))
    }
}
#endif
