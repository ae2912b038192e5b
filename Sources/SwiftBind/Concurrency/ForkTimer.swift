/// The delayed jobs of ``ForkChildExecutor`` (`Task.sleep` in a forked
/// child): one thread sleeps until the earliest deadline, then hands the job
/// to the executor.  Built on pthreads, timed on `CLOCK_MONOTONIC`.
enum ForkTimer {
    struct Entry {
        var deadline: UInt64   // CLOCK_MONOTONIC nanoseconds
        var job: JobHandle
    }

    // SAFETY: `entries` and `running` are read and written only with
    // `mutex` locked; the mutex and condition are made once (and re-made
    // only in a fork child, single-threaded).
    nonisolated(unsafe) static var entries: [Entry] = []
    nonisolated(unsafe) static var running = false
    nonisolated(unsafe) static let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()
    nonisolated(unsafe) static let condition: UnsafeMutablePointer<pthread_cond_t> = {
        let c = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        initMonotonicCondition(c)
        return c
    }()

    static func initMonotonicCondition(_ c: UnsafeMutablePointer<pthread_cond_t>) {
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(c, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    static func monotonicNow() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Runs `job` on the executor once `nanoseconds` have passed.
    static func schedule(_ job: UnownedJob, afterNanoseconds nanoseconds: UInt64) {
        if nanoseconds == 0 { ForkChildExecutor.shared.run(job); return }
        let (deadline, overflow) = monotonicNow().addingReportingOverflow(nanoseconds)
        pthread_mutex_lock(mutex)
        entries.append(Entry(deadline: overflow ? .max : deadline, job: JobHandle(job: job)))
        let start = !running
        running = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        if start { startThread() }
    }

    private static func startThread() {
        var thread = pthread_t()
        let made = pthread_create(&thread, nil, { _ in
            ForkTimer.loop()
            return nil
        }, nil)
        if made == 0 { pthread_detach(thread) }
    }

    private static func loop() {
        pthread_mutex_lock(mutex)
        while true {
            let now = monotonicNow()
            var due: [JobHandle] = []
            entries.removeAll { entry in
                if entry.deadline <= now { due.append(entry.job); return true }
                return false
            }
            if !due.isEmpty {
                pthread_mutex_unlock(mutex)
                for handle in due { ForkChildExecutor.shared.run(handle.job) }
                pthread_mutex_lock(mutex)
                continue
            }
            guard let next = entries.map(\.deadline).min() else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            let capped = min(next, now + 3_600_000_000_000)   // re-check at least hourly
            var until = timespec(tv_sec: Int(capped / 1_000_000_000), tv_nsec: Int(capped % 1_000_000_000))
            pthread_cond_timedwait(condition, mutex, &until)
        }
    }

    /// Before `fork()` (a forked child forking again): take the mutex, so
    /// the child's copy of `entries` is consistent.
    static func prepareFork() { pthread_mutex_lock(mutex) }

    /// In the parent after `fork()`.
    static func parentAfterFork() { pthread_mutex_unlock(mutex) }

    /// In a fork child: no timer thread exists; jobs the parent had
    /// scheduled are the parent's and are dropped (never run).
    static func resetAfterFork() {
        // SAFETY: single-threaded (fork child handler), and prepareFork
        // took the mutex, so `entries` is not halfway through a change.
        entries = []
        running = false
        pthread_mutex_init(mutex, nil)
        initMonotonicCondition(condition)
    }
}
