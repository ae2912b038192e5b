// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// `__dlpack__` and `__dlpack_device__` of `swiftbind.NDArray`: hands the
// Swift memory to NumPy, PyTorch, JAX or CuPy (CPU) without copying.
//
// A consumer that passes `max_version >= (1, 0)` (NumPy 2, PyTorch 2.4+)
// gets a "dltensor_versioned" capsule holding a `DLManagedTensorVersioned`
// (version 1.0, `READ_ONLY` for read-only exports, `IS_COPIED` for
// `copy=True`); older consumers get the legacy "dltensor" capsule.  Either
// way the manager context is a retained `ExportedStorage`, not the Python
// object: consumers may call the deleter on any thread without the GIL, and
// releasing a Swift object needs no GIL.

func dlpackCString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}

let dlpackLegacyName: StaticString = "dltensor"
let dlpackVersionedName: StaticString = "dltensor_versioned"
let dlpackUsedLegacyName: StaticString = "used_dltensor"
let dlpackUsedVersionedName: StaticString = "used_dltensor_versioned"

/// `__dlpack__(*, stream=None, max_version=None, dl_device=None, copy=None)`.
let dlpackMethod: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, args, kwargs in
    guard let storage = BufferExporterType.storage(of: object) else {
        PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray: no storage")
        return nil
    }
    do {
        let request = try DLPackExportRequest(args: args, kwargs: kwargs)
        var exported = storage
        var flags: UInt64 = 0
        if request.copy == true {
            guard let copy = storage.copied() else {
                throw PythonException(.memoryError, "__dlpack__(copy=True): cannot allocate \(storage.byteCount) bytes for the copy")
            }
            exported = copy
            flags |= UInt64(SB_DLPACK_FLAG_BITMASK_IS_COPIED)
        } else if storage.isReadOnly {
            flags |= UInt64(SB_DLPACK_FLAG_BITMASK_READ_ONLY)
        }
        if request.versioned {
            return try makeVersionedCapsule(exported, flags: flags)
        }
        if flags & UInt64(SB_DLPACK_FLAG_BITMASK_READ_ONLY) != 0 {
            // A legacy tensor cannot say "read-only"; NumPy refuses the same way.
            throw PythonException(.bufferError,
                "this swiftbind.NDArray is read-only, and an unversioned DLPack capsule cannot say so: "
                + "the consumer must pass max_version=(1, 0) (NumPy 2, PyTorch 2.4+), or use copy=True")
        }
        return try makeLegacyCapsule(exported)
    } catch {
        return raiseInPython(error)
    }
}

/// `__dlpack_device__()`: `(kDLCPU, 0)`.
let dlpackDeviceMethod: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { _, _ in
    guard let tuple = PyTuple_New(2) else { return nil }
    // PyTuple_SET_ITEM steals the new references; small ints cannot fail.
    sb_tuple_set_steal(tuple, 0, PyLong_FromLong(1))   // kDLCPU
    sb_tuple_set_steal(tuple, 1, PyLong_FromLong(0))   // device 0
    return tuple
}

/// The DLPack description of an exported storage (data type, device, the
/// shape and element strides in one `2 * ndim` block that the deleter frees).
private func makeTensor(_ storage: ExportedStorage) -> sb_DLTensor {
    let ndim = storage.ndim
    let sizes = UnsafeMutablePointer<Int64>.allocate(capacity: max(2 * ndim, 1))
    for i in 0..<ndim {
        sizes[i] = Int64(storage.shape[i])
        sizes[ndim + i] = Int64(storage.strides[i] / storage.itemSize)   // DLPack strides count elements
    }
    return sb_DLTensor(
        data: storage.base,
        device: sb_DLDevice(device_type: Int32(sb_kDLCPU.rawValue), device_id: 0),
        ndim: Int32(ndim),
        dtype: DLPackDataType.of(kind: storage.kind, itemSize: storage.itemSize),
        shape: sizes, strides: sizes + ndim, byte_offset: 0)
}

private func makeLegacyCapsule(_ storage: ExportedStorage) throws -> PyObjectPointer {
    let managed = UnsafeMutablePointer<sb_DLManagedTensor>.allocate(capacity: 1)
    managed.initialize(to: sb_DLManagedTensor(
        dl_tensor: makeTensor(storage),
        manager_ctx: Unmanaged.passRetained(storage).toOpaque(),
        deleter: deleteLegacyTensor))
    guard let capsule = PyCapsule_New(managed, dlpackCString(dlpackLegacyName), legacyCapsuleDestructor) else {
        deleteLegacyTensor(managed)
        throw PythonException.fetch()
    }
    return capsule
}

private func makeVersionedCapsule(_ storage: ExportedStorage, flags: UInt64) throws -> PyObjectPointer {
    let managed = UnsafeMutablePointer<sb_DLManagedTensorVersioned>.allocate(capacity: 1)
    managed.initialize(to: sb_DLManagedTensorVersioned(
        version: sb_DLPackVersion(major: UInt32(SB_DLPACK_MAJOR_VERSION), minor: UInt32(SB_DLPACK_MINOR_VERSION)),
        manager_ctx: Unmanaged.passRetained(storage).toOpaque(),
        deleter: deleteVersionedTensor,
        flags: flags,
        dl_tensor: makeTensor(storage)))
    guard let capsule = PyCapsule_New(managed, dlpackCString(dlpackVersionedName), versionedCapsuleDestructor) else {
        deleteVersionedTensor(managed)
        throw PythonException.fetch()
    }
    return capsule
}

/// The DLPack deleters: may run on any thread, with or without the GIL
/// (they release a Swift object and free Swift-allocated blocks only).
private let deleteLegacyTensor: @convention(c) (UnsafeMutablePointer<sb_DLManagedTensor>?) -> Void = { managed in
    guard let managed else { return }
    if let context = managed.pointee.manager_ctx {
        Unmanaged<ExportedStorage>.fromOpaque(context).release()
    }
    managed.pointee.dl_tensor.shape?.deallocate()
    managed.deallocate()
}

private let deleteVersionedTensor: @convention(c) (UnsafeMutablePointer<sb_DLManagedTensorVersioned>?) -> Void = { managed in
    guard let managed else { return }
    if let context = managed.pointee.manager_ctx {
        Unmanaged<ExportedStorage>.fromOpaque(context).release()
    }
    managed.pointee.dl_tensor.shape?.deallocate()
    managed.deallocate()
}

/// Free a capsule's tensor unless a consumer took it (and renamed the
/// capsule to "used_dltensor[_versioned]", taking over the deleter).
private let legacyCapsuleDestructor: @convention(c) (PyObjectPointer?) -> Void = { capsule in
    guard let capsule, PyCapsule_IsValid(capsule, dlpackCString(dlpackLegacyName)) != 0,
          let pointer = PyCapsule_GetPointer(capsule, dlpackCString(dlpackLegacyName)) else { return }
    let managed = pointer.assumingMemoryBound(to: sb_DLManagedTensor.self)
    managed.pointee.deleter?(managed)
}

private let versionedCapsuleDestructor: @convention(c) (PyObjectPointer?) -> Void = { capsule in
    guard let capsule, PyCapsule_IsValid(capsule, dlpackCString(dlpackVersionedName)) != 0,
          let pointer = PyCapsule_GetPointer(capsule, dlpackCString(dlpackVersionedName)) else { return }
    let managed = pointer.assumingMemoryBound(to: sb_DLManagedTensorVersioned.self)
    managed.pointee.deleter?(managed)
}
#endif
