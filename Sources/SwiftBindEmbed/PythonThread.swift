#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One dedicated OS thread that runs submitted work in order: the
/// executor of ``PythonActor``.  Each piece of work runs with the GIL held
/// (taken for it and released after it), so between pieces other threads
/// run Python, and a task waiting for the GIL waits here, not on a thread
/// of Swift's cooperative pool.
///
/// SAFETY (@unchecked Sendable): `queue` and `stopping` are read and
/// written only with `mutex` locked; the thread is created once and never
/// joined (it lives as long as the process).
final class PythonThread: @unchecked Sendable {
    typealias Work = () -> Void

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var queue: [Work] = []
    private var head = 0

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let made = pthread_create(&thread, nil, { raw in
            let owner = Unmanaged<PythonThread>.fromOpaque(raw!).takeRetainedValue()
            owner.run()
            return nil
        }, context)
        precondition(made == 0, "swiftbind: could not start the Python thread (pthread_create: \(made))")
        pthread_detach(thread)
    }

    /// Queues `work`; it runs on the thread, in order.  Any thread.
    func submit(_ work: @escaping Work) {
        pthread_mutex_lock(mutex)
        queue.append(work)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `work` on the thread and waits for it.  Must not be called
    /// from the thread itself (it would wait for itself).
    func runAndWait(_ work: @escaping @Sendable () -> Void) {
        let done = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let signal = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        pthread_mutex_init(done, nil)
        pthread_cond_init(signal, nil)
        nonisolated(unsafe) var finished = false
        defer {
            pthread_cond_destroy(signal); pthread_mutex_destroy(done)
            signal.deallocate(); done.deallocate()
        }
        submit {
            work()
            pthread_mutex_lock(done)
            finished = true
            pthread_cond_signal(signal)
            pthread_mutex_unlock(done)
        }
        pthread_mutex_lock(done)
        while !finished { pthread_cond_wait(signal, done) }
        pthread_mutex_unlock(done)
    }

    private func next() -> Work {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == queue.count { pthread_cond_wait(condition, mutex) }
        let work = queue[head]
        head += 1
        if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
        return work
    }

    private func run() -> Never {
        while true { next()() }
    }
}
