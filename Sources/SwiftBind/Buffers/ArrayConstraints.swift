// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// Shape and memory-order constraints of ``NDArrayView`` parameters, in the
// type (like nanobind's `ndarray<float, shape<-1, 3>, c_contig>`):
//
// ```swift
// m.def("centroid(points)") { (p: NDArrayView<Double, Shape2<-1, 3>, COrder>) in ... }
// ```
//
// `-1` is "any size".  Your own pattern is a type with `dimensions`:
// `enum RGBImage: ShapePattern { static let dimensions: [Int]? = [-1, -1, 3] }`.

/// The shape a parameter accepts: `dimensions` has one entry per
/// dimension, a size or `-1` for any; nil accepts any number of dimensions.
public protocol ShapePattern {
    static var dimensions: [Int]? { get }
}

/// Any shape, any number of dimensions.
public enum AnyShape: ShapePattern {
    public static var dimensions: [Int]? { nil }
}

/// One dimension of size `A` (`-1`: any).
@available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *)
public enum Shape1<let A: Int>: ShapePattern {
    public static var dimensions: [Int]? { [A] }
}

/// Two dimensions, `A` by `B` (`-1`: any): `Shape2<-1, 3>` is "n rows of 3".
@available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *)
public enum Shape2<let A: Int, let B: Int>: ShapePattern {
    public static var dimensions: [Int]? { [A, B] }
}

/// Three dimensions (`-1`: any size).
@available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *)
public enum Shape3<let A: Int, let B: Int, let C: Int>: ShapePattern {
    public static var dimensions: [Int]? { [A, B, C] }
}

/// Four dimensions (`-1`: any size).
@available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *)
public enum Shape4<let A: Int, let B: Int, let C: Int, let D: Int>: ShapePattern {
    public static var dimensions: [Int]? { [A, B, C, D] }
}

/// The memory layout a parameter accepts.
public protocol MemoryOrder {
    static var layout: ArrayLayout { get }
}

/// Which element strides an array may have.
public enum ArrayLayout: Sendable {
    /// Any strides (slices, transposes, negative steps).
    case any
    /// Row-major, one block (NumPy's default, `numpy.ascontiguousarray`).
    case c
    /// Column-major, one block (`numpy.asfortranarray`, Fortran/LAPACK).
    case f
}

/// Any strides.
public enum AnyOrder: MemoryOrder { public static var layout: ArrayLayout { .any } }
/// C-contiguous (row-major) only.
public enum COrder: MemoryOrder { public static var layout: ArrayLayout { .c } }
/// Fortran-contiguous (column-major) only.
public enum FOrder: MemoryOrder { public static var layout: ArrayLayout { .f } }

/// `(*, 3)`: a shape pattern as messages show it.
func patternText(_ dimensions: [Int]) -> String {
    let parts = dimensions.map { $0 < 0 ? "*" : String($0) }
    return parts.count == 1 ? "(\(parts[0]),)" : "(\(parts.joined(separator: ", ")))"
}

/// True when `shape` fits `pattern`.
func shapeMatches(_ shape: [Int], _ pattern: [Int]?) -> Bool {
    guard let pattern else { return true }
    return shape.count == pattern.count && zip(shape, pattern).allSatisfy { $1 < 0 || $0 == $1 }
}

/// True when byte `strides` lay `shape` out as one block in `layout`
/// (dimensions of size 1 may have any stride, as in NumPy).
func stridesMatch(_ shape: [Int], _ strides: [Int], itemSize: Int, _ layout: ArrayLayout) -> Bool {
    if shape.contains(0) { return true }
    let axes: [Int]
    switch layout {
    case .any: return true
    case .c: axes = Array(shape.indices.reversed())
    case .f: axes = Array(shape.indices)
    }
    var step = itemSize
    for axis in axes {
        if shape[axis] != 1 && strides[axis] != step { return false }
        step = step &* shape[axis]
    }
    return true
}
#endif
