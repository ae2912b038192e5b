/// What a job's body sees of its job: progress to report and cancellation
/// to watch.  `Sendable`: hand it to helper threads freely.
///
/// ```swift
/// m.job("long_task(n)") { (n: Int, job: JobContext) throws -> Int in
///     var total = 0
///     for i in 0..<n {
///         if job.isCancelled { throw CancellationError() }   // job.result() raises CancelledError
///         total &+= i
///         if i % 1000 == 0 { job.progress = Double(i) / Double(n) }
///     }
///     return total
/// }
/// ```
///
/// Cancellation is cooperative: `job.cancel()` in Python only raises the
/// flag; the body decides when to stop.  A body that throws
/// `CancellationError` (``checkCancellation()`` does) ends the job as
/// cancelled; one that returns a value anyway ends it with that value.
public struct JobContext: Sendable {
    let state: JobState

    init(_ state: JobState) { self.state = state }

    /// The fraction done, 0.0 to 1.0 (clamped).  Setting it calls the
    /// Python progress callbacks (`job.on_progress`), taking the GIL, so
    /// set it a few hundred times per job, not millions.
    public var progress: Double {
        get { state.shared.withLock { $0.progress } }
        nonmutating set { state.report(progress: newValue, message: .none) }
    }

    /// An optional line of text shown with the progress (`job.message`).
    public var message: String? {
        get { state.shared.withLock { $0.message } }
        nonmutating set { state.report(progress: nil, message: .some(newValue)) }
    }

    /// Sets progress and message together (one callback call).
    public func report(_ progress: Double, message: String?) {
        state.report(progress: progress, message: .some(message))
    }

    /// True once Python asked the job to stop (`job.cancel()`, a cancelled
    /// asyncio task awaiting it, a progress callback that raised, or
    /// interpreter exit).
    public var isCancelled: Bool { state.cancelRequested.load(ordering: .relaxed) }

    /// Throws `CancellationError` when ``isCancelled``.
    public func checkCancellation() throws {
        if isCancelled { throw CancellationError() }
    }
}
