// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// Checking a shape before memory is made for it: the numbers come from
// Python (a list's nesting, a buffer's shape, a caller's `n`), so a bad one
// is an exception NumPy would raise, never a trap.

/// The most dimensions an array may have: NumPy 2's `NPY_MAXDIMS` and the
/// buffer protocol's `PyBUF_MAX_NDIM` (NumPy 1 allowed 32).
let maximumArrayDimensions = 64

/// Why a shape, or the memory for it, was refused.  Conversions turn it into
/// a ``ConversionError`` (so the message names the parameter); public
/// initialisers into a ``PythonException``.
@usableFromInline
enum ShapeError: Error {
    case tooManyDimensions(Int)
    case negativeDimension([Int])
    /// `size * itemsize` does not fit in `Int` (NumPy: "array is too big").
    case tooBig([Int], dtype: String)
    case countMismatch(count: Int, shape: [Int])
    case outOfMemory(bytes: Int, shape: [Int], dtype: String)

    var message: String {
        switch self {
        case .tooManyDimensions(let n):
            return "maximum supported dimension for an array is \(maximumArrayDimensions), found \(n)"
        case .negativeDimension(let shape):
            return "negative dimensions are not allowed, got shape \(tupleText(shape))"
        case .tooBig(let shape, let dtype):
            return "array is too big: shape \(tupleText(shape)) of \(dtype) is more than \(Int.max) bytes"
        case .countMismatch(let count, let shape):
            return "\(count) values do not fill shape \(tupleText(shape))"
        case .outOfMemory(let bytes, let shape, let dtype):
            return "unable to allocate \(byteText(bytes)) for an array with shape \(tupleText(shape)) and data type \(dtype)"
        }
    }

    var exceptionType: ExceptionType {
        if case .outOfMemory = self { return .memoryError }
        return .valueError
    }

    /// For a conversion: the trampoline puts the parameter in front.
    var conversionError: ConversionError { ConversionError(.invalidValue(message, exceptionType)) }

    /// For a public initialiser: says which type refused.
    var pythonException: PythonException { PythonException(exceptionType, "NDArray: \(message)") }
}

/// The number of elements of `shape`, checked the way NumPy checks a new
/// array: at most ``maximumArrayDimensions`` dimensions, none negative, and
/// the product of the non-zero sizes times `itemSize` within `Int`.
///
/// Complexity: O(`shape.count`); no arithmetic in it can trap.
@usableFromInline
func checkedElementCount(_ shape: [Int], itemSize: Int, dtype: @autoclosure () -> String) throws(ShapeError) -> Int {
    guard shape.count <= maximumArrayDimensions else { throw .tooManyDimensions(shape.count) }
    guard shape.allSatisfy({ $0 >= 0 }) else { throw .negativeDimension(shape) }
    var product = 1
    var hasZero = false
    for n in shape {
        if n == 0 { hasZero = true; continue }
        let (p, overflow) = product.multipliedReportingOverflow(by: n)
        if overflow { throw .tooBig(shape, dtype: dtype()) }
        product = p
    }
    if product.multipliedReportingOverflow(by: max(itemSize, 1)).overflow { throw .tooBig(shape, dtype: dtype()) }
    return hasZero ? 0 : product
}

/// `bytes` as NumPy writes a size in its MemoryError (`"8.00 EiB"`).
func byteText(_ bytes: Int) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    if unit == 0 { return "\(bytes) bytes" }
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) \(units[unit])"
}
#endif
