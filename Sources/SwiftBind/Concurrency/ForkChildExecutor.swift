#if compiler(>=6.3) && os(Linux)
@_spi(ExperimentalScheduling) import _Concurrency
#endif

/// Swift concurrency's global executor in a forked child (see
/// ForkSafety.swift): runs every job the runtime would give Dispatch on a
/// job thread, and delayed jobs (`Task.sleep`) from a timer thread.
///
/// Installed through the runtime's documented hooks
/// (`swift_task_enqueueGlobal_hook` and its delay and deadline variants,
/// which embedders such as JavaScriptKit set the same way), only in the
/// child, so the parent keeps Dispatch's executor untouched.  It is a
/// fallback that favours working over speed: each ready job takes a job
/// thread (reused when idle).
///
/// Since Swift 6.3, `Task.sleep` asks the current executor to schedule the
/// wake-up (`SchedulingExecutor`, still SPI) before it falls back to the
/// hooks, and the default executor answers for Dispatch: jobs run here on
/// this task executor, which schedules them itself on ``ForkTimer``.
final class ForkChildExecutor: TaskExecutor {
    static let shared = ForkChildExecutor()

    typealias Enqueue = @convention(thin) (UnownedJob) -> Void
    typealias EnqueueHook = @convention(thin) (UnownedJob, Enqueue) -> Void
    typealias EnqueueAfter = @convention(thin) (UInt64, UnownedJob) -> Void
    typealias EnqueueAfterHook = @convention(thin) (UInt64, UnownedJob, EnqueueAfter) -> Void
    typealias EnqueueAt = @convention(thin) (Int64, Int64, Int64, Int64, Int32, UnownedJob) -> Void
    typealias EnqueueAtHook = @convention(thin) (Int64, Int64, Int64, Int64, Int32, UnownedJob, EnqueueAt) -> Void

    /// Sets the hooks and forgets the timer thread of a parent (a child of
    /// a child has none either).  Runs in the fork child handler.
    static func installAfterFork() {
        ForkTimer.resetAfterFork()
        let now: EnqueueHook = { job, _ in ForkChildExecutor.shared.run(job) }
        let after: EnqueueAfterHook = { nanoseconds, job, _ in
            ForkTimer.schedule(job, afterNanoseconds: nanoseconds)
        }
        let at: EnqueueAtHook = { seconds, nanoseconds, _, _, clock, job, _ in
            var nowSeconds: Int64 = 0, nowNanoseconds: Int64 = 0
            swiftGetTime(&nowSeconds, &nowNanoseconds, CInt(clock))
            // Deadline minus now, in the clock the runtime named; overflow-
            // checked (a far deadline is "never" in practice, not a trap).
            let (ds, o1) = seconds.subtractingReportingOverflow(nowSeconds)
            let (scaled, o2) = ds.multipliedReportingOverflow(by: 1_000_000_000)
            let (delta, o3) = scaled.addingReportingOverflow(nanoseconds - nowNanoseconds)
            let delay: UInt64 = (o1 || o2 || o3) ? (ds > 0 ? UInt64.max : 0) : UInt64(max(delta, 0))
            ForkTimer.schedule(job, afterNanoseconds: delay)
        }
        swift_task_enqueueGlobal_hook = unsafeBitCast(now, to: UnsafeMutableRawPointer?.self)
        swift_task_enqueueGlobalWithDelay_hook = unsafeBitCast(after, to: UnsafeMutableRawPointer?.self)
        swift_task_enqueueGlobalWithDeadline_hook = unsafeBitCast(at, to: UnsafeMutableRawPointer?.self)
    }

    /// Runs `job` soon on a job thread.
    func run(_ job: UnownedJob) {
        let job = JobHandle(job: job)
        JobThreads.run { job.job.runSynchronously(on: ForkChildExecutor.shared.asUnownedTaskExecutor()) }
    }

    func enqueue(_ job: UnownedJob) { run(job) }

    func enqueue(_ job: consuming ExecutorJob) { run(UnownedJob(job)) }
}

/// A runtime job moved to the thread that runs it, exactly once.
struct JobHandle: @unchecked Sendable {
    // SAFETY (@unchecked): the runtime hands each job over once; it is run
    // once, on one thread.
    let job: UnownedJob
}

/// The runtime's clock reading (the clocks its deadlines are in).
@_silgen_name("swift_get_time")
func swiftGetTime(_ seconds: UnsafeMutablePointer<Int64>, _ nanoseconds: UnsafeMutablePointer<Int64>,
                  _ clock: CInt)

#if compiler(>=6.3) && os(Linux)
extension ForkChildExecutor: SchedulingExecutor {
    func enqueue<C: Clock>(_ job: consuming ExecutorJob, after delay: C.Duration,
                           tolerance: C.Duration?, clock: C) {
        ForkTimer.schedule(UnownedJob(job), afterNanoseconds: Self.nanoseconds(delay))
    }

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, at instant: C.Instant,
                           tolerance: C.Duration?, clock: C) {
        let delay = clock.now.duration(to: instant)
        ForkTimer.schedule(UnownedJob(job), afterNanoseconds: Self.nanoseconds(delay))
    }

    /// A clock's duration in nanoseconds: 0 when past, saturating when far.
    /// The standard clocks measure in `Duration`; others run at once.
    static func nanoseconds<D: DurationProtocol>(_ delay: D) -> UInt64 {
        guard let delay = delay as? Duration, delay > .zero else { return 0 }
        let (seconds, attoseconds) = delay.components
        let (scaled, overflow) = UInt64(clamping: seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000)).partialValue
    }
}
#endif
