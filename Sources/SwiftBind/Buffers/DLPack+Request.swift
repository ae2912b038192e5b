// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// The arguments of `__dlpack__` (array API standard, 2023.12) and the
// DLPack data type of an element kind.

/// What a consumer asked `__dlpack__` for.
struct DLPackExportRequest {
    /// `max_version >= (1, 0)`: the consumer reads `DLManagedTensorVersioned`.
    var versioned = false
    /// `copy`: nil (copy only if needed, which is never on the CPU), true
    /// (always copy), false (never copy).
    var copy: Bool? = nil

    /// Reads the keywords; anything positional, unknown or malformed is a
    /// `TypeError`, a device or stream this CPU exporter cannot serve a
    /// `BufferError` (as the standard says).
    ///
    /// The corresponding C function is `PyDict_Next`.
    init(args: PyObjectPointer?, kwargs: PyObjectPointer?) throws {
        if let args, sb_tuple_size(args) > 0 {
            throw PythonException.typeError("__dlpack__() takes only keyword arguments (stream, max_version, dl_device, copy)")
        }
        guard let kwargs else { return }
        var position = 0
        var key: PyObjectPointer? = nil
        var value: PyObjectPointer? = nil
        // SAFETY: borrowed keys and values of a dict nothing else touches
        // while this loop runs (no Python code runs inside it).
        while PyDict_Next(kwargs, &position, &key, &value) != 0 {
            guard let key, let value else { continue }
            let name = (try? String.fromPython(BorrowedObject(key))) ?? "?"
            let isNone = value == sb_None()
            switch name {
            case "stream":
                if !isNone {
                    throw PythonException(.bufferError, "swiftbind.NDArray lives on the CPU: stream must be None")
                }
            case "max_version":
                if !isNone { versioned = try Self.version(value).major >= 1 }
            case "dl_device":
                if !isNone {
                    let device = try Self.pair(value, what: "dl_device")
                    guard device == (1, 0) else {
                        throw PythonException(.bufferError,
                            "swiftbind.NDArray lives on the CPU (1, 0) and cannot be exported to device \(tupleText([device.0, device.1]))")
                    }
                }
            case "copy":
                if value == sb_True() { copy = true }
                else if value == sb_False() { copy = false }
                else if !isNone {
                    throw PythonException.typeError("__dlpack__() argument 'copy' must be True, False or None, not \(value.typeName)")
                }
            default:
                throw PythonException.typeError("__dlpack__() got an unexpected keyword argument '\(name)'")
            }
        }
    }

    private static func version(_ value: PyObjectPointer) throws -> (major: Int, minor: Int) {
        let (major, minor) = try pair(value, what: "max_version")
        return (major, minor)
    }

    /// A tuple of two ints (`(1, 0)`); anything else is a `TypeError`.
    private static func pair(_ value: PyObjectPointer, what: String) throws -> (Int, Int) {
        guard sb_tuple_check(value) != 0, sb_tuple_size(value) == 2,
              let a = try? Int.fromPython(BorrowedObject(sb_tuple_get(value, 0).unsafelyUnwrapped)),
              let b = try? Int.fromPython(BorrowedObject(sb_tuple_get(value, 1).unsafelyUnwrapped)) else {
            if PyErr_Occurred() != nil { PyErr_Clear() }
            throw PythonException.typeError("__dlpack__() argument '\(what)' must be a tuple of two ints, not \(value.typeName)")
        }
        return (a, b)
    }
}

/// DLPack type codes for ``BufferFormat/Kind`` (`kDLInt`, `kDLUInt`,
/// `kDLFloat`, `kDLBool`).
enum DLPackDataType {
    static func of(kind: BufferFormat.Kind, itemSize: Int) -> sb_DLDataType {
        let code: UInt32
        switch kind {
        case .signed: code = sb_kDLInt.rawValue
        case .unsigned: code = sb_kDLUInt.rawValue
        case .float: code = sb_kDLFloat.rawValue
        case .bool, .other: code = sb_kDLBool.rawValue
        }
        return sb_DLDataType(code: UInt8(code), bits: UInt8(itemSize * 8), lanes: 1)
    }

    /// True when a tensor of `type` holds elements of `E`.
    static func matches<E: BufferElement>(_ type: sb_DLDataType, _ element: E.Type) -> Bool {
        let expected = of(kind: E.bufferKind, itemSize: MemoryLayout<E>.size)
        return type.code == expected.code && type.bits == expected.bits && type.lanes == 1
    }

    /// How a DLPack data type reads in messages (`float32`, `bfloat16`).
    static func name(_ type: sb_DLDataType) -> String {
        let lanes = type.lanes == 1 ? "" : "x\(type.lanes)"
        switch UInt32(type.code) {
        case sb_kDLInt.rawValue: return "int\(type.bits)\(lanes)"
        case sb_kDLUInt.rawValue: return "uint\(type.bits)\(lanes)"
        case sb_kDLFloat.rawValue: return "float\(type.bits)\(lanes)"
        case sb_kDLBool.rawValue: return "bool\(lanes)"
        case 3: return "opaque handle"
        case 4: return "bfloat\(type.bits)\(lanes)"
        case 5: return "complex\(type.bits)\(lanes)"
        default: return "DLPack type code \(type.code) of \(type.bits) bits"
        }
    }
}
#endif
