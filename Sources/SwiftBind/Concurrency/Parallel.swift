import Dispatch
import Synchronization

/// Parallel loops over index ranges, for use inside ``withoutGIL(_:)``.
///
/// A range is split into `chunks` contiguous pieces that run on Dispatch's
/// worker threads (`DispatchQueue.concurrentPerform`); the call returns when
/// every piece has finished, so no work outlives it.  The first error a
/// piece throws is rethrown once all running pieces are done (pieces that
/// have not started yet are skipped); leaving the bound function, it becomes
/// the call's Python exception like any other error.
///
/// ```swift
/// m.def("sum_of_squares(n)") { (n: Int) in
///     try withoutGIL {
///         try parallelMap(0..<n) { range in range.reduce(0.0) { $0 + Double($1 * $1) } }
///             .reduce(0, +)
///     }
/// }
/// ```
///
/// The closures are `@Sendable`: they may read `Sendable` values (arrays of
/// numbers, strings) but cannot capture Python objects, which the compiler
/// rejects.  They run without the GIL; call ``withGIL(_:)`` in one to reach
/// Python (slow: the pieces then take turns).
public enum Parallel {
    /// The number of cores this process may run on (its CPU affinity).
    public static let coreCount: Int = Int(sb_cpu_count())

    /// The default number of pieces: four per core, so a piece that lands
    /// on a busy core delays the end by a quarter of a core's share.
    public static var defaultChunks: Int { coreCount * 4 }

    /// The sub-range of piece `index` when `range` is cut into `chunks`
    /// pieces whose sizes differ by at most one.
    @inlinable
    public static func chunk(_ index: Int, of chunks: Int, in range: Range<Int>) -> Range<Int> {
        let (size, extra) = range.count.quotientAndRemainder(dividingBy: chunks)
        let start = range.lowerBound + index * size + min(index, extra)
        return start ..< start + size + (index < extra ? 1 : 0)
    }
}

/// Runs `body` once for each of `chunks` contiguous pieces of `range`, in
/// parallel, and returns when all are done.
///
/// - Parameters:
///   - range: the indices to cover; empty runs nothing.
///   - chunks: how many pieces (default ``Parallel/defaultChunks``); at most
///     `range.count` are made.  `chunks: 1` runs `body` on this thread.
///   - body: called with each piece; may throw.
/// - Throws: the first error thrown by a piece.
public func parallelFor(_ range: Range<Int>, chunks: Int = Parallel.defaultChunks,
                        _ body: @Sendable (Range<Int>) throws -> Void) throws {
    _ = try parallelMap(range, chunks: chunks, body)
}

/// Runs `body` on each of `chunks` contiguous pieces of `range` in parallel
/// and returns the pieces' results in range order (one per piece, so a
/// reduction ends with a short serial step: `.reduce(0, +)`).
///
/// - Throws: the first error thrown by a piece.
public func parallelMap<T: Sendable>(_ range: Range<Int>, chunks: Int = Parallel.defaultChunks,
                                     _ body: @Sendable (Range<Int>) throws -> T) throws -> [T] {
    let pieces = min(max(chunks, 1), range.count)
    if pieces == 0 { return [] }
    if pieces == 1 { return [try body(range)] }
    let results = Mutex<[T?]>(Array(repeating: nil, count: pieces))
    let failure = Mutex<(any Error)?>(nil)
    let failed = Atomic<Bool>(false)
    DispatchQueue.concurrentPerform(iterations: pieces) { i in
        if failed.load(ordering: .relaxed) { return }
        do {
            let value = try body(Parallel.chunk(i, of: pieces, in: range))
            results.withLock { $0[i] = value }
        } catch {
            failed.store(true, ordering: .relaxed)
            failure.withLock { if $0 == nil { $0 = error } }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    return results.withLock { $0.map { $0! } }
}

/// Fills `output` in parallel: `body` gets each piece's index range and the
/// matching slice of `output` (`slice[0]` is `output[range.lowerBound]`).
///
/// ```swift
/// var out = [Double](repeating: 0, count: xs.count)
/// try parallelFill(&out) { range, slice in
///     for (k, i) in range.enumerated() { slice[k] = xs[i].squareRoot() }
/// }
/// ```
///
/// - Throws: the first error thrown by a piece; `output` is then partly filled.
public func parallelFill<T>(_ output: inout [T], chunks: Int = Parallel.defaultChunks,
                            _ body: @Sendable (Range<Int>, UnsafeMutableBufferPointer<T>) throws -> Void) throws {
    try output.withUnsafeMutableBufferPointer { buffer in
        // SAFETY: the pieces cover disjoint index ranges of `buffer`, which
        // stays pinned until parallelFor returns (it waits for every piece).
        let base = UnsafeSendable(buffer.baseAddress)
        try parallelFor(0 ..< buffer.count, chunks: chunks) { range in
            let slice = UnsafeMutableBufferPointer(start: base.value.map { $0 + range.lowerBound }, count: range.count)
            try body(range, slice)
        }
    }
}

/// A value moved across threads where the code next to it says why that is
/// safe.
@usableFromInline
struct UnsafeSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}
