import SwiftBind

// The four queries, over the Arrow buffers in place.  Values may be null
// (skipped, as pyarrow.compute and polars skip them); keys may not.

/// Sum of values and count of non-null values, per key.
struct Groups: Sendable {
    var keys: [Int64] = []
    var sums: [Double] = []
    var counts: [Int64] = []
}

func groupBy(keys: [ArrowPrimitiveArray<Int64>], values: [ArrowPrimitiveArray<Double>]) throws -> Groups {
    let all = pieces(rowCounts: keys.map(\.count), perCore: 1)
    // Pass 1: the key range, to choose dense arrays or a dictionary.
    let ranges = try overPieces(all) { p -> (Int64, Int64) in
        var lo = Int64.max, hi = Int64.min
        for k in UnsafeBufferPointer(rebasing: keys[p.batch].values[p.rows]) { lo = min(lo, k); hi = max(hi, k) }
        return (lo, hi)
    }
    guard let lo = ranges.map(\.0).min(), let hi = ranges.map(\.1).max() else { return Groups() }
    let (span, overflow) = hi.subtractingReportingOverflow(lo)
    if !overflow && span < 1 << 16 {
        return try denseGroupBy(all, keys, values, lo: lo, width: Int(span) + 1)
    }
    return try sparseGroupBy(all, keys, values)
}

private func denseGroupBy(_ all: [Piece], _ keys: [ArrowPrimitiveArray<Int64>], _ values: [ArrowPrimitiveArray<Double>],
                          lo: Int64, width: Int) throws -> Groups {
    // Per piece: sums, non-null counts and row counts (a key whose values
    // are all null is still a group).
    let partials = try overPieces(all) { p -> ([Double], [Int64], [Int64]) in
        var sums = [Double](repeating: 0, count: width)
        var counts = [Int64](repeating: 0, count: width)
        var seen = [Int64](repeating: 0, count: width)
        let k = keys[p.batch].values, v = values[p.batch].values, valid = values[p.batch].validity
        sums.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                seen.withUnsafeMutableBufferPointer { r in
                    if valid.hasBitmap {
                        for i in p.rows {
                            let g = Int(k[i] &- lo)
                            r[g] &+= 1
                            if valid.isValid(i) { s[g] += v[i]; c[g] &+= 1 }
                        }
                    } else {
                        for i in p.rows {
                            let g = Int(k[i] &- lo)
                            s[g] += v[i]
                            c[g] &+= 1
                        }
                        for g in 0..<width { r[g] = c[g] }
                    }
                }
            }
        }
        return (sums, counts, seen)
    }
    var sums = [Double](repeating: 0, count: width)
    var counts = [Int64](repeating: 0, count: width)
    var seen = [Int64](repeating: 0, count: width)
    for (s, c, r) in partials {
        for g in 0..<width { sums[g] += s[g]; counts[g] += c[g]; seen[g] += r[g] }
    }
    var out = Groups()
    for g in 0..<width where seen[g] > 0 {
        out.keys.append(lo + Int64(g))
        out.sums.append(sums[g])
        out.counts.append(counts[g])
    }
    return out
}

private func sparseGroupBy(_ all: [Piece], _ keys: [ArrowPrimitiveArray<Int64>], _ values: [ArrowPrimitiveArray<Double>]) throws -> Groups {
    let partials = try overPieces(all) { p -> [Int64: (Double, Int64)] in
        var groups: [Int64: (Double, Int64)] = [:]
        let k = keys[p.batch], v = values[p.batch]
        for i in p.rows {
            let x = v[i]
            groups[k.values[i], default: (0, 0)].0 += x ?? 0
            groups[k.values[i], default: (0, 0)].1 += x == nil ? 0 : 1
        }
        return groups
    }
    var merged: [Int64: (Double, Int64)] = [:]
    for part in partials {
        for (key, (s, c)) in part { merged[key, default: (0, 0)].0 += s; merged[key, default: (0, 0)].1 += c }
    }
    var out = Groups()
    for key in merged.keys.sorted() {
        out.keys.append(key)
        out.sums.append(merged[key]!.0)
        out.counts.append(merged[key]!.1)
    }
    return out
}

/// Mean of the non-null values greater than `threshold` (nil when none).
func filteredMean(_ values: [ArrowPrimitiveArray<Double>], greaterThan threshold: Double) throws -> Double? {
    let all = pieces(rowCounts: values.map(\.count), perCore: 4)
    let partials = try overPieces(all) { p -> (Double, Int) in
        let v = values[p.batch].values, valid = values[p.batch].validity
        var sum = 0.0, n = 0
        if valid.hasBitmap {
            for i in p.rows where valid.isValid(i) && v[i] > threshold { sum += v[i]; n += 1 }
        } else {
            for i in p.rows {
                let x = v[i]
                let take = x > threshold
                sum += take ? x : 0
                n += take ? 1 : 0
            }
        }
        return (sum, n)
    }
    let n = partials.reduce(0) { $0 + $1.1 }
    return n == 0 ? nil : partials.reduce(0.0) { $0 + $1.0 } / Double(n)
}

/// How many non-null strings have each UTF-8 byte length.
func lengthHistogram(_ strings: [ArrowAnyStringArray]) throws -> [Int64] {
    let all = pieces(rowCounts: strings.map(\.count), perCore: 4)
    let partials = try overPieces(all) { p -> [Int64] in
        var counts = [Int64](repeating: 0, count: 256)
        var long: [Int: Int64] = [:]   // lengths past 255 bytes (rare)
        let s = strings[p.batch], valid = s.validity
        counts.withUnsafeMutableBufferPointer { c in
            func add(_ n: Int) { if n < 256 { c[n] &+= 1 } else { long[n, default: 0] += 1 } }
            switch s.layout {
            case .utf8(let a):
                // Lengths are differences of neighbouring offsets: the string bytes are never read.
                let o = a.storage.allOffsets
                if valid.hasBitmap {
                    for i in p.rows where valid.isValid(i) { add(Int(o[i + 1] &- o[i])) }
                } else {
                    for i in p.rows { add(Int(o[i + 1] &- o[i])) }
                }
            case .largeUTF8(let a):
                let o = a.storage.allOffsets
                for i in p.rows where valid.isValid(i) { add(Int(o[i + 1] &- o[i])) }
            case .view(let a):
                for i in p.rows where valid.isValid(i) { add(a.byteCount(at: i)) }
            }
        }
        if let longest = long.keys.max() {
            counts += [Int64](repeating: 0, count: longest + 1 - counts.count)
            for (n, k) in long { counts[n] += k }
        }
        return counts
    }
    var total = [Int64](repeating: 0, count: partials.map(\.count).max() ?? 0)
    for part in partials { for (n, c) in part.enumerated() { total[n] += c } }
    while let last = total.last, last == 0 { total.removeLast() }
    return total
}
