import SwiftBind

/// A list or tuple of Python numbers read into Swift doubles in one pass.
///
/// The walk uses the C API directly (the runtime's escape hatch
/// `unsafePointer`): `PyList_GET_ITEM`, then `PyFloat_AS_DOUBLE` for exact
/// floats and `PyLong_AsDouble` for exact ints; anything else (bool, NumPy
/// scalars, objects with `__float__`) goes through the runtime's `Double`
/// conversion, which also writes the error message for a non-number, with
/// the item's index (`std() argument 'data' item [3] must be float, not str`).
struct Numbers: FromPython {
    var values: [Double]

    static var pythonTypeName: String { "list[float]" }

    static func fromPython(_ object: BorrowedObject) throws -> Numbers {
        let p = object.unsafePointer
        let isList = sb_list_check(p) != 0
        guard isList || sb_tuple_check(p) != 0 else {
            // Any other iterable: let the runtime convert it (one copy).
            return Numbers(values: try [Double].fromPython(object))
        }
        // SAFETY: the list's size is read once; converting an exact int or
        // float runs no Python code, and the slow path (which may) re-checks.
        let n = isList ? sb_list_size(p) : sb_tuple_size(p)
        let values = try [Double](unsafeUninitializedCapacity: n) { out, initialized in
            var i = 0
            while i < n {
                if isList && i >= sb_list_size(p) { break }   // shrunk by a __float__ in the slow path
                let item = isList ? sb_list_get(p, i)! : sb_tuple_get(p, i)!
                out[i] = try number(item, at: i)
                i += 1
                initialized = i
            }
        }
        return Numbers(values: values)
    }

    @inline(__always)
    static func number(_ item: PyObjectPointer, at index: Int) throws -> Double {
        if sb_float_check_exact(item) != 0 { return sb_float_as_double(item) }
        if sb_long_check_exact(item) != 0 {
            let v = PyLong_AsDouble(item)
            if v != -1.0 { return v }
        }
        return try slowNumber(item, at: index)
    }

    @inline(never)
    static func slowNumber(_ item: PyObjectPointer, at index: Int) throws -> Double {
        do { return try Double.fromPython(BorrowedObject(item)) }
        catch let e as ConversionError { throw e.at("[\(index)]") }
    }
}
