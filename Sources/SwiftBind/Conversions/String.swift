// Python str <-> String, as UTF-8.
//
// A str holding a lone surrogate has no UTF-8 form; it raises UnicodeError
// (a ValueError) naming the parameter.  Non-BMP text round-trips.

extension String: PythonConvertible {
    public static var pythonTypeName: String { "str" }

    @inlinable
    public static func fromPython(_ object: BorrowedObject) throws -> String {
        let p = object.unsafePointer
        guard sb_unicode_check(p) != 0 else {
            throw ConversionError.wrongType(expected: "str", got: object)
        }
        var size = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(p, &size) else {
            if PyErr_ExceptionMatches(sb_exc_UnicodeEncodeError()) != 0 {
                PyErr_Clear()
                throw ConversionError(.invalidValue(
                    "str contains a lone surrogate, which has no UTF-8 form", .unicodeError))
            }
            throw PythonException.fetch()
        }
        // SAFETY: CPython keeps the UTF-8 buffer alive with the str object,
        // which the caller holds for the duration of this call.
        let bytes = UnsafeRawBufferPointer(start: utf8, count: size)
        return String(decoding: bytes, as: UTF8.self)
    }

    @inlinable
    public func toPython() throws -> NewReference {
        var copy = self
        let made = copy.withUTF8 { buf in
            PyUnicode_FromStringAndSize(UnsafeRawPointer(buf.baseAddress)?.assumingMemoryBound(to: CChar.self), buf.count)
        }
        return NewReference(owning: try checkedNew(made))
    }
}

extension Substring: ToPython {
    @inlinable
    public func toPython() throws -> NewReference { try String(self).toPython() }
}
