import Dispatch
import Synchronization

/// How a job ended.
enum JobOutcome: Sendable {
    /// Finished with a value; the closure converts it to a new Python
    /// reference (requires the GIL).
    case value(@Sendable () throws -> PyObjectPointer)
    /// Threw an error (a Swift error, or a Python exception a callback raised).
    case failure(any Error)
    /// Stopped by a cancellation request (the body threw `CancellationError`).
    case cancelled
}

/// The shared state of one background job or async call: what the worker
/// thread writes and the Python `Job` object reads.  Every field is behind a
/// lock or atomic, so the class is `Sendable` without exceptions.
final class JobState: Sendable {
    struct Shared {
        var progress = 0.0
        var message: String? = nil
        var outcome: JobOutcome? = nil
        var onFinish: [@Sendable () -> Void] = []
        var progressCallbacks: [SendablePythonObject] = []
        var cancelHandler: (@Sendable () -> Void)? = nil
        var callbackError: (any Error)? = nil
    }

    /// The bound function's name, for `repr`.
    let name: String
    /// The process that started the job: its thread exists only there
    /// (after `os.fork()` the child has a copy of the state, not the thread).
    let pid = getpid()
    let shared = Mutex(Shared())
    let cancelRequested = Atomic<Bool>(false)
    let finished = Atomic<Bool>(false)
    let hasProgressCallbacks = Atomic<Bool>(false)
    /// Entered at creation, left when the job finishes: waiting on it is
    /// how `result()` blocks (any number of waiters).
    let group = DispatchGroup()

    init(name: String) {
        self.name = name
        group.enter()
    }

    var isFinished: Bool { finished.load(ordering: .acquiring) }

    var outcome: JobOutcome? { shared.withLock { $0.outcome } }

    /// Records the outcome, runs the finish hooks on this thread, then
    /// wakes the waiters.  An error raised by a progress callback wins over
    /// the body's own outcome: the body was asked to stop because of it.
    ///
    /// The waiters wake last on purpose: the exit hook (JobRegistry) waits
    /// on the same group, so the interpreter does not start finalising while
    /// a hook still calls into Python.  (A thread that wants the GIL during
    /// finalisation is ended with `pthread_exit`, which libdispatch treats as
    /// a crash on its threads.)  Progress callbacks are dropped with the GIL
    /// for the same reason: nothing is left to release after the exit.
    ///
    /// `outcome` is moved into the state, so no copy of it lives on this
    /// thread once the waiters wake: a `result()` that drops the value with
    /// the GIL then drops the last reference (a copy released here later
    /// would be parked after that `result()` drained).
    func finish(_ outcome: consuming JobOutcome) {
        var pending: JobOutcome? = consume outcome
        var (hooks, callbacks) = shared.withLock { s -> ([@Sendable () -> Void], [SendablePythonObject]) in
            if case .value? = pending { s.progress = 1 }
            if let error = s.callbackError { s.outcome = .failure(error); pending = nil } else { s.outcome = pending.take() }
            defer { s.onFinish = []; s.progressCallbacks = []; s.cancelHandler = nil }
            return (s.onFinish, s.progressCallbacks)
        }
        finished.store(true, ordering: .releasing)
        hasProgressCallbacks.store(false, ordering: .relaxed)
        for hook in hooks { hook() }
        hooks.removeAll()
        if !callbacks.isEmpty { withGIL { callbacks.removeAll() } }
        group.leave()
        JobRegistry.remove(self)
    }

    /// Drops the Swift value of a finished job once the `Job` object holds
    /// its Python conversion, so nothing it references outlives the `Job`
    /// on a thread without the GIL.  Requires the GIL.
    func releaseValue() {
        let old = shared.withLock { s -> JobOutcome? in
            guard case .value? = s.outcome else { return nil }
            defer { s.outcome = .value(JobState.convertedAlready) }
            return s.outcome
        }
        _ = old   // released here, with the GIL
    }

    static let convertedAlready: @Sendable () throws -> PyObjectPointer = {
        throw PythonException(.systemError, "swiftbind: this job's value was converted already")
    }

    /// Runs `hook` once when the job finishes: later on the finishing
    /// thread, or now on this one when it has already finished.
    func onFinish(_ hook: @escaping @Sendable () -> Void) {
        let now = shared.withLock { s -> Bool in
            if s.outcome != nil { return true }
            s.onFinish.append(hook)
            return false
        }
        if now { hook() }
    }

    /// Asks the job to stop.  Returns false when it has already finished.
    @discardableResult
    func requestCancel() -> Bool {
        if isFinished { return false }
        cancelRequested.store(true, ordering: .releasing)
        let handler = shared.withLock { $0.cancelHandler }
        handler?()
        return true
    }

    /// Sets what cancelling does beyond raising the flag (cancel a `Task`);
    /// runs it at once when cancellation was already requested.
    func setCancelHandler(_ handler: @escaping @Sendable () -> Void) {
        shared.withLock { $0.cancelHandler = handler }
        if cancelRequested.load(ordering: .acquiring) { handler() }
    }

    /// Updates the progress (clamped to 0...1) and, when Python callbacks
    /// are registered, calls them with the GIL.  A callback that raises
    /// fails the job with its exception and requests cancellation.
    func report(progress: Double?, message: String??) {
        let snapshot = shared.withLock { s -> (Double, String?) in
            if let progress { s.progress = progress.isNaN ? s.progress : min(max(progress, 0), 1) }
            if let message { s.message = message }
            return (s.progress, s.message)
        }
        if hasProgressCallbacks.load(ordering: .relaxed) { callProgressCallbacks(snapshot.0, snapshot.1) }
    }

    /// Adds a Python progress callback `callback(progress, message)`.
    /// Requires the GIL.
    func addProgressCallback(_ callback: SendablePythonObject) {
        shared.withLock { s in
            guard s.outcome == nil else { return }
            s.progressCallbacks.append(callback)
        }
        hasProgressCallbacks.store(true, ordering: .relaxed)
    }

    private func callProgressCallbacks(_ progress: Double, _ message: String?) {
        let callbacks = shared.withLock { $0.progressCallbacks }
        do {
            try withGIL {
                for callback in callbacks { _ = try callback.object.call([progress, message]) }
            }
        } catch {
            shared.withLock { s in if s.callbackError == nil { s.callbackError = error } }
            requestCancel()
        }
    }

    /// Waits up to `seconds` (forever when nil) for the job to finish and
    /// its finish hooks to return, without the GIL.  Returns whether it has.
    func wait(seconds: Double?) -> Bool {
        guard let seconds, seconds <= WaitLimit.longest else {   // nil, huge, inf
            group.wait()
            return true
        }
        let nanos = WaitLimit.duration(seconds: seconds).components   // nan, negative: 0
        let total = Int(nanos.seconds) * 1_000_000_000 + Int(nanos.attoseconds / 1_000_000_000)
        return group.wait(timeout: .now() + .nanoseconds(total)) == .success
    }
}
