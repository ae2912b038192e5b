import Synchronization

/// `await job`: the bridge from a Swift worker to an asyncio event loop.
///
/// `job.__await__()` makes a future on the running loop and returns the
/// future's own iterator, so the awaiting task sleeps in the loop like on
/// any asyncio future.  When the job finishes, its worker thread hands the
/// job and the future to the loop's ``LoopWaker`` and makes its descriptor
/// readable, without the GIL; the loop resolves the future in its own
/// thread.  Loops that cannot have a waker get the older route: the worker
/// takes the GIL once and calls `loop.call_soon_threadsafe(job._wake,
/// future)`, which wakes the loop through its self-pipe.  No polling, no
/// thread blocked either way.  Resolving copies the job's value, error or
/// cancellation into the future.
/// Cancelling the awaiting task cancels the future, whose done-callback
/// `job._future_done` asks the job to stop (for async functions: cancels the
/// Swift `Task`).  A job that has already finished resolves the future at
/// once and nothing crosses threads.
///
/// `__await__` and `_wake` are drain points for parked releases (the
/// latter runs on the loop's thread once the job has finished).
extension JobType {
    static let await_: @convention(c) (PyObjectPointer?) -> PyObjectPointer? = { job in
        withState(job) { job, state in
            PendingReleases.drainIfNeeded()
            let object = PythonObject(borrowing: job)
            let loop = try Python.import("asyncio").attribute("get_running_loop").call()
            let future = try loop.attribute("create_future").call()
            if state.isFinished {
                try resolve(future, from: job, state)
            } else if let waker = LoopWaker.of(loop) {
                _ = try future.attribute("add_done_callback").call([try object.attribute("_future_done")])
                let job = SendablePythonObject(object), pending = SendablePythonObject(future)
                state.onFinish { waker.post(job: job, future: pending) }
            } else {
                _ = try future.attribute("add_done_callback").call([try object.attribute("_future_done")])
                // call_soon_threadsafe, job._wake and the future: taken out
                // and released inside withGIL, so no release is deferred.
                let parts = Mutex<[SendablePythonObject]>([
                    SendablePythonObject(try loop.attribute("call_soon_threadsafe")),
                    SendablePythonObject(try object.attribute("_wake")),
                    SendablePythonObject(future),
                ])
                state.onFinish {
                    withGIL {
                        let taken = parts.withLock { p in defer { p = [] }; return p }
                        guard taken.count == 3 else { return }
                        // A failure means the loop is closed by now: nobody awaits.
                        do { _ = try taken[0].object.call([taken[1].object, taken[2].object]) } catch {}
                    }
                }
            }
            return try future.attribute("__await__").call().newReference().take()
        }
    }

    /// `job._wake(future)`: resolves `future` from the finished job, unless
    /// the future is done already (it was cancelled).
    static let wake: PyCFunction = { job, future in
        withState(job) { job, state in
            PendingReleases.drainIfNeeded()
            let future = PythonObject(borrowing: future!)
            try resolve(future, from: job, state)
            return sb_newref(sb_None())
        }
    }

    /// `job._future_done(future)`: a cancelled future cancels the job.
    static let futureDone: PyCFunction = { job, future in
        withState(job) { _, state in
            let cancelled = try PythonObject(borrowing: future!).attribute("cancelled").call()
            if cancelled.unsafePointer == sb_True() { state.requestCancel() }
            return sb_newref(sb_None())
        }
    }

    static func resolve(_ future: PythonObject, from job: PyObjectPointer, _ state: JobState) throws {
        if try future.attribute("done").call().unsafePointer == sb_True() { return }
        if case .cancelled? = state.outcome {
            _ = try future.attribute("cancel").call()
            return
        }
        do {
            let value = PythonObject(owning: try finishedResult(job, state))
            _ = try future.attribute("set_result").call([value])
        } catch {
            _ = raiseInPython(error)
            let exception = PythonException.fetch().value
            _ = try future.attribute("set_exception").call([exception])
        }
    }
}
