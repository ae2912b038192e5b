/// Mean and population variance, computed in two passes over doubles with
/// SIMD accumulators (16 lanes: two `SIMD8<Double>`, so additions of
/// neighbouring lanes do not wait on each other).
///
/// The second pass sums squared deviations from the mean and subtracts the
/// compensation term `(Σ(x - mean))² / n` (the "corrected two-pass"
/// algorithm), which keeps the result accurate when the mean is large
/// compared with the spread.
struct Moments {
    var mean: Double
    var variance: Double

    static func twoPass(_ x: UnsafeBufferPointer<Double>) -> Moments {
        let n = x.count
        let mean = sum(x) / Double(n)
        var ss = SIMD8<Double>(), ss2 = SIMD8<Double>()
        var dev = SIMD8<Double>(), dev2 = SIMD8<Double>()
        let m = SIMD8<Double>(repeating: mean)
        let raw = UnsafeRawPointer(x.baseAddress!)
        var i = 0
        while i + 16 <= n {
            let a = raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self) - m
            let b = raw.loadUnaligned(fromByteOffset: (i + 8) * 8, as: SIMD8<Double>.self) - m
            ss += a * a; ss2 += b * b
            dev += a; dev2 += b
            i += 16
        }
        var squares = (ss + ss2).sum(), deviations = (dev + dev2).sum()
        while i < n {
            let d = x[i] - mean
            squares += d * d
            deviations += d
            i += 1
        }
        let variance = max((squares - deviations * deviations / Double(n)) / Double(n), 0)
        return Moments(mean: mean, variance: variance)
    }

    static func sum(_ x: UnsafeBufferPointer<Double>) -> Double {
        let n = x.count
        var s = SIMD8<Double>(), s2 = SIMD8<Double>()
        let raw = UnsafeRawPointer(x.baseAddress!)
        var i = 0
        while i + 16 <= n {
            s += raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self)
            s2 += raw.loadUnaligned(fromByteOffset: (i + 8) * 8, as: SIMD8<Double>.self)
            i += 16
        }
        var total = (s + s2).sum()
        while i < n { total += x[i]; i += 1 }
        return total
    }
}
