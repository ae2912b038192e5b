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
    ///
    /// Any range works, `Int.min ..< Int.max` included (its length does not
    /// fit in `Int`; the arithmetic here is done in `UInt`).
    ///
    /// - Throws: `ValueError` when `chunks` is not positive or `index` is
    ///   not in `0 ..< chunks` (both often come from Python).
    public static func chunk(_ index: Int, of chunks: Int, in range: Range<Int>) throws -> Range<Int> {
        guard chunks > 0 else { throw PythonException(.valueError, "Parallel.chunk: chunks must be > 0, not \(chunks)") }
        guard index >= 0 && index < chunks else {
            throw PythonException(.valueError, "Parallel.chunk: index must be in 0..<\(chunks), not \(index)")
        }
        return piece(index, of: chunks, in: range)
    }

    /// ``chunk(_:of:in:)`` for arguments already checked: `chunks > 0`,
    /// `0 <= index < chunks`.
    ///
    /// The length `upper - lower` always fits in `UInt`, and every offset
    /// computed from it is at most that length, so the wrapping `Int`
    /// additions below land on the exact bound.
    @inlinable
    static func piece(_ index: Int, of chunks: Int, in range: Range<Int>) -> Range<Int> {
        let (size, extra) = length(of: range).quotientAndRemainder(dividingBy: UInt(chunks))
        let i = UInt(index)
        let offset = i * size + min(i, extra)                 // <= length: cannot overflow
        let start = range.lowerBound &+ Int(bitPattern: offset)
        return start ..< start &+ Int(bitPattern: size + (i < extra ? 1 : 0))
    }

    /// The number of indices in `range`, which for ranges longer than
    /// `Int.max` (`Int.min ..< Int.max`) only `UInt` can hold.
    @inlinable
    static func length(of range: Range<Int>) -> UInt {
        UInt(bitPattern: range.upperBound &- range.lowerBound)
    }
}

/// Runs `body` once for each of `chunks` contiguous pieces of `range`, in
/// parallel, and returns when all are done.
///
/// - Parameters:
///   - range: the indices to cover; empty runs nothing.
///   - chunks: how many pieces (default ``Parallel/defaultChunks``); at most
///     `range.count` are made, and fewer than one counts as one.
///     `chunks: 1` runs `body` on this thread.
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
    // Not range.count, which traps for ranges longer than Int.max.
    let pieces = Int(min(UInt(max(chunks, 1)), Parallel.length(of: range)))
    if pieces == 0 { return [] }
    if pieces == 1 { return [try body(range)] }
    // One slot per piece, each written only by its own piece.  `chunks`
    // often comes from Python, so the slots are allocated failably.
    guard let slots = ResultSlots<T>(count: pieces) else {
        throw PythonException(.memoryError, "parallelMap: cannot allocate the results of \(pieces) pieces")
    }
    let failure = Mutex<(any Error)?>(nil)
    let failed = Atomic<Bool>(false)
    DispatchQueue.concurrentPerform(iterations: pieces) { i in
        if failed.load(ordering: .relaxed) { return }
        do {
            let value = try body(Parallel.piece(i, of: pieces, in: range))
            // SAFETY: slot i belongs to this piece alone; concurrentPerform
            // returns only after every piece, so the reads below see it.
            slots.base[i] = value
        } catch {
            failed.store(true, ordering: .relaxed)
            failure.withLock { if $0 == nil { $0 = error } }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    return (0 ..< pieces).map { slots.base[$0].unsafelyUnwrapped }   // every piece ran and stored (no failure)
}

/// The per-piece results of ``parallelMap(_:chunks:_:)``: `count` optional
/// values, all nil at first, in memory from the failable raw allocator.
///
/// SAFETY (@unchecked Sendable): pieces write disjoint slots; the memory is
/// read only after all pieces are done.  The raw allocator needs no GIL.
final class ResultSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>
    let count: Int

    /// The corresponding C function is `malloc` (`PyMem_RawMalloc` is not in the limited API).
    init?(count: Int) {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T?>.stride)
        guard !overflow, let raw = malloc(max(bytes, 1)) else { return nil }
        base = raw.bindMemory(to: T?.self, capacity: count)
        base.initialize(repeating: nil, count: count)
        self.count = count
    }

    deinit {
        base.deinitialize(count: count)
        free(base)
    }
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
