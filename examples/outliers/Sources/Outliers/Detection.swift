import SwiftBindEmbed

/// What ``OutlierDetector/detect(_:threshold:)`` returns: the index array
/// NumPy made, viewed in place, and the NumPy array that shared the input.
///
/// Requires the GIL while it is used; the view keeps the index array alive
/// (a Python buffer export) until the last copy of the `Detection` goes.
public struct Detection {
    /// The NumPy array over the Swift input's memory that `detect` got.
    public let input: PythonObject
    /// The indices of the outliers, ascending: a view of NumPy's int64 array.
    public let indices: PythonBuffer<Int>

    /// The indices copied into a Swift array.
    public var indexArray: [Int] { Array(indices) }
}
