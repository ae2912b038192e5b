/// The job pool across `os.fork()`: see ForkSafety.swift.
///
/// The child inherits a pool whose counters describe threads it does not
/// have; left alone, a job started there is handed to an "idle" thread
/// that does not exist and never runs.
extension JobThreads {
    // SAFETY: touched only by the fork child handler, single-threaded.
    nonisolated(unsafe) static var abandonedAtFork: [[Work]] = []

    /// Before `fork()`: take the mutex, so the child's copy of the state is
    /// consistent (no thread was halfway through changing it).
    static func prepareFork() { pthread_mutex_lock(mutex) }

    /// In the parent after `fork()`.
    static func parentAfterFork() { pthread_mutex_unlock(mutex) }

    /// In the child after `fork()`: an empty pool (no threads, none idle)
    /// with a fresh mutex and condition (the old condition counts waiters
    /// that are gone).  Work queued but not started belongs to the parent's
    /// jobs: it is kept, unreleased (its closures may hold Python references,
    /// which cannot be released this early in the child), and never run.
    static func childAfterFork() {
        // SAFETY: the child has one thread, this one, which took the mutex
        // in prepareFork; nobody else can see the state, so re-initialising
        // the mutex and condition in place is race-free.
        abandonedAtFork.append(state.queue)
        state = State()
        pthread_cond_init(condition, nil)
        pthread_mutex_init(mutex, nil)
    }
}
