import Synchronization

/// The jobs and async calls still running in this process.
///
/// At interpreter exit (an `atexit` hook that the first job type installs)
/// every one of them is asked to cancel and waited for, a few seconds at
/// most, with the GIL released: a worker that calls back into Python after
/// the interpreter is gone would hang or crash.  Python's own
/// `concurrent.futures` joins its threads at exit for the same reason.
enum JobRegistry {
    static let running = Mutex<[ObjectIdentifier: JobState]>([:])

    static func add(_ state: JobState) {
        running.withLock { $0[ObjectIdentifier(state)] = state }
    }

    static func remove(_ state: JobState) {
        _ = running.withLock { $0.removeValue(forKey: ObjectIdentifier(state)) }
    }

    /// Cancels every running job and waits up to `seconds` in total for
    /// them to finish.  Call without the GIL.  Returns how many are still
    /// running.
    static func cancelAll(waitingUpTo seconds: Double) -> Int {
        // A forked child also lists the parent's jobs, whose threads it
        // lacks: they would never finish here, so they are not waited for.
        let me = getpid()
        let jobs = running.withLock { Array($0.values) }.filter { $0.pid == me }
        for job in jobs { job.requestCancel() }
        let deadline = ContinuousClock.now + WaitLimit.duration(seconds: seconds)
        var left = 0
        for job in jobs {
            let secondsLeft = ContinuousClock.now.duration(to: deadline).inSeconds
            if !job.wait(seconds: max(secondsLeft, 0)) { left += 1 }
        }
        return left
    }
}
