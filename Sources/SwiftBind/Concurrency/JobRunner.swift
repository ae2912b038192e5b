import Synchronization

/// Starts the Swift side of jobs (on threads) and async calls (as tasks).
///
/// Jobs run on ``JobThreads``: each starts at once on a thread of its own
/// (reused from earlier jobs when one is idle).  `parallelFor` inside a job
/// uses Dispatch's pool, one thread per core.
///
/// Async calls run as detached `Task`s on Swift's global concurrent
/// executor; cancelling the Python side cancels the task.
///
/// Both are entry points from Python (GIL held), so both release what other
/// threads parked (``PendingReleases``).  The body, which holds the
/// converted arguments, is dropped before the job is marked finished: its
/// parked releases are then visible to the `result()` that wakes up and
/// drains them, so a caller sees its arguments' reference counts restored.
/// While the body runs, ``JobState/current`` names its job (so a callback
/// that waits on it fails instead of deadlocking).
enum JobRunner {
    /// Starts `body` on a job thread.  The caller (a bound function, GIL
    /// held) wraps the returned state in a Python `Job`.
    static func startJob<R: ToPython & Sendable>(
        _ name: String, _ body: @escaping @Sendable (JobContext) throws -> R
    ) -> JobState {
        PendingReleases.drainIfNeeded()
        ForkSafety.ensureInstalled()
        let state = JobState(name: name)
        JobRegistry.add(state)
        let once = TakeOnce(body)
        JobThreads.run {
            state.finish(JobState.$current.withValue(state) { run(once.take(), state) })
        }
        return state
    }

    /// Starts `body` as a detached task.
    static func startTask<R: ToPython & Sendable>(
        _ name: String, _ body: @escaping @Sendable () async throws -> R
    ) -> JobState {
        PendingReleases.drainIfNeeded()
        ForkSafety.ensureInstalled()
        let state = JobState(name: name)
        JobRegistry.add(state)
        let once = TakeOnce(body)
        let task = Task.detached {
            state.finish(await JobState.$current.withValue(state) { await run(once.take()) })
        }
        state.setCancelHandler { task.cancel() }
        return state
    }

    /// Runs a job body; `body` is released when this returns.
    private static func run<R: ToPython & Sendable>(
        _ body: (@Sendable (JobContext) throws -> R)?, _ state: JobState
    ) -> JobOutcome {
        guard let body else { return .cancelled }
        do {
            let value = try body(JobContext(state))
            return .value({ try value.toPython().take() })
        } catch is CancellationError {
            return .cancelled
        } catch {
            return .failure(error)
        }
    }

    /// Runs an async body; `body` is released when this returns.
    private static func run<R: ToPython & Sendable>(
        _ body: (@Sendable () async throws -> R)?
    ) async -> JobOutcome {
        guard let body else { return .cancelled }
        do {
            let value = try await body()
            return .value({ try value.toPython().take() })
        } catch is CancellationError {
            return .cancelled
        } catch {
            return .failure(error)
        }
    }
}

/// A value handed over exactly once: the first ``take()`` moves it out, so
/// the holder's copy (and whatever it captured) dies with the taker's.
final class TakeOnce<Value: Sendable>: Sendable {
    private let slot: Mutex<Value?>

    init(_ value: Value) { slot = Mutex(value) }

    func take() -> Value? { slot.withLock { $0.take() } }
}
