// Brainfuck source -> optimised IR (see Instruction.swift for the IR).
//
// One pass over the source with these optimisations:
//  * blocks: straight-line `+ - < >` become offset-addressed cell operations,
//    folded per cell, and the pointer movement is applied once at the end of
//    the block, with one underflow check;
//  * clear loops `[-]`, `[+]` (any odd step) become "set 0" inside the block,
//    so `[-]+++` is a single "set 3";
//  * move/multiply loops such as `[->+>++<<]` become multiply-add cell
//    operations inside the block ("cell[1] += cell[0] * 1" ...);
//  * scan loops `[>]`, `[<<]` ... end a block with a scan;
//  * loops whose body is one block become a `loop` ending: the whole loop runs
//    without going back to the dispatcher;
//  * every other loop gets `jumpIfZero` / `jumpIfNonZero` blocks with
//    precomputed targets.
//
// Loops are decided lazily: at `[` nothing is emitted; the block before it is
// saved on the loop stack.  If the loop closes while its body is still one
// block, the body can be pattern-matched.  As soon as a body has to emit a
// block (a nested loop that is not a pattern, a scan or I/O), all open loops
// are "materialised": their saved blocks, ending with `jumpIfZero`, are
// emitted outermost first.

/// Compiles Brainfuck source into a Program.
public enum Compiler {
    /// Longest accepted source, in UTF-8 bytes; keeps every index in Int32.
    public static let maximumSourceLength = 1 << 30

    /// Compiles `source`.  Characters other than the eight commands are comments.
    /// Throws `BFError.syntaxError` for unmatched brackets or an oversized program.
    public static func compile(_ source: String) throws(BFError) -> Program {
        if source.utf8.count > maximumSourceLength {
            throw .syntaxError(position: 0, message: "program too large (more than \(maximumSourceLength) bytes)")
        }
        var builder = Builder()
        var position = 0
        for scalar in source.unicodeScalars {
            switch scalar {
            case "+": builder.run.add(1)
            case "-": builder.run.add(255)
            case ">": builder.move(by: 1, position: position)
            case "<": builder.move(by: -1, position: position)
            case "[": builder.open(position: position)
            case "]":
                if !builder.close(position: position) {
                    let location = SourceLocation(position: position, in: source)
                    throw .syntaxError(position: position, message: "unmatched ']' at \(location)")
                }
            case ".": builder.endBlock(with: .output)
            case ",": builder.endBlock(with: .input)
            default: break
            }
            position += 1
        }
        if let frame = builder.loops.first {
            // Report the outermost unclosed `[`: every `[` after it is open too.
            let location = SourceLocation(position: frame.position, in: source)
            throw .syntaxError(position: frame.position, message: "unmatched '[' at \(location)")
        }
        return builder.finish()
    }
}

/// The state of one compilation; see the file comment.
struct Builder {
    struct Frame {
        /// Position of the `[`.
        var position: Int
        /// The block before the `[` (it belongs to the enclosing body).
        var saved: Run
        /// Index of the emitted `jumpIfZero` block, once materialised.
        var jumpIndex = -1
    }

    /// Blocks are split once the pointer wanders this far from the block
    /// start, so every access is within 2 * maximumSpan of the block's start
    /// pointer (Machine.margin covers that).
    static let maximumSpan = 4096

    var blocks: [Block] = []
    var ops: [CellOp] = []
    var blockSites: [[Int]] = []
    var scanSites: [Int: [Int]] = [:]
    var opSites: [Int: [Int]] = [:]
    var overflowSites: [Int] = []
    var run = Run()
    var loops: [Frame] = []
    /// loops[0 ..< materialised] have emitted their `jumpIfZero`.
    var materialised = 0

    // MARK: emitting

    private mutating func materialiseLoops() {
        while materialised < loops.count {
            let saved = loops[materialised].saved
            loops[materialised].saved = Run()
            loops[materialised].jumpIndex = emit(saved, ending: .jumpIfZero)
            materialised += 1
        }
    }

    /// Emits `run` as one block with `ending`; returns the block's index.
    @discardableResult
    private mutating func emit(_ run: Run, ending: Ending, target: Int = 0) -> Int {
        let opStart = ops.count
        for entry in run.entries {
            switch entry {
            case let .cell(offset, isSet, value):
                if isSet {
                    ops.append(.set(offset, value))
                } else if value != 0 {
                    ops.append(.add(offset, value))
                }
            case let .mul(counter, targets, lowest, sites):
                // The first update checks the loop's reach when the counter is
                // non-zero.  Without targets the op clears the counter (with the
                // check); with targets a `.cell` set entry follows.
                if lowest < 0 { opSites[ops.count] = sites }
                for (index, target) in targets.enumerated() {
                    ops.append(CellOp(offset: Int32(target.offset), source: Int32(counter),
                                      lowest: index == 0 ? Int32(lowest) : 0,
                                      mask: target.isSet ? 0 : 0xFF, value: target.value, factor: target.factor))
                }
                if targets.isEmpty {
                    // counter += counter * -1, i.e. counter = 0.
                    ops.append(CellOp(offset: Int32(counter), source: Int32(counter),
                                      lowest: Int32(lowest), mask: 0xFF, value: 0, factor: 255))
                }
            case .removed:
                break
            }
        }
        // `current` and `lowest` are within ±maximumSpan (see move(by:position:)),
        // and op counts within Int32 (the source is at most 1 GiB).
        blocks.append(Block(opStart: Int32(opStart), opCount: Int32(ops.count - opStart),
                            delta: Int32(run.current), lowest: Int32(run.lowest),
                            target: Int32(target), ending: ending))
        blockSites.append(run.lowestSites)
        overflowSites.append(run.highestSite)
        return blocks.count - 1
    }

    /// Ends the current block with `ending` (I/O, `move`).
    mutating func endBlock(with ending: Ending) {
        let block = run
        run = Run()
        materialiseLoops()
        emit(block, ending: ending)
    }

    // MARK: commands

    mutating func move(by delta: Int, position: Int) {
        if run.current >= Builder.maximumSpan || run.current <= -Builder.maximumSpan {
            endBlock(with: .move)
        }
        run.move(by: delta, position: position)
    }

    mutating func open(position: Int) {
        loops.append(Frame(position: position, saved: run))
        run = Run()
    }

    /// Handles `]`; returns false when there is no matching `[`.
    mutating func close(position: Int) -> Bool {
        guard let frame = loops.popLast() else { return false }
        if materialised > loops.count {
            // The body already emitted blocks: finish it with the backward jump.
            materialised = loops.count
            let block = run
            run = Run()
            let back = emit(block, ending: .jumpIfNonZero, target: frame.jumpIndex + 1)
            blocks[frame.jumpIndex].target = Int32(back + 1)
            return true
        }
        let body = run
        run = frame.saved
        if Builder.isClearLoop(body) {
            run.set(0)
        } else if let factors = Builder.multiplyFactors(body) {
            run.addMultiply(body: body, factors: factors)
        } else if let stride = Builder.scanStride(body) {
            let block = run
            run = Run()
            materialiseLoops()
            let index = emit(block, ending: stride > 0 ? .scanRight : .scanLeft, target: Int(stride.magnitude))
            scanSites[index] = body.lowestSites
            if stride > 0 { overflowSites[index] = body.highestSite }
        } else {
            // A general loop whose body is one block: `loop` runs it whole.
            let block = run
            run = Run()
            materialiseLoops()
            let head = emit(block, ending: .loop)
            let back = emit(body, ending: .jumpIfNonZero, target: head + 1)
            blocks[head].target = Int32(back + 1)
        }
        return true
    }

    mutating func finish() -> Program {
        let block = run
        run = Run()
        materialiseLoops()
        emit(block, ending: .halt)
        return Program(blocks: blocks, ops: ops, blockSites: blockSites, scanSites: scanSites,
                       opSites: opSites, overflowSites: overflowSites)
    }

    // MARK: loop patterns (the body is one block)

    /// `[-]`, `[+]`, `[---]`: no movement, only an odd change of the current cell.
    static func isClearLoop(_ body: Run) -> Bool {
        guard body.lowest == 0, body.highest == 0, body.entries.count == 1,
              case let .cell(_, isSet, value) = body.entries[0] else { return false }
        return !isSet && value & 1 == 1
    }

    /// `[>]`, `[<<]`: only a straight move.
    static func scanStride(_ body: Run) -> Int? {
        guard body.entries.isEmpty, body.current != 0 else { return nil }
        if body.current > 0 && body.lowest == 0 && body.highest == body.current { return body.current }
        if body.current < 0 && body.highest == 0 && body.lowest == body.current { return body.current }
        return nil
    }

    /// `[->+>++<<]`: balanced, only adds, the counter changes by an odd amount.
    /// Returns (offset, factor) per other cell: cell += counter * factor.
    static func multiplyFactors(_ body: Run) -> [(Int, UInt8)]? {
        guard body.current == 0, !body.hasMultiply, let slot = body.slots[0],
              case let .cell(_, counterIsSet, step) = body.entries[slot],
              !counterIsSet, step & 1 == 1 else { return nil }
        // The loop runs n * inverse(-step) times (mod 256) for a counter value n.
        let perUnit = inverseMod256(0 &- step)
        var factors: [(Int, UInt8)] = []
        for entry in body.entries {
            guard case let .cell(offset, isSet, value) = entry else { return nil }
            if offset == 0 { continue }
            if isSet { return nil }
            if value != 0 { factors.append((offset, value &* perUnit)) }
        }
        return factors
    }

    /// The multiplicative inverse of an odd byte modulo 256.
    static func inverseMod256(_ odd: UInt8) -> UInt8 {
        var candidate: UInt8 = 1
        while candidate &* odd != 1 { candidate &+= 2 }
        return candidate
    }
}
