/// Waits that can never end, refused up front.
///
/// `result()` blocks until the job's thread finishes it.  Two callers would
/// wait forever, so they get `RuntimeError` instead:
/// - the job itself: a progress callback, or a callback the body runs,
///   that asks for its own job's result (`concurrent.futures` deadlocks
///   here; `threading.Thread.join` and asyncio raise RuntimeError, which
///   is what this follows);
/// - a forked child: a job started before `os.fork()` has no thread in the
///   child, so it never finishes there.
extension JobState {
    /// The job whose body is running on this thread or task, if any.
    /// Bound by ``JobRunner`` around the body; a task-local, so child tasks
    /// of an async body see it too.
    @TaskLocal static var current: JobState? = nil

    /// Throws `RuntimeError` when waiting for this job here could never end.
    /// Cheap: a task-local read and, for an unfinished job, `getpid`.
    func checkCanWait() throws {
        if JobState.current === self {
            throw PythonException(.runtimeError,
                "\(name)() cannot wait for its own result: result() was called from inside the job "
                + "(a progress callback or a callback it runs); it would never finish")
        }
        if pid != getpid() {
            throw PythonException(.runtimeError,
                "\(name)() was started in process \(pid) before os.fork(); it runs only there, "
                + "so this process (\(getpid())) cannot wait for it")
        }
    }
}
