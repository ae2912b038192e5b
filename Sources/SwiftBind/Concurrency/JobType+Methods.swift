/// The methods and attributes of `Job` (see JobType.swift).  Each C entry
/// point finds the job's state, runs a throwing Swift body and turns errors
/// into Python exceptions through `raiseInPython`.
extension JobType {
    typealias Method = @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer?
    typealias FastMethod = @convention(c) (PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Int, PyObjectPointer?) -> PyObjectPointer?
    typealias Getter = @convention(c) (PyObjectPointer?, UnsafeMutableRawPointer?) -> PyObjectPointer?

    static func makeMethods() -> UnsafeMutablePointer<PyMethodDef> {
        let noargs = sb_meth_noargs(), one = sb_meth_o()
        let table: [(String, PyCFunction, Int32, String)] = [
            ("done", done, noargs, "done()\n--\n\nTrue when the job has finished (a value, an error or cancelled)."),
            ("cancelled", cancelled, noargs, "cancelled()\n--\n\nTrue when the job ended by cancellation."),
            ("cancel", cancel, noargs, "cancel()\n--\n\nAsk the job to stop (cooperative: the Swift side sees it and decides).\nReturns False when it has already finished."),
            ("result", unsafeBitCast(result, to: PyCFunction.self), sb_meth_fastcall_keywords(),
             "result(timeout=None)\n--\n\nWait for the job, with the GIL released, and return its value or raise its error.\nRaises TimeoutError after `timeout` seconds, concurrent.futures.CancelledError when cancelled."),
            ("on_progress", onProgress, one, "on_progress(callback)\n--\n\nCall callback(progress, message) now and on every progress report\n(from the worker thread, with the GIL). If it raises, the job stops and\nresult() raises that exception."),
            ("_wake", wake, one, "_wake(future)\n--\n\nasyncio support: resolve `future` from the finished job."),
            ("_future_done", futureDone, one, "_future_done(future)\n--\n\nasyncio support: cancel the job when `future` was cancelled."),
            ("_shutdown", shutdown, noargs | sb_meth_static(), "_shutdown()\n--\n\nCancel every running job and wait for them (run at exit)."),
        ]
        let methods = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: table.count + 1)
        for (i, (name, function, flags, doc)) in table.enumerated() {
            methods[i] = PyMethodDef(ml_name: strdup(name), ml_meth: function, ml_flags: flags, ml_doc: strdup(doc))
        }
        methods[table.count] = PyMethodDef(ml_name: nil, ml_meth: nil, ml_flags: 0, ml_doc: nil)
        return methods
    }

    static func makeGetSets() -> UnsafeMutablePointer<PyGetSetDef> {
        let table: [(String, Getter, String)] = [
            ("progress", progress, "Fraction done, 0.0 to 1.0 (1.0 once finished with a value)."),
            ("message", message, "The text the job last reported with its progress, or None."),
        ]
        let getsets = UnsafeMutablePointer<PyGetSetDef>.allocate(capacity: table.count + 1)
        for (i, (name, getter, doc)) in table.enumerated() {
            getsets[i] = PyGetSetDef(name: strdup(name), get: getter, set: nil, doc: strdup(doc), closure: nil)
        }
        getsets[table.count] = PyGetSetDef(name: nil, get: nil, set: nil, doc: nil, closure: nil)
        return getsets
    }

    /// Runs `body` with the job's state; turns errors into exceptions.
    @inline(__always)
    static func withState(_ job: PyObjectPointer?, _ body: (PyObjectPointer, JobState) throws -> PyObjectPointer) -> PyObjectPointer? {
        do {
            guard let job, let state = state(of: job) else {
                throw PythonException(.typeError, "this Job was not made by a swiftbind job or async function")
            }
            return try body(job, state)
        } catch {
            return raiseInPython(error)
        }
    }

    static func bool(_ value: Bool) -> PyObjectPointer { sb_newref(value ? sb_True() : sb_False()) }

    static let done: PyCFunction = { job, _ in withState(job) { _, s in bool(s.isFinished) } }

    static let cancelled: PyCFunction = { job, _ in
        withState(job) { _, s in
            if case .cancelled? = s.outcome { return bool(true) }
            return bool(false)
        }
    }

    static let cancel: PyCFunction = { job, _ in withState(job) { _, s in bool(s.requestCancel()) } }

    static let progress: Getter = { job, _ in
        withState(job) { _, s in try s.shared.withLock { $0.progress }.toPython().take() }
    }

    static let message: Getter = { job, _ in
        withState(job) { _, s in try s.shared.withLock { $0.message }.toPython().take() }
    }

    static let onProgress: PyCFunction = { job, callback in
        withState(job) { _, s in
            guard let callback, sb_callable_check(callback) != 0 else {
                throw PythonException(.typeError, "Job.on_progress() argument 'callback' must be callable, not \(callback?.typeName ?? "nothing")")
            }
            let object = PythonObject(borrowing: callback)
            let (p, m) = s.shared.withLock { ($0.progress, $0.message) }
            _ = try object.call([p, m])
            s.addProgressCallback(SendablePythonObject(object))
            return sb_newref(sb_None())
        }
    }

    static let shutdown: PyCFunction = { _, _ in
        _ = withoutGIL { JobRegistry.cancelAll(waitingUpTo: 5) }
        return sb_newref(sb_None())
    }

    /// `result(timeout=None)`.  Also a drain point for parked releases
    /// (the job's own are parked before it is marked finished).
    static let result: FastMethod = { job, args, nargs, kwnames in
        withState(job) { job, state in
            let timeout = try timeoutArgument(args, nargs, kwnames)
            let limit = try WaitLimit(timeout: timeout, what: "Job.result() argument 'timeout'")
            try waitReleasingGIL(state, limit: limit, timeout: timeout)
            PendingReleases.drainIfNeeded()
            return try finishedResult(job, state)
        }
    }

    private static func timeoutArgument(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int,
                                         _ kwnames: PyObjectPointer?) throws -> Double? {
        let keywords = kwnames.map { sb_tuple_size($0) } ?? 0
        let positional = sb_vectorcall_nargs(nargs)
        guard positional + keywords <= 1 else {
            throw PythonException(.typeError, "Job.result() takes at most 1 argument (timeout)")
        }
        if keywords == 1 {
            let name = (try? String.convert(PythonObject(borrowing: sb_tuple_get(kwnames!, 0)!))) ?? ""
            guard name == "timeout" else {
                throw PythonException(.typeError, "Job.result() got an unexpected keyword argument '\(name)'")
            }
        }
        guard positional + keywords == 1, let value = args?[0] else { return nil }
        do { return try Double?.fromPython(BorrowedObject(value)) }
        catch let e as ConversionError { throw e.exception(subject: "Job.result() argument 'timeout'") }
    }

    /// Waits for the job with the GIL released, in slices of 50 ms between
    /// which Ctrl-C is checked (a blocked `result()` stays interruptible).
    /// `timeout` is the caller's value, for the message.
    static func waitReleasingGIL(_ state: JobState, limit: WaitLimit, timeout: Double?) throws {
        if state.isFinished { return }
        try state.checkCanWait()
        let deadline = limit.deadline()
        while true {
            var slice = 0.05
            if let deadline { slice = min(slice, ContinuousClock.now.duration(to: deadline).inSeconds) }
            let seconds = max(slice, 0)
            if withoutGIL({ state.wait(seconds: seconds) }) { return }
            try checkedStatus(PyErr_CheckSignals())
            if let deadline, ContinuousClock.now >= deadline {
                throw PythonException(.timeoutError, "\(state.name)() did not finish within \(timeout ?? 0) s")
            }
        }
    }

    /// The value of a finished job as a new reference, or its error thrown.
    static func finishedResult(_ job: PyObjectPointer, _ state: JobState) throws -> PyObjectPointer {
        if let cached = cachedResult(of: job) { return sb_newref(cached) }
        switch state.outcome {
        case .value(let convert)?:
            let value = try convert()
            setCachedResult(of: job, value)
            state.releaseValue()
            return value
        case .failure(let error)?:
            throw error
        case .cancelled?:
            throw try cancelledError(state)
        case nil:
            throw PythonException(.systemError, "swiftbind: \(state.name)() has not finished")
        }
    }

    static func cancelledError(_ state: JobState) throws -> PythonException {
        let type = try Python.import("concurrent.futures").attribute("CancelledError")
        return PythonException(ExceptionType(type), "\(state.name)() was cancelled")
    }
}
