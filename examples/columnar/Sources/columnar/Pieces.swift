import SwiftBind

/// The table's rows cut into pieces for the cores: each piece is a row
/// range of one batch, so a piece never spans two batches.
struct Piece: Sendable {
    let batch: Int
    let rows: Range<Int>
}

/// About `perCore` pieces per core over all batches (at least one per
/// non-empty batch).
func pieces(rowCounts: [Int], perCore: Int) -> [Piece] {
    let total = rowCounts.reduce(0, +)
    let target = max(total / max(Parallel.coreCount * perCore, 1), 1)
    var out: [Piece] = []
    for (b, n) in rowCounts.enumerated() where n > 0 {
        let parts = max((n + target - 1) / target, 1)
        for p in 0..<parts {
            let lo = n * p / parts, hi = n * (p + 1) / parts
            if hi > lo { out.append(Piece(batch: b, rows: lo..<hi)) }
        }
    }
    return out
}

/// Runs `body` on every piece, in parallel, without the GIL.
func overPieces<T: Sendable>(_ pieces: [Piece], _ body: @Sendable @escaping (Piece) -> T) throws -> [T] {
    try withoutGIL {
        try parallelMap(0..<pieces.count, chunks: pieces.count) { range in range.map { body(pieces[$0]) } }.flatMap { $0 }
    }
}
