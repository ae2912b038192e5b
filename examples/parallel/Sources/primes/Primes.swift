// The computation itself: pure Swift, no Python in sight.

/// True when `n` is prime (trial division by 6k +- 1).
@inline(__always)
func isPrime(_ n: Int) -> Bool {
    if n < 2 { return false }
    if n < 4 { return true }
    if n % 2 == 0 || n % 3 == 0 { return false }
    var d = 5
    while d <= n / d {                  // not d * d <= n, which overflows near Int.max
        if n % d == 0 || n % (d + 2) == 0 { return false }
        d += 6
    }
    return true
}

/// How many primes lie in `range`.
func countPrimes(_ range: Range<Int>) -> Int {
    var count = 0
    for n in range where isPrime(n) { count += 1 }
    return count
}

/// The checked range `lo ..< hi` of a Python call: `hi - lo` (its
/// length, which the pieces are cut from) must fit in an `Int`.
func primeRange(_ lo: Int, _ hi: Int) throws -> Range<Int> {
    guard lo <= hi else { throw PrimesError.emptyRange(lo, hi) }
    guard !hi.subtractingReportingOverflow(lo).overflow else { throw PrimesError.tooLong(lo, hi) }
    return lo ..< hi
}

enum PrimesError: Error {
    case emptyRange(Int, Int)
    case tooLong(Int, Int)
}
