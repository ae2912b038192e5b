
/// The threads that run jobs: a pool that never makes a job wait.
///
/// A job is long work that may block (sleep, wait for I/O, wait for the
/// GIL in a callback), so every job gets a thread at once: an idle pool
/// thread when there is one, a new thread otherwise.  Idle threads exit
/// after ``idleSeconds``.  Reusing threads keeps an empty job at a few
/// microseconds; never queueing keeps jobs independent (Dispatch's
/// overcommit pool on Linux adds threads only about once a second, which
/// made the 16th of 16 simultaneous jobs start 15 s late).
///
/// Built on pthreads: the state is behind one `pthread_mutex_t`, idle
/// threads wait on one `pthread_cond_t`.  Fork-safe: a child process
/// starts with an empty pool (JobThreads+Fork.swift).
enum JobThreads {
    typealias Work = @Sendable () -> Void

    static let idleSeconds = 10

    struct State {
        var queue: [Work] = []
        var head = 0
        var idle = 0
        var threads = 0
    }

    // SAFETY: `state` is read and written only with `mutex` locked; the
    // mutex and condition are made once and never destroyed.
    nonisolated(unsafe) static var state = State()
    nonisolated(unsafe) static let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()
    nonisolated(unsafe) static let condition: UnsafeMutablePointer<pthread_cond_t> = {
        let c = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        pthread_cond_init(c, nil)
        return c
    }()

    /// Runs `work` on a pool thread, starting one if none is idle.
    static func run(_ work: @escaping Work) {
        pthread_mutex_lock(mutex)
        state.queue.append(work)
        let waiting = state.queue.count - state.head
        let spawn = waiting > state.idle
        if spawn { state.threads += 1 } else { pthread_cond_signal(condition) }
        pthread_mutex_unlock(mutex)
        if spawn && !startThread() {
            // No thread could be made: run it here rather than never.
            pthread_mutex_lock(mutex)
            state.threads -= 1
            let orphan = state.head < state.queue.count ? take() : nil
            pthread_mutex_unlock(mutex)
            orphan?()
        }
    }

    /// The next queued work item.  Requires `mutex`.
    private static func take() -> Work {
        let work = state.queue[state.head]
        state.head += 1
        if state.head == state.queue.count { state.queue.removeAll(keepingCapacity: true); state.head = 0 }
        return work
    }

    private static func startThread() -> Bool {
        var thread = pthread_t()
        let made = pthread_create(&thread, nil, { _ in
            JobThreads.workerLoop()
            return nil
        }, nil)
        if made != 0 { return false }
        pthread_detach(thread)
        return true
    }

    private static func workerLoop() {
        pthread_mutex_lock(mutex)
        while true {
            if state.head < state.queue.count {
                let work = take()
                pthread_mutex_unlock(mutex)
                work()
                pthread_mutex_lock(mutex)
                continue
            }
            var deadline = timespec()
            clock_gettime(CLOCK_REALTIME, &deadline)
            deadline.tv_sec += idleSeconds
            state.idle += 1
            let result = pthread_cond_timedwait(condition, mutex, &deadline)
            state.idle -= 1
            if result == ETIMEDOUT && state.head == state.queue.count {
                state.threads -= 1
                pthread_mutex_unlock(mutex)
                return
            }
        }
    }
}
