// The intermediate representation executed by Machine.
//
// A program is a list of *blocks*.  A block is straight-line code between
// loop boundaries and I/O: a run of cell operations (`CellOp`), all addressed
// relative to the pointer at the start of the block, followed by one `Ending`
// that applies the block's net pointer movement (checking that the block never
// went left of cell 0) and then does the control flow or I/O.
//
// Cell operations are "micro-ops" of a single shape: add, set, or the update
// of a move/multiply loop (see CellOp).  A block runs its cell operations in
// a tight loop, so the interpreter dispatches once per block rather than once
// per operation.  Before running, Lowering.swift rewrites each block's cell
// operations as a whole (their net effect per cell).

/// One cell update (16 bytes),
/// `cell[offset] = (cell[offset] & mask) &+ value &+ cell[source] &* factor`:
///  * factor == 0: add (mask 0xFF) or set (mask 0);
///  * factor != 0: an update of a move/multiply loop with counter
///    `cell[source]`, computed without branches (it adds 0 while the counter
///    is 0), folding in a pending add/set of the target cell.  When
///    `lowest < 0` and the counter is non-zero it first checks
///    pointer + lowest >= 0.  A loop without targets is the single op
///    `counter += counter * 255`, i.e. clear; otherwise a set 0 follows.
public struct CellOp: Equatable, Sendable, CustomStringConvertible {
    public var offset: Int32
    public var source: Int32
    public var lowest: Int32
    public var mask: UInt8
    public var value: UInt8
    public var factor: UInt8

    public static func add(_ offset: Int, _ amount: UInt8) -> CellOp {
        CellOp(offset: Int32(offset), source: 0, lowest: 0, mask: 0xFF, value: amount, factor: 0)
    }

    public static func set(_ offset: Int, _ value: UInt8) -> CellOp {
        CellOp(offset: Int32(offset), source: 0, lowest: 0, mask: 0, value: value, factor: 0)
    }

    public var description: String {
        var text = mask == 0 ? "[\(offset)] = \(value)" : "[\(offset)] += \(Int8(bitPattern: value))"
        if factor != 0 { text += " + [\(source)] * \(Int8(bitPattern: factor))" }
        if lowest != 0 { text += " (if [\(source)] != 0: check lowest \(lowest))" }
        return text
    }
}

/// What a block does after its cell operations.  Every ending first moves
/// the pointer by the block's `delta` (checking `lowest` and growing the tape).
public enum Ending: UInt8, Sendable, CaseIterable {
    /// Continue with the next block.
    case move
    /// if cell[0] == 0 { go to block `target` }   (`[` of a general loop)
    case jumpIfZero
    /// if cell[0] != 0 { go to block `target`; one step }   (`]`)
    case jumpIfNonZero
    /// A whole loop whose body is the next block alone (which ends with
    /// `jumpIfNonZero`): while cell[0] != 0 { run that block; one step };
    /// then go to block `target`.
    case loop
    /// while cell[0] != 0 { pointer += target }   (`[>]`, `[>>>]`; grows the tape)
    case scanRight
    /// while cell[0] != 0 { pointer -= target }   (`[<]`, `[<<<]`; checked)
    case scanLeft
    /// Write cell[0].
    case output
    /// cell[0] = next input byte; unchanged at end of input.
    case input
    /// Stop.  Only the last block.
    case halt
}

/// One block (24 bytes): cell operations `ops[opStart ..< opStart + opCount]`,
/// then a pointer move by `delta` (failing if pointer + lowest < 0), then `ending`.
public struct Block: Equatable, Sendable, CustomStringConvertible {
    public var opStart: Int32
    public var opCount: Int32
    public var delta: Int32
    public var lowest: Int32
    /// Jump target (a block index), or the stride of a scan.
    public var target: Int32
    public var ending: Ending

    public var description: String {
        var text = "\(ending)"
        switch ending {
        case .jumpIfZero, .jumpIfNonZero, .loop: text += " \(target)"
        case .scanRight, .scanLeft: text += " by \(target)"
        default: break
        }
        if delta != 0 || lowest != 0 { text += " after move \(delta) (lowest \(lowest))" }
        return text
    }
}

/// A compiled program: blocks and their cell operations, plus the source
/// positions to blame when something fails.
public struct Program: Sendable {
    /// The blocks; the last one ends with `halt`.
    public let blocks: [Block]
    /// The cell operations of all blocks.
    public let ops: [CellOp]
    /// Where a block's move fails: `blockSites[b][k]` is the source position of
    /// the `<` that first reaches -(k+1) relative to the block start, so a
    /// pointer `p` with p + lowest < 0 fails at `blockSites[b][p]`.
    let blockSites: [[Int]]
    /// The same for the body of a scan (relative to one scan iteration).
    let scanSites: [Int: [Int]]
    /// The same for checking cell operations, by op index.
    let opSites: [Int: [Int]]
    /// Per block: the `>` to blame when the tape limit is hit.
    let overflowSites: [Int]

    /// Number of optimised operations: cell operations plus block endings,
    /// not counting the final `halt`.
    public var count: Int { ops.count + blocks.count - 1 }

    static func pick(_ sites: [Int]?, _ p: Int) -> Int {
        guard let sites, !sites.isEmpty else { return 0 }
        return sites[Swift.max(0, Swift.min(p, sites.count - 1))]
    }

    func blockUnderflow(_ block: Int, pointer: Int) -> Int {
        block >= 0 && block < blockSites.count ? Program.pick(blockSites[block], pointer) : 0
    }

    func scanUnderflow(_ block: Int, pointer: Int) -> Int { Program.pick(scanSites[block], pointer) }

    func opUnderflow(_ op: Int, pointer: Int) -> Int { Program.pick(opSites[op], pointer) }

    func overflow(_ block: Int) -> Int {
        block >= 0 && block < overflowSites.count ? overflowSites[block] : 0
    }

    /// A readable listing of the IR.
    public var listing: String {
        var lines: [String] = []
        for (index, block) in blocks.enumerated() {
            lines.append("block \(index):")
            let start = Int(block.opStart)
            for op in ops[start ..< start + Int(block.opCount)] { lines.append("    \(op)") }
            lines.append("    \(block)")
        }
        return lines.joined(separator: "\n")
    }
}
