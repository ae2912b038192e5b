// Program (see Instruction.swift) -> the form Machine runs: the same blocks,
// with each block's cell updates rewritten as a whole into branch-free
// updates of one shape (`Update`).
//
// Every CellOp is affine in the cells (`cell[o] = (cell[o] & mask) + value +
// cell[s] * factor`, mod 256), so a block's net effect is, per written cell,
// `constant + sum(factor * initial cell)` ("affine form").  Storing those
// final values directly removes the chains of store -> load -> store through
// one cell that the op-by-op form has (a multiply loop reading a counter that
// the previous op just wrote) and drops dead intermediate writes.  The stores
// are ordered so that a cell is written only after every other update that
// reads its initial value.  A block whose updates read each other in a cycle
// keeps the op-by-op form (also expressible as Updates).
//
// A multiply loop whose body reaches left of everything the block visited
// before it must fail if its counter is non-zero and the pointer is too close
// to cell 0.  Such checks cannot fail while p + reach >= 0 (`reach`: the
// lowest such offset); only closer to cell 0 does Machine run the block's
// original CellOps, which test each counter at its point.

/// One branch-free cell update (12 bytes):
/// `cell[a] = value + (cell[a] & keep) + cell[b] * factor` (mod 256), keep
/// 0xFF or 0.  add: keep 0xFF, factor 0; set: keep 0, factor 0; multiply-add:
/// keep 0xFF.  Updates with more terms are a chain of these on the same cell.
struct Update {
    var a: Int32
    var b: Int32
    var value: UInt8
    var keep: UInt8
    var factor: UInt8
}

/// A block as Machine runs it: Block with its updates in `updates`.
struct FlatBlock {
    var updateStart: Int32
    var updateCount: Int32
    var delta: Int32
    var lowest: Int32
    var target: Int32
    var ending: Ending
    /// Lowest reach of the block's multiply loops (0 if none): when
    /// p + reach < 0, Machine runs the block's original CellOps
    /// (Program.blocks), which check each loop, instead of the updates.
    var reach: Int32
    /// The updates are `cell[x] += cell[y]; cell[y] = 0` (x != y; the
    /// first update holds x and y): a loop of this body moves a value along.
    var transfer = false
}

/// The lowered form of a Program.
struct FlatCode {
    var blocks: [FlatBlock] = []
    var updates: [Update] = []

    init(_ program: Program) {
        blocks.reserveCapacity(program.blocks.count)
        for block in program.blocks {
            let start = updates.count
            let ops = program.ops[Int(block.opStart) ..< Int(block.opStart) + Int(block.opCount)]
            let reach = ops.map { $0.factor != 0 ? $0.lowest : 0 }.min() ?? 0
            if !lowerAffine(ops) {
                for op in ops { lowerSequential(op) }
            }
            var flat = FlatBlock(updateStart: Int32(start), updateCount: Int32(updates.count - start),
                                 delta: block.delta, lowest: block.lowest, target: block.target,
                                 ending: block.ending, reach: reach)
            if updates.count - start == 2 {
                let (first, second) = (updates[start], updates[start + 1])
                flat.transfer = first.a != first.b && first.value == 0 && first.keep == 0xFF && first.factor == 1
                    && second.a == first.b && second.value == 0 && second.keep == 0 && second.factor == 0
            }
            blocks.append(flat)
        }
    }

    // MARK: cell updates

    /// An affine function of the cells at block start: constant + sum(factor * cell).
    struct Expr: Equatable {
        var constant: UInt8 = 0
        /// offset -> factor (never 0)
        var terms: [Int: UInt8] = [:]

        static func cell(_ offset: Int) -> Expr { Expr(constant: 0, terms: [offset: 1]) }

        /// self += other * factor
        mutating func add(_ other: Expr, times factor: UInt8) {
            constant &+= other.constant &* factor
            for (offset, f) in other.terms {
                let sum = (terms[offset] ?? 0) &+ f &* factor
                terms[offset] = sum == 0 ? nil : sum
            }
        }
    }

    /// The op-by-op form of one CellOp (without a reach check).
    private mutating func lowerSequential(_ op: CellOp) {
        if op.factor == 0 && op.mask != 0 && op.value == 0 { return }
        updates.append(Update(a: op.offset, b: op.source, value: op.value,
                              keep: op.mask, factor: op.factor))
    }

    /// The affine form of a block's CellOps; false where it does not apply.
    private mutating func lowerAffine(_ ops: ArraySlice<CellOp>) -> Bool {
        var state: [Int: Expr] = [:]
        for op in ops {
            let offset = Int(op.offset)
            var value = op.mask == 0 ? Expr() : state[offset] ?? .cell(offset)
            value.constant &+= op.value
            if op.factor != 0 {
                value.add(state[Int(op.source)] ?? .cell(Int(op.source)), times: op.factor)
            }
            state[offset] = value
        }
        // Written cells whose value changes, in offset order (deterministic).
        var pending = state.filter { $0.value != .cell($0.key) }.sorted { $0.key < $1.key }
        var ordered: [(Int, Expr)] = []
        while !pending.isEmpty {
            // A cell can be stored once no other pending update reads it.
            guard let next = pending.indices.first(where: { i in
                let offset = pending[i].0
                return !pending.indices.contains { j in j != i && pending[j].1.terms[offset] != nil }
            }) else { return false }
            ordered.append(pending.remove(at: next))
        }
        for (offset, expr) in ordered { emit(offset, expr) }
        return true
    }

    /// Stores `expr` into c[offset]: one Update per two terms (its own cell
    /// counts as the `keep` term of the first).
    private mutating func emit(_ offset: Int, _ expr: Expr) {
        let target = Int32(offset)
        var terms = expr.terms.filter { $0.key != offset }.sorted { $0.key < $1.key }
        var keep: UInt8 = 0
        switch expr.terms[offset] ?? 0 {
        case 0: break
        case 1: keep = 0xFF
        case let own: terms.insert((key: offset, value: own), at: 0)  // read before the first store
        }
        var value = expr.constant
        repeat {
            let term = terms.isEmpty ? (key: offset, value: UInt8(0)) : terms.removeFirst()
            updates.append(Update(a: target, b: Int32(term.key), value: value, keep: keep, factor: term.value))
            keep = 0xFF
            value = 0
        } while !terms.isEmpty
    }
}
