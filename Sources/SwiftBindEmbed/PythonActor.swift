/// A global actor whose code runs on one dedicated thread, with the GIL
/// held: Python from Swift concurrency without blocking the cooperative
/// pool while waiting for the GIL.
///
/// ```swift
/// @PythonActor func mean(_ xs: [Double]) throws -> Double {
///     let statistics = try Python.import("statistics")
///     return try statistics.mean(xs).as(Double.self)   // the GIL is held here
/// }
/// let m = try await mean([1, 2, 3])
///
/// let version = try await PythonActor.run { try String(Python.version) }
/// ```
///
/// Each job the actor runs (the code between two suspension points) takes
/// the GIL when it starts and releases it when it ends, so Python threads
/// and other Swift threads (``withGIL(_:)``) run between jobs.  A
/// `PythonObject` may be kept in `@PythonActor`-isolated state; it still
/// cannot leave the actor (it is not `Sendable`).  The interpreter must be
/// running (``PythonInterpreter/start(handleSignals:)`` or
/// ``startInterpreter(handleSignals:)``).
@globalActor
public actor PythonActor {
    public static let shared = PythonActor()

    private let executor = PythonExecutor()

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Runs `body` on the actor, with the GIL held; returns its result.
    public static func run<T: Sendable>(_ body: @PythonActor () throws -> T) async throws -> T {
        try await body()
    }

    /// Starts the interpreter on the actor's thread, making it Python's
    /// main thread: with `handleSignals`, Ctrl-C raises
    /// `KeyboardInterrupt` in Python code run on the actor.  Call it before
    /// any other start; it does nothing when the interpreter already runs.
    /// Blocks the calling thread until the interpreter runs; do not call it
    /// from code running on the actor.
    public static func startInterpreter(handleSignals: Bool = false) {
        shared.executor.thread.runAndWait {
            PythonInterpreter.start(handleSignals: handleSignals)
        }
    }
}

/// The serial executor behind ``PythonActor``: one ``PythonThread``, the
/// GIL taken around every job.
final class PythonExecutor: SerialExecutor {
    let thread = PythonThread()

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        thread.submit {
            withGIL { unowned.runSynchronously(on: executor) }
        }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
