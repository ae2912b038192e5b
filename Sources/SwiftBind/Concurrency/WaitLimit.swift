/// How long a wait may last, made from a Python `timeout` in seconds.
///
/// A `Double` of seconds cannot be turned into integer nanoseconds blindly:
/// `Int64(x * 1e9)` traps (it killed the process) for `inf`, `nan` and
/// anything above about 9.2e9 s.  Every seconds-to-duration conversion in
/// the concurrency runtime goes through here instead.
///
/// What Python's `timeout` means, chosen to match `concurrent.futures`
/// where it is well defined and to refuse what it gets by accident:
/// - `None`: wait forever.
/// - above ``longest`` (136 years), `inf` included: wait forever.
///   (`Future.result(inf)` raises OverflowError in CPython 3.11, an artefact
///   of its `time_t` conversion, not a design.)
/// - zero or negative, `-inf` included: the deadline has passed; return the
///   result if there is one, else `TimeoutError` at once, like
///   `Future.result(-1)`.  Code that computes `deadline - now` relies on it.
/// - `nan`: `ValueError`, like `threading.Lock.acquire(timeout=nan)`
///   (`Future.result(nan)` times out at once only because `nan > 0` is false).
enum WaitLimit: Equatable {
    case forever
    /// Finite, between 0 and ``longest``.
    case seconds(Double)

    /// 2^32 s, about 136 years: longer waits are forever.  Its nanoseconds
    /// (4.3e18) fit an `Int64` (9.2e18) with room for adding `now`.
    static let longest: Double = 4_294_967_296

    /// Reads a Python timeout; `what` names the parameter in the error.
    init(timeout: Double?, what: @autoclosure () -> String) throws {
        guard let timeout else { self = .forever; return }
        if timeout.isNaN {
            throw PythonException(.valueError, "\(what()) must be a number of seconds or None, not nan")
        }
        self = timeout > Self.longest ? .forever : .seconds(max(timeout, 0))
    }

    /// `seconds` as a `Duration`, clamped to 0...``longest``; nan is 0.
    /// Never traps.
    static func duration(seconds: Double) -> Duration {
        guard seconds > 0 else { return .zero }   // also nan
        return .nanoseconds(Int64(min(seconds, longest) * 1e9))
    }

    /// The instant the wait ends, or nil for forever.
    func deadline(from now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
        switch self {
        case .forever: return nil
        case .seconds(let s): return now + Self.duration(seconds: s)
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
