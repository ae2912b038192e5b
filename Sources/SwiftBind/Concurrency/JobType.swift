/// The Python type of the objects that job functions (`m.job`) and async
/// functions return: `Job`.
///
/// ```python
/// job = mod.long_task(10_000_000)     # returns at once; Swift works on a thread
/// job.progress, job.message           # 0.0-1.0, optional text
/// job.on_progress(lambda p, msg: …)   # called from the worker with the GIL
/// job.done(); job.cancel(); job.cancelled()
/// job.result(timeout=None)            # blocks with the GIL released
/// await job                           # inside asyncio, without blocking the loop
/// ```
///
/// Layout: the object header, then a retained ``JobState`` (shared with the
/// worker), then the converted result once someone asked for it (so
/// `job.result() is job.result()`).  One type is made per module object
/// (like ``HolderType``), so modules in different interpreters share
/// nothing.  The type has no GC support: a job refers to Python objects only
/// through its progress callbacks and asyncio hooks, and drops them when it
/// finishes, which breaks any cycle through them.
enum JobType {
    // SAFETY: written once under the GIL, never freed: CPython keeps
    // pointers into the spec (its name, methods) for the life of the types.
    nonisolated(unsafe) static var spec: UnsafeMutablePointer<PyType_Spec>? = nil
    nonisolated(unsafe) static var exitHookInstalled = false

    static let stateOffset = MemoryLayout<PyObject>.stride
    static let resultOffset = stateOffset + MemoryLayout<UnsafeRawPointer>.stride

    /// Makes the `Job` type for one module.  Requires the GIL.
    static func make() throws -> PythonObject {
        if spec == nil { spec = makeSpec() }
        let type = PythonObject(owning: try checkedNew(PyType_FromSpec(spec)))
        if !exitHookInstalled {
            _ = try Python.import("atexit").attribute("register").call([try type.attribute("_shutdown")])
            exitHookInstalled = true
        }
        return type
    }

    private static func makeSpec() -> UnsafeMutablePointer<PyType_Spec> {
        let entries: [(Int32, UnsafeMutableRawPointer)] = [
            (Py_tp_dealloc, unsafeBitCast(dealloc, to: UnsafeMutableRawPointer.self)),
            (Py_tp_repr, unsafeBitCast(repr, to: UnsafeMutableRawPointer.self)),
            (Py_tp_methods, UnsafeMutableRawPointer(makeMethods())),
            (Py_tp_getset, UnsafeMutableRawPointer(makeGetSets())),
            (Py_am_await, unsafeBitCast(await_, to: UnsafeMutableRawPointer.self)),
            (Py_tp_doc, UnsafeMutableRawPointer(strdup(documentation)!)),
        ]
        let slots = UnsafeMutablePointer<PyType_Slot>.allocate(capacity: entries.count + 1)
        for (i, (slot, value)) in entries.enumerated() { slots[i] = PyType_Slot(slot: slot, pfunc: value) }
        slots[entries.count] = PyType_Slot(slot: 0, pfunc: nil)
        let s = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
        s.initialize(to: PyType_Spec(
            name: strdup("swiftbind.Job"),
            basicsize: Int32(resultOffset + MemoryLayout<UnsafeRawPointer>.stride),
            itemsize: 0,
            flags: UInt32(sb_tpflags_default()) | UInt32(sb_tpflags_disallow_instantiation()),
            slots: slots))
        return s
    }

    static let documentation = """
        A Swift function running in the background (a job or an async call).

        progress, message: how far it is (0.0-1.0) and an optional text.
        on_progress(callback): call callback(progress, message) on each report.
        done(), cancelled(), cancel(): state, and a cooperative stop request.
        result(timeout=None): wait (GIL released) and return or raise.
        await job: the same inside asyncio, without blocking the event loop.
        """

    /// A new `Job` object of `type` wrapping `state`; nil with an exception
    /// set on failure.  Requires the GIL.
    static func instance(of type: PyObjectPointer, state: JobState) -> PyObjectPointer? {
        let typeObject = sb_object_as_type(type)!
        guard let object = PyType_GenericAlloc(typeObject, 0) else { return nil }
        // SAFETY: GenericAlloc zero-filled `basicsize` bytes; both fields
        // lie inside them.
        let raw = UnsafeMutableRawPointer(object)
        raw.storeBytes(of: Unmanaged.passRetained(state).toOpaque(), toByteOffset: stateOffset,
                       as: UnsafeMutableRawPointer?.self)
        return object
    }

    /// The state of a `Job` object, or nil for one made by other means
    /// (Python < 3.10 cannot forbid `type(job)()`).
    static func state(of job: PyObjectPointer) -> JobState? {
        let raw = UnsafeMutableRawPointer(job).load(fromByteOffset: stateOffset, as: UnsafeMutableRawPointer?.self)
        return raw.map { Unmanaged<JobState>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The cached result (borrowed), if converted already.
    static func cachedResult(of job: PyObjectPointer) -> PyObjectPointer? {
        UnsafeMutableRawPointer(job).load(fromByteOffset: resultOffset, as: PyObjectPointer?.self)
    }

    static func setCachedResult(of job: PyObjectPointer, _ value: PyObjectPointer) {
        UnsafeMutableRawPointer(job).storeBytes(of: sb_newref(value), toByteOffset: resultOffset,
                                                as: PyObjectPointer?.self)
    }

    static let dealloc: @convention(c) (PyObjectPointer?) -> Void = { object in
        guard let object else { return }
        let raw = UnsafeMutableRawPointer(object)
        if let state = raw.load(fromByteOffset: stateOffset, as: UnsafeMutableRawPointer?.self) {
            Unmanaged<JobState>.fromOpaque(state).release()
        }
        sb_xdecref(raw.load(fromByteOffset: resultOffset, as: PyObjectPointer?.self))
        let type = sb_type(object)!
        sb_type_free(type)?(raw)
        // Instances of heap types own a reference to their type.
        sb_decref(UnsafeMutableRawPointer(type).assumingMemoryBound(to: PyObject.self))
    }

    static let repr: @convention(c) (PyObjectPointer?) -> PyObjectPointer? = { object in
        guard let object, let state = state(of: object) else { return PyUnicode_FromString("<Job>") }
        let text: String
        switch state.outcome {
        case nil:
            let p = state.shared.withLock { $0.progress }
            text = "running, \(Int((p * 100).rounded()))%"
        case .value?: text = "finished"
        case .failure?: text = "failed"
        case .cancelled?: text = "cancelled"
        }
        return PyUnicode_FromString("<Job \(state.name)() \(text)>")
    }
}
