/// Waits that can never end, refused up front.
///
/// `result()` blocks until the job's thread finishes it.  The job itself,
/// a progress callback or a callback the body runs that asks for its own
/// job's result, would wait forever, so it gets `RuntimeError` instead
/// (`concurrent.futures` deadlocks here; `threading.Thread.join` and
/// asyncio raise RuntimeError, which is what this follows).
extension JobState {
    /// The job whose body is running on this thread or task, if any.
    /// Bound by ``JobRunner`` around the body; a task-local, so child tasks
    /// of an async body see it too.
    @TaskLocal static var current: JobState? = nil

    /// Throws `RuntimeError` when waiting for this job here could never end.
    /// Cheap: a task-local read.
    func checkCanWait() throws {
        if JobState.current === self {
            throw PythonException(.runtimeError,
                "\(name)() cannot wait for its own result: result() was called from inside the job "
                + "(a progress callback or a callback it runs); it would never finish")
        }
    }
}
