/// Starts the Swift side of jobs (on threads) and async calls (as tasks).
///
/// Jobs run on ``JobThreads``: each starts at once on a thread of its own
/// (reused from earlier jobs when one is idle).  `parallelFor` inside a job
/// uses Dispatch's pool, one thread per core.
///
/// Async calls run as detached `Task`s on Swift's global concurrent
/// executor; cancelling the Python side cancels the task.
enum JobRunner {
    /// Starts `body` on a job thread.  The caller (a bound function, GIL
    /// held) wraps the returned state in a Python `Job`.
    static func startJob<R: ToPython & Sendable>(
        _ name: String, _ body: @escaping @Sendable (JobContext) throws -> R
    ) -> JobState {
        let state = JobState(name: name)
        JobRegistry.add(state)
        JobThreads.run {
            let outcome: JobOutcome
            do {
                let value = try body(JobContext(state))
                outcome = .value({ try value.toPython().take() })
            } catch is CancellationError {
                outcome = .cancelled
            } catch {
                outcome = .failure(error)
            }
            state.finish(outcome)
        }
        return state
    }

    /// Starts `body` as a detached task.
    static func startTask<R: ToPython & Sendable>(
        _ name: String, _ body: @escaping @Sendable () async throws -> R
    ) -> JobState {
        let state = JobState(name: name)
        JobRegistry.add(state)
        let task = Task.detached {
            let outcome: JobOutcome
            do {
                let value = try await body()
                outcome = .value({ try value.toPython().take() })
            } catch is CancellationError {
                outcome = .cancelled
            } catch {
                outcome = .failure(error)
            }
            state.finish(outcome)
        }
        state.setCancelHandler { task.cancel() }
        return state
    }
}
