// Python's operators on PythonObject.  Each one throws what Python raises
// (`try a + b`: a TypeError for unsupported operands, ZeroDivisionError…),
// where PythonKit traps.  Compound assignment (`try a += b`) uses Python's
// in-place operator (`__iadd__`), so a list grows in place as in Python.
//
// Each operator wraps one C function, named in its comment.

extension PythonObject {
    /// `a + b`.  The corresponding C function is `PyNumber_Add`.
    @inlinable
    public static func + (a: PythonObject, b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Add(a.unsafePointer, b.unsafePointer)))
    }

    /// `a += b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceAdd`.
    @inlinable
    public static func += (a: inout PythonObject, b: PythonObject) throws {
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceAdd(a.unsafePointer, b.unsafePointer)))
    }

    /// `a - b`.  The corresponding C function is `PyNumber_Subtract`.
    @inlinable
    public static func - (a: PythonObject, b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Subtract(a.unsafePointer, b.unsafePointer)))
    }

    /// `a -= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceSubtract`.
    @inlinable
    public static func -= (a: inout PythonObject, b: PythonObject) throws {
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceSubtract(a.unsafePointer, b.unsafePointer)))
    }

    /// `a * b`.  The corresponding C function is `PyNumber_Multiply`.
    @inlinable
    public static func * (a: PythonObject, b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Multiply(a.unsafePointer, b.unsafePointer)))
    }

    /// `a *= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceMultiply`.
    @inlinable
    public static func *= (a: inout PythonObject, b: PythonObject) throws {
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceMultiply(a.unsafePointer, b.unsafePointer)))
    }

    /// `a / b`.  The corresponding C function is `PyNumber_TrueDivide`.
    @inlinable
    public static func / (a: PythonObject, b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_TrueDivide(a.unsafePointer, b.unsafePointer)))
    }

    /// `a /= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceTrueDivide`.
    @inlinable
    public static func /= (a: inout PythonObject, b: PythonObject) throws {
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceTrueDivide(a.unsafePointer, b.unsafePointer)))
    }

    /// `a % b`.  The corresponding C function is `PyNumber_Remainder`.
    @inlinable
    public static func % (a: PythonObject, b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Remainder(a.unsafePointer, b.unsafePointer)))
    }

    /// `a %= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceRemainder`.
    @inlinable
    public static func %= (a: inout PythonObject, b: PythonObject) throws {
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceRemainder(a.unsafePointer, b.unsafePointer)))
    }

    /// `a & b`.  The corresponding C function is `PyNumber_And`.
    @inlinable
    public static func & (a: PythonObject, b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_And(a.unsafePointer, b.unsafePointer)))
    }

    /// `a &= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceAnd`.
    @inlinable
    public static func &= (a: inout PythonObject, b: PythonObject) throws {
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceAnd(a.unsafePointer, b.unsafePointer)))
    }

    /// `a | b`.  The corresponding C function is `PyNumber_Or`.
    @inlinable
    public static func | (a: PythonObject, b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Or(a.unsafePointer, b.unsafePointer)))
    }

    /// `a |= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceOr`.
    @inlinable
    public static func |= (a: inout PythonObject, b: PythonObject) throws {
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceOr(a.unsafePointer, b.unsafePointer)))
    }

    /// `a ^ b`.  The corresponding C function is `PyNumber_Xor`.
    @inlinable
    public static func ^ (a: PythonObject, b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Xor(a.unsafePointer, b.unsafePointer)))
    }

    /// `a ^= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceXor`.
    @inlinable
    public static func ^= (a: inout PythonObject, b: PythonObject) throws {
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceXor(a.unsafePointer, b.unsafePointer)))
    }

    // The shifts are generic over the right side, like the standard
    // library's integer shifts: a non-generic PythonObject overload would
    // outrank those, and `let n = 1 << 16` in a module that imports
    // SwiftBind would become a PythonObject (and need `try`).

    /// `a << b`.  The corresponding C function is `PyNumber_Lshift`.
    @inlinable
    public static func << <Shift: ToPython>(a: PythonObject, b: Shift) throws -> PythonObject {
        let shift = PythonObject(owning: try b.toPython().take())
        return PythonObject(owning: try checkedNew(PyNumber_Lshift(a.unsafePointer, shift.unsafePointer)))
    }

    /// `a <<= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceLshift`.
    @inlinable
    public static func <<= <Shift: ToPython>(a: inout PythonObject, b: Shift) throws {
        let shift = PythonObject(owning: try b.toPython().take())
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceLshift(a.unsafePointer, shift.unsafePointer)))
    }

    /// `a >> b`.  The corresponding C function is `PyNumber_Rshift`.
    @inlinable
    public static func >> <Shift: ToPython>(a: PythonObject, b: Shift) throws -> PythonObject {
        let shift = PythonObject(owning: try b.toPython().take())
        return PythonObject(owning: try checkedNew(PyNumber_Rshift(a.unsafePointer, shift.unsafePointer)))
    }

    /// `a >>= b` (in place when the type supports it).  The corresponding C function is `PyNumber_InPlaceRshift`.
    @inlinable
    public static func >>= <Shift: ToPython>(a: inout PythonObject, b: Shift) throws {
        let shift = PythonObject(owning: try b.toPython().take())
        a = PythonObject(owning: try checkedNew(PyNumber_InPlaceRshift(a.unsafePointer, shift.unsafePointer)))
    }

    /// `a // b`.  The corresponding C function is `PyNumber_FloorDivide`.
    public func floorDivided(by b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_FloorDivide(unsafePointer, b.unsafePointer)))
    }

    /// `a ** b` (or `pow(a, b, modulo)`).  The corresponding C function is `PyNumber_Power`.
    public func power(_ b: PythonObject, modulo: PythonObject? = nil) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Power(unsafePointer, b.unsafePointer,
                                                           modulo?.unsafePointer ?? sb_None())))
    }

    /// `a @ b`.  The corresponding C function is `PyNumber_MatrixMultiply`.
    public func matmul(_ b: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_MatrixMultiply(unsafePointer, b.unsafePointer)))
    }

    /// `-a`.  The corresponding C function is `PyNumber_Negative`.
    @inlinable
    public static prefix func - (a: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Negative(a.unsafePointer)))
    }

    /// `+a`.  The corresponding C function is `PyNumber_Positive`.
    @inlinable
    public static prefix func + (a: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Positive(a.unsafePointer)))
    }

    /// `~a`.  The corresponding C function is `PyNumber_Invert`.
    @inlinable
    public static prefix func ~ (a: PythonObject) throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Invert(a.unsafePointer)))
    }

    /// `abs(a)`.  The corresponding C function is `PyNumber_Absolute`.
    public func absolute() throws -> PythonObject {
        PythonObject(owning: try checkedNew(PyNumber_Absolute(unsafePointer)))
    }
}
