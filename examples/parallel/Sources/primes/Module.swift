import SwiftBind

// The Python module `primes`: one computation offered four ways.
//
//   count_primes(lo, hi)              one call, one core, GIL released
//   count_primes_parallel(lo, hi)     one call, every core (parallelMap)
//   count_primes_job(lo, hi)          a background Job with progress and cancel
//   count_primes_async(lo, hi)        an awaitable for asyncio
//
// Process pools and Dask call `count_primes` on pieces of the range: module
// functions pickle by reference, so workers import `primes` and call it.

extension PrimesError: PythonExceptionConvertible {
    var pythonException: PythonException {
        switch self {
        case .emptyRange(let lo, let hi): .valueError("need lo <= hi, got lo=\(lo), hi=\(hi)")
        case .tooLong(let lo, let hi): .overflowError("the range [lo, hi) is too long: hi - lo must be at most \(Int.max), got lo=\(lo), hi=\(hi)")
        }
    }
}

@_cdecl("PyInit_primes")
public func PyInit_primes() -> PythonModuleInit {
    PythonModule.define("primes", doc: "Count primes with every core (a swiftbind example).") { m in
        m.def("count_primes(lo, hi)", doc: "Number of primes in [lo, hi), on one core with the GIL released.") {
            (lo: Int, hi: Int) throws -> Int in
            let range = try primeRange(lo, hi)
            return withoutGIL { countPrimes(range) }
        }

        m.def("count_primes_parallel(lo, hi, chunks=0)",
              doc: "Number of primes in [lo, hi), split into `chunks` pieces over all cores (0: 4 per core).") {
            (lo: Int, hi: Int, chunks: Int) throws -> Int in
            let range = try primeRange(lo, hi)
            return try withoutGIL {
                try parallelMap(range, chunks: chunks > 0 ? chunks : Parallel.defaultChunks) { piece in
                    countPrimes(piece)
                }.reduce(0, +)
            }
        }

        m.job("count_primes_job(lo, hi, steps=100)",
              doc: "Start counting primes in [lo, hi) in the background; returns a Job (progress, cancel, result).") {
            (lo: Int, hi: Int, steps: Int, job: JobContext) throws -> Int in
            let range = try primeRange(lo, hi)
            let pieces = max(1, min(steps, range.count))
            var total = 0
            for i in 0..<pieces {
                try job.checkCancellation()
                total += try parallelMap(try Parallel.chunk(i, of: pieces, in: range)) { countPrimes($0) }.reduce(0, +)
                job.report(Double(i + 1) / Double(pieces), message: "\(total) primes so far")
            }
            return total
        }

        m.def("count_primes_async(lo, hi)", doc: "Await the number of primes in [lo, hi) (asyncio).") {
            (lo: Int, hi: Int) async throws -> Int in
            let range = try primeRange(lo, hi)
            var total = 0
            var start = range.lowerBound
            while start < range.upperBound {
                try Task.checkCancellation()                 // a cancelled asyncio task stops here
                // Not start + 100_000 unchecked (or stride(from:to:by:)), which
                // overflows near Int.max; upperBound - start fits (primeRange).
                let end = range.upperBound - start > 100_000 ? start + 100_000 : range.upperBound
                total += countPrimes(start ..< end)
                start = end
                await Task.yield()
            }
            return total
        }
    }
}
