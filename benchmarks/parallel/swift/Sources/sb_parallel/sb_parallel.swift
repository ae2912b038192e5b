import SwiftBind

// benchmarks/parallel: CPU-bound work (counting primes by trial division)
// done on one core, on all cores inside one call, and from Python threads;
// plus an empty job and a no-op async function for the overheads.

@inline(__always)
func isPrime(_ n: Int) -> Bool {
    if n < 2 { return false }
    if n < 4 { return true }
    if n % 2 == 0 || n % 3 == 0 { return false }
    var d = 5
    while d * d <= n {
        if n % d == 0 || n % (d + 2) == 0 { return false }
        d += 6
    }
    return true
}

func countPrimes(_ range: Range<Int>) -> Int {
    var count = 0
    for n in range where isPrime(n) { count += 1 }
    return count
}

@_cdecl("PyInit_sb_parallel")
public func PyInit_sb_parallel() -> PythonModuleInit {
    PythonModule.define("sb_parallel", doc: "benchmarks/parallel") { m in
        m.def("count_primes(lo, hi)", doc: "Primes in [lo, hi), one core, GIL released.") { (lo: Int, hi: Int) in
            withoutGIL { countPrimes(lo ..< max(lo, hi)) }
        }
        m.def("count_primes_parallel(lo, hi, chunks=0)",
              doc: "Primes in [lo, hi) over `chunks` pieces on all cores (0: the default).") {
            (lo: Int, hi: Int, chunks: Int) throws -> Int in
            try withoutGIL {
                try parallelMap(lo ..< max(lo, hi), chunks: chunks > 0 ? chunks : Parallel.defaultChunks) {
                    countPrimes($0)
                }.reduce(0, +)
            }
        }
        m.def("core_count()") { () in Parallel.coreCount }
        m.job("empty_job()") { (job: JobContext) in }
        m.def("noop_async()") { () async in }
    }
}
