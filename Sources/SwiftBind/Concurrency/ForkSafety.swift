/// Jobs and async functions across `os.fork()` (multiprocessing's default
/// start method on Linux, and what `forkserver` does for each worker).
///
/// `fork()` copies the process but only the calling thread.  Two pools of
/// threads do not survive it, and without help their work never runs in
/// the child (`result()` blocked forever):
/// - the job threads (``JobThreads``): reset to an empty pool in the child;
/// - Dispatch's pool, which runs Swift's global concurrent executor (every
///   `Task` of an async function): Dispatch has no reset, so in the child
///   Swift concurrency's global executor is replaced by
///   ``ForkChildExecutor``, which runs on job threads.
///
/// Jobs running at the fork stay the parent's: in the child their
/// `result()` raises RuntimeError (JobState+Waiting.swift).  Python's own
/// `concurrent.futures.ThreadPoolExecutor` resets itself after fork the
/// same way (`os.register_at_fork`).
///
/// The handlers are registered with `pthread_atfork` when the first job or
/// async call starts; nothing changes for a process that never forks.
enum ForkSafety {
    private static let installed: Bool = {
        pthread_atfork(prepare, parent, child) == 0
    }()

    /// Registers the fork handlers, once.  Cheap after the first call.
    static func ensureInstalled() { _ = installed }

    private static let prepare: @convention(c) () -> Void = {
        JobThreads.prepareFork()
        ForkTimer.prepareFork()
    }

    private static let parent: @convention(c) () -> Void = {
        ForkTimer.parentAfterFork()
        JobThreads.parentAfterFork()
    }

    private static let child: @convention(c) () -> Void = {
        JobThreads.childAfterFork()
        ForkChildExecutor.installAfterFork()
    }
}
