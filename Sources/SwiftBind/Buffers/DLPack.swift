// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
// `__dlpack__` and `__dlpack_device__` of `swiftbind.NDArray`: hands the
// Swift memory to NumPy, PyTorch, JAX or CuPy (CPU) without copying.
//
// The capsule holds a `DLManagedTensor` (legacy, unversioned "dltensor")
// whose manager context is a retained `ExportedStorage`, not the Python
// object: consumers may call the deleter on any thread without the GIL, and
// releasing a Swift object needs no GIL.

private let capsuleName = StaticString("dltensor")
private let usedCapsuleName = StaticString("used_dltensor")

private func cString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// `__dlpack__(stream=None, max_version=None, dl_device=None, copy=None)`.
let dlpackMethod: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, args, kwargs in
    guard let storage = BufferExporterType.storage(of: object) else {
        PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray: no storage")
        return nil
    }
    if storage.readOnly {
        PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray: a read-only view of Swift memory has no DLPack export (DLPack cannot mark it read-only); use numpy.asarray(x)")
        return nil
    }
    if let args, sb_tuple_size(args) > 0 {
        PyErr_SetString(sb_exc_TypeError(), "__dlpack__() takes only keyword arguments")
        return nil
    }
    if let kwargs {
        if let stream = PyDict_GetItemString(kwargs, "stream"), stream != sb_None() {
            PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray lives on the CPU: stream must be None")
            return nil
        }
        if let copy = PyDict_GetItemString(kwargs, "copy"), copy == sb_True() {
            PyErr_SetString(sb_exc_BufferError(), "swiftbind.NDArray.__dlpack__ does not copy; call numpy.from_dlpack(x).copy()")
            return nil
        }
    }
    let managed = makeManagedTensor(storage)
    guard let capsule = PyCapsule_New(managed, cString(capsuleName), capsuleDestructor) else {
        deleteManagedTensor(managed)
        return nil
    }
    return capsule
}

/// `__dlpack_device__()`: `(kDLCPU, 0)`.
let dlpackDeviceMethod: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { _, _ in
    guard let tuple = PyTuple_New(2) else { return nil }
    // PyTuple_SET_ITEM steals the new references; small ints cannot fail.
    sb_tuple_set_steal(tuple, 0, PyLong_FromLong(1))   // kDLCPU
    sb_tuple_set_steal(tuple, 1, PyLong_FromLong(0))   // device 0
    return tuple
}

private func makeManagedTensor(_ storage: ExportedStorage) -> UnsafeMutablePointer<sb_DLManagedTensor> {
    let ndim = storage.ndim
    let sizes = UnsafeMutablePointer<Int64>.allocate(capacity: max(2 * ndim, 1))
    for i in 0..<ndim {
        sizes[i] = Int64(storage.shape[i])
        sizes[ndim + i] = Int64(storage.strides[i] / storage.itemSize)   // DLPack strides count elements
    }
    let code: UInt32
    switch storage.kind {
    case .signed: code = sb_kDLInt.rawValue
    case .unsigned: code = sb_kDLUInt.rawValue
    case .float: code = sb_kDLFloat.rawValue
    case .bool, .other: code = sb_kDLBool.rawValue
    }
    let managed = UnsafeMutablePointer<sb_DLManagedTensor>.allocate(capacity: 1)
    managed.initialize(to: sb_DLManagedTensor(
        dl_tensor: sb_DLTensor(
            data: storage.base,
            device: sb_DLDevice(device_type: Int32(sb_kDLCPU.rawValue), device_id: 0),
            ndim: Int32(ndim),
            dtype: sb_DLDataType(code: UInt8(code), bits: UInt8(storage.itemSize * 8), lanes: 1),
            shape: sizes, strides: sizes + ndim, byte_offset: 0),
        manager_ctx: Unmanaged.passRetained(storage).toOpaque(),
        deleter: deleteManagedTensor))
    return managed
}

/// The DLPack deleter: may run on any thread, with or without the GIL.
private let deleteManagedTensor: @convention(c) (UnsafeMutablePointer<sb_DLManagedTensor>?) -> Void = { managed in
    guard let managed else { return }
    if let context = managed.pointee.manager_ctx {
        Unmanaged<ExportedStorage>.fromOpaque(context).release()
    }
    managed.pointee.dl_tensor.shape?.deallocate()
    managed.deallocate()
}

/// Frees a capsule's tensor unless a consumer took it (and renamed the
/// capsule to "used_dltensor", taking over the deleter).
private let capsuleDestructor: @convention(c) (PyObjectPointer?) -> Void = { capsule in
    guard let capsule, PyCapsule_IsValid(capsule, cString(capsuleName)) != 0,
          let pointer = PyCapsule_GetPointer(capsule, cString(capsuleName)) else { return }
    let managed = pointer.assumingMemoryBound(to: sb_DLManagedTensor.self)
    managed.pointee.deleter?(managed)
}
#endif
