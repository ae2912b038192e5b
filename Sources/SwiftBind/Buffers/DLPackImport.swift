// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// One DLPack tensor taken from a producer (`x.__dlpack__(...)`), whose
/// deleter runs exactly once, when the last view of it goes away.
///
/// The consumer's side of the protocol: ask for `max_version=(1, 0)` and
/// fall back to a bare `__dlpack__()` for producers that predate it (a
/// `TypeError` on the keyword); accept a "dltensor_versioned" capsule of
/// major version 1 or a legacy "dltensor" one; rename the capsule to
/// "used_dltensor[_versioned]" so that its destructor leaves the tensor
/// alone, and call the tensor's deleter ourselves.
///
/// SAFETY: made with the GIL held; not `Sendable`.  The deleter is called
/// with the GIL held (taken first if this dies on a thread without it),
/// since a Python producer's deleter may release Python objects.
@usableFromInline
final class DLPackImport {
    private let legacy: UnsafeMutablePointer<sb_DLManagedTensor>?
    private let versioned: UnsafeMutablePointer<sb_DLManagedTensorVersioned>?
    /// `(major, minor)` of a versioned tensor; nil for a legacy one.
    let version: (major: Int, minor: Int)?

    var tensor: sb_DLTensor { versioned?.pointee.dl_tensor ?? legacy.unsafelyUnwrapped.pointee.dl_tensor }
    var isReadOnly: Bool { (versioned?.pointee.flags ?? 0) & UInt64(SB_DLPACK_FLAG_BITMASK_READ_ONLY) != 0 }
    var isCopied: Bool { (versioned?.pointee.flags ?? 0) & UInt64(SB_DLPACK_FLAG_BITMASK_IS_COPIED) != 0 }

    /// Takes the tensor out of `object`'s `__dlpack__`.  Throws a
    /// ``ConversionError`` (the caller adds the parameter name): `TypeError`
    /// when `object` is no DLPack producer or returns no DLPack capsule,
    /// `BufferError` for a device other than the CPU, a stream we cannot
    /// give, or a major version this consumer does not read.
    init(taking object: BorrowedObject, expected: String) throws {
        let producer = PythonObject(borrowing: object.unsafePointer)
        guard producer.hasAttribute("__dlpack__") else {
            throw ConversionError.wrongType(expected: expected, got: object)
        }
        if producer.hasAttribute("__dlpack_device__") {
            let device = try Self.describing(object) { try producer.callMethod("__dlpack_device__") }
            let type = (try? Int.fromPython(device.item(0).borrowed)) ?? -1
            let id = (try? Int.fromPython(device.item(1).borrowed)) ?? -1
            guard type == Int(sb_kDLCPU.rawValue) else {
                throw ConversionError(.invalidValue(
                    "needs a tensor on the CPU (DLPack device (1, 0)), but this \(object.pythonTypeName) is on device (\(type), \(id)) "
                    + "(move it first, e.g. x.cpu())", .bufferError))
            }
        }
        let capsule: PythonObject
        do {
            capsule = try producer.attribute("__dlpack__").call(kwargs: ["max_version": PythonTuple(1, 0)])
        } catch let e as PythonException where e.matches(.typeError) {
            // A producer from before DLPack 1.0 takes no max_version.
            capsule = try Self.describing(object) { try producer.callMethod("__dlpack__") }
        } catch let e as PythonException {
            throw ConversionError(.invalidValue("could not get a DLPack tensor from \(object.pythonTypeName): \(e)", .bufferError))
        }
        let p = capsule.unsafePointer
        if PyCapsule_IsValid(p, dlpackCString(dlpackVersionedName)) != 0 {
            let managed = PyCapsule_GetPointer(p, dlpackCString(dlpackVersionedName))
                .unsafelyUnwrapped.assumingMemoryBound(to: sb_DLManagedTensorVersioned.self)
            let major = Int(managed.pointee.version.major)
            guard major == 1 else {
                // Not renamed: the capsule's destructor frees it.
                throw ConversionError(.invalidValue(
                    "\(object.pythonTypeName) gave a DLPack \(major).\(managed.pointee.version.minor) tensor; this consumer reads major version 1",
                    .bufferError))
            }
            try checkedStatus(PyCapsule_SetName(p, dlpackCString(dlpackUsedVersionedName)))
            versioned = managed
            legacy = nil
            version = (major, Int(managed.pointee.version.minor))
        } else if PyCapsule_IsValid(p, dlpackCString(dlpackLegacyName)) != 0 {
            let managed = PyCapsule_GetPointer(p, dlpackCString(dlpackLegacyName))
                .unsafelyUnwrapped.assumingMemoryBound(to: sb_DLManagedTensor.self)
            try checkedStatus(PyCapsule_SetName(p, dlpackCString(dlpackUsedLegacyName)))
            legacy = managed
            versioned = nil
            version = nil
        } else {
            if PyErr_Occurred() != nil { PyErr_Clear() }   // PyCapsule_IsValid sets none, but be sure
            throw ConversionError(.wrongType(expected: "a DLPack capsule from __dlpack__",
                                             got: "\(object.pythonTypeName).__dlpack__() returning \(capsule.pythonTypeName)"))
        }
        // From here on this object owns the tensor: every later failure
        // (wrong dtype, shape) runs the deleter once, in deinit.
        guard tensor.device.device_type == Int32(sb_kDLCPU.rawValue) else {
            throw ConversionError(.invalidValue(
                "needs a tensor on the CPU (DLPack device (1, 0)), but this \(object.pythonTypeName) gave one on device "
                + "(\(tensor.device.device_type), \(tensor.device.device_id))", .bufferError))
        }
    }

    /// Runs a producer call; its Python exception becomes a `BufferError`
    /// conversion error that names the producer.
    private static func describing(_ object: BorrowedObject, _ body: () throws -> PythonObject) throws -> PythonObject {
        do { return try body() }
        catch let e as PythonException {
            throw ConversionError(.invalidValue("could not get a DLPack tensor from \(object.pythonTypeName): \(e)", .bufferError))
        }
    }

    deinit {
        let legacy = legacy, versioned = versioned
        let delete = {
            if let versioned { versioned.pointee.deleter?(versioned) }
            if let legacy { legacy.pointee.deleter?(legacy) }
        }
        if sb_thread_has_gil() != 0 { delete() } else { withGIL { delete() } }
    }
}
#endif
