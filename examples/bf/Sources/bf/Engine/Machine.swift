// The executor for compiled programs (see Instruction.swift for the IR).  It
// runs the lowered form of a Program (Lowering.swift): the same blocks, each
// block's cell updates rewritten as a whole into branch-free updates.
//
// Loops whose body is one block (`loop` ending) run in a tight loop: while
// the pointer is far enough from both ends of the tape and the step budget
// lasts, an iteration needs no checks at all; a body that only moves a value
// (`cell[x] += cell[y]; cell[y] = 0`, mandelbrot's hottest loops) has its own
// loop.  The remaining iterations run with every check.
//
// Tape: a zero-filled buffer of `capacity` cells that grows to the right
// (doubling) up to `tapeLimit`, with `margin` spare cells on both sides.  The
// pointer is checked only where a block ends (and in scans); inside a block
// cells are addressed as pointer + offset with |offset| < margin, so the
// dispatch loop indexes the tape without checks.
//
// Steps: one step is one loop iteration (a taken `jumpIfNonZero`); multiply
// and scan loops count as nothing, they always terminate.  Steps are counted
// with a countdown so the hot path is a decrement and a branch; the slow path
// (every `pollInterval` steps) checks `maxSteps` and polls `shouldCancel`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one compiled Program.  Not thread-safe; one run at a time.
public final class Machine {
    /// Cells the tape starts with (the classic 30,000, rounded up).
    public static let initialCells = 32_768
    /// Default largest tape, in cells (64 MiB).
    public static let defaultTapeLimit = 1 << 26
    /// Spare cells on both sides of the tape: more than any cell offset
    /// inside a block (see Builder.maximumSpan).
    static let margin = 2 * Builder.maximumSpan + 64
    /// Steps between two polls of `shouldCancel`.
    public static let pollInterval = 1 << 20

    public let program: Program
    /// The input bytes; `,` at end of input leaves the cell unchanged.
    public var input: [UInt8]
    /// Stop with `BFError.stepLimit` after this many steps (loop iterations).
    public var maxSteps: Int?
    /// Stop with `BFError.tapeOverflow` rather than grow the tape past this.
    public var tapeLimit: Int
    /// Without a sink: stop with `BFError.outputOverflow` rather than collect
    /// more output than this (a program like `+[.]` prints forever, and
    /// running out of memory would kill the process).
    public var outputLimit = Machine.defaultOutputLimit
    public static let defaultOutputLimit = 1 << 30
    /// Polled about every `pollInterval` steps; returning true stops the run
    /// with `BFError.cancelled`.
    public var shouldCancel: (() -> Bool)?
    /// If set, output is handed over in chunks instead of accumulating in
    /// `output`; returning false stops the run with `BFError.cancelled`.
    /// The buffer is only valid during the call.
    public var outputSink: ((UnsafeBufferPointer<UInt8>) -> Bool)?
    /// With a sink: hand over output after each newline (else every `chunkSize` bytes).
    public var flushOnNewline = true
    /// With a sink: largest chunk kept back before handing it over.
    public var chunkSize = 4096

    /// Output produced so far (without a sink: everything; with one: what is not yet flushed).
    public private(set) var output: [UInt8] = []
    /// Steps executed by the last run.
    public private(set) var steps = 0
    /// Input bytes consumed so far.
    public private(set) var inputIndex = 0

    /// The lowered program (see Lowering.swift).
    private let blocks: UnsafeMutablePointer<FlatBlock>
    private let blockCount: Int
    private let updates: UnsafeMutablePointer<Update>
    private let updateCount: Int

    public init(program: Program, input: [UInt8] = [], maxSteps: Int? = nil,
                tapeLimit: Int = Machine.defaultTapeLimit) {
        self.program = program
        self.input = input
        self.maxSteps = maxSteps
        self.tapeLimit = max(tapeLimit, Machine.initialCells)
        let flat = FlatCode(program)
        blockCount = flat.blocks.count
        blocks = .allocate(capacity: blockCount)
        blocks.initialize(from: flat.blocks, count: blockCount)
        updateCount = flat.updates.count
        updates = .allocate(capacity: Swift.max(updateCount, 1))
        updates.initialize(from: flat.updates, count: updateCount)
    }

    deinit {
        blocks.deinitialize(count: blockCount)
        blocks.deallocate()
        updates.deinitialize(count: updateCount)
        updates.deallocate()
    }

    /// Compiles and runs `source`, returning all output.
    public static func run(source: String, input: [UInt8] = [], maxSteps: Int? = nil) throws(BFError) -> [UInt8] {
        let machine = Machine(program: try Compiler.compile(source), input: input, maxSteps: maxSteps)
        try machine.run()
        return machine.output
    }

    // MARK: running

    /// Runs the program from the start on a fresh tape.  With a sink, all
    /// output (also the output before an error) has been handed over on return.
    public func run() throws(BFError) {
        output.removeAll(keepingCapacity: true)
        steps = 0
        inputIndex = 0
        var tape = Tape(cells: Machine.initialCells)
        defer { tape.free() }
        do {
            try execute(&tape)
        } catch {
            _ = flushOutput()   // hand over what was printed before the error
            throw error
        }
        if !flushOutput() { throw .cancelled }
    }

    private func execute(_ tape: inout Tape) throws(BFError) {
        let blocks = UnsafePointer(self.blocks)
        let updates = UnsafePointer(self.updates)
        let program = self.program
        let tapeLimit = self.tapeLimit
        var cells = tape.cells
        var capacity = tape.capacity
        // Invariant between blocks: 0 <= p < capacity.  Inside a block, cell
        // offsets are within ±Machine.margin of p, and the tape has that many
        // spare cells on both sides, so offset accesses stay in memory.
        var p = 0
        var b = 0                       // current block
        let limit = maxSteps ?? Int.max
        var done = 0                    // steps accounted for before this chunk
        var chunk = Swift.min(Machine.pollInterval, Swift.max(limit, 0))
        var budget = chunk              // steps left in this chunk

        while true {
            // SAFETY: the last block ends with `halt` and every jump target is
            // a block index set by the compiler, so `b` stays in 0 ..< blockCount.
            let block = blocks[b]
            if p &+ Int(block.reach) < 0 {
                try runChecked(b, cells, p)
            } else {
                runUpdates(updates, block, cells, p)
            }
            let start = p
            p &+= Int(block.delta)
            if start &+ Int(block.lowest) < 0 || p >= capacity {
                try blockEndSlowPath(block: b, start: start, end: p, lowest: block.lowest, tape: &tape)
                cells = tape.cells
                capacity = tape.capacity
            }
            switch block.ending {
            case .move:
                b &+= 1
            case .jumpIfZero:
                // A branch, not a conditional move: the next block must not
                // wait for this cell (often just stored) to be loaded.
                if _slowPath(cells[p] == 0) { b = Int(block.target) } else { b &+= 1 }
            case .jumpIfNonZero:
                if cells[p] != 0 {
                    b = Int(block.target)
                    if budget == 0 { (done, chunk, budget) = try refillSteps(done: done, chunk: chunk, limit: limit) }
                    budget &-= 1
                } else {
                    b &+= 1
                }
            case .loop:
                if cells[p] != 0 {
                    let bodyIndex = b &+ 1
                    let body = blocks[bodyIndex]
                    let start = Int(body.updateStart)
                    let delta = Int(body.delta)
                    let lowest = Int(body.lowest)
                    // Fast iterations: while p is at least `safeLow` (no reach
                    // or underflow check can fail) and below `safeHigh` (the
                    // move stays below capacity) and the step budget lasts,
                    // nothing needs checking.  The rest runs checked below.
                    let safeLow = -Int(Swift.min(body.reach, body.lowest))
                    let safeHigh = delta > 0 ? capacity &- delta : capacity
                    var finished = false
                    if body.transfer {
                        // SAFETY: as in runUpdates (block offsets, |x| < margin).
                        let to = Int(updates[start].a)
                        let from = Int(updates[start].b)
                        while p >= safeLow && p < safeHigh && budget > 0 {
                            cells[p &+ to] &+= cells[p &+ from]
                            cells[p &+ from] = 0
                            p &+= delta
                            if cells[p] == 0 { finished = true; break }
                            budget &-= 1
                        }
                    } else {
                        while p >= safeLow && p < safeHigh && budget > 0 {
                            runUpdates(updates, body, cells, p)
                            p &+= delta
                            if cells[p] == 0 { finished = true; break }
                            budget &-= 1
                        }
                    }
                    while !finished {
                        if p &+ Int(body.reach) < 0 {
                            try runChecked(bodyIndex, cells, p)
                        } else {
                            runUpdates(updates, body, cells, p)
                        }
                        let start = p
                        p &+= delta
                        if start &+ lowest < 0 || p >= capacity {
                            try blockEndSlowPath(block: bodyIndex, start: start, end: p, lowest: body.lowest, tape: &tape)
                            cells = tape.cells
                            capacity = tape.capacity
                        }
                        if cells[p] == 0 { break }
                        if budget == 0 { (done, chunk, budget) = try refillSteps(done: done, chunk: chunk, limit: limit) }
                        budget &-= 1
                    }
                }
                b = Int(block.target)
            case .scanRight:
                let stride = Int(block.target)
                if stride == 1 {
                    while cells[p] != 0 {
                        // SAFETY: p < capacity, so the search stays in the tape.
                        if let hit = memchr(cells + p, 0, capacity - p) {
                            p = cells.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                        } else {
                            p = capacity
                            try tape.grow(toInclude: p, limit: tapeLimit, site: program.overflow(b))
                            cells = tape.cells
                            capacity = tape.capacity
                        }
                    }
                } else {
                    // Four probes per round while they stay inside the tape
                    // and its right margin (3 * stride < margin).
                    if stride <= Machine.margin / 4 {
                        while p &+ 3 &* stride < capacity {
                            // One branch per round: the smallest of the four is 0.
                            let low = Swift.min(Swift.min(cells[p], cells[p &+ stride]),
                                                Swift.min(cells[p &+ 2 &* stride], cells[p &+ 3 &* stride]))
                            if low == 0 { break }
                            p &+= 4 &* stride
                        }
                    }
                    while cells[p] != 0 {
                        p &+= stride
                        if p >= capacity {
                            try tape.grow(toInclude: p, limit: tapeLimit, site: program.overflow(b))
                            cells = tape.cells
                            capacity = tape.capacity
                        }
                    }
                }
                b &+= 1
            case .scanLeft:
                let stride = Int(block.target)
                // Four probes per round while all of them stay at cells >= 0.
                while p >= 3 &* stride {
                    let low = Swift.min(Swift.min(cells[p], cells[p &- stride]),
                                        Swift.min(cells[p &- 2 &* stride], cells[p &- 3 &* stride]))
                    if low == 0 { break }
                    p &-= 4 &* stride
                    if p < 0 { p &+= 4 &* stride; break }
                }
                while cells[p] != 0 {
                    if p < stride { throw .tapeUnderflow(position: program.scanUnderflow(b, pointer: p)) }
                    p &-= stride
                }
                b &+= 1
            case .output:
                output.append(cells[p])
                if outputSink != nil {
                    if (flushOnNewline && cells[p] == 10) || output.count >= chunkSize {
                        if !flushOutput() { throw .cancelled }
                    }
                } else if output.count >= outputLimit {
                    throw .outputOverflow(limit: outputLimit)
                }
                b &+= 1
            case .input:
                if inputIndex < input.count {
                    cells[p] = input[inputIndex]
                    inputIndex += 1
                }
                b &+= 1
            case .halt:
                steps = done + (chunk - budget)
                return
            }
        }
    }

    /// Runs a block's updates (see FlatBlock) with the pointer at p.
    @inline(__always)
    private func runUpdates(_ updates: UnsafePointer<Update>, _ block: FlatBlock,
                            _ cells: UnsafeMutablePointer<UInt8>, _ p: Int) {
        // SAFETY: the updates of the block are updateStart ..< updateStart +
        // generalCount + addCount + setCount; a and b are block offsets
        // (|x| < margin), so all accesses stay inside the tape's allocation
        // (see Tape).
        var update = updates + Int(block.updateStart)
        var end = update + Int(block.generalCount)
        while update < end {
            let index = p &+ Int(update.pointee.a)
            cells[index] = update.pointee.value &+ (cells[index] & update.pointee.keep)
                &+ cells[p &+ Int(update.pointee.b)] &* update.pointee.factor
            update += 1
        }
        end += Int(block.addCount)
        while update < end {
            cells[p &+ Int(update.pointee.a)] &+= update.pointee.value
            update += 1
        }
        end += Int(block.setCount)
        while update < end {
            cells[p &+ Int(update.pointee.a)] = update.pointee.value
            update += 1
        }
    }

    /// Runs the original cell operations of a block, checking its multiply
    /// loops' reach (see FlatBlock.reach).
    @inline(never)
    private func runChecked(_ block: Int, _ cells: UnsafeMutablePointer<UInt8>, _ p: Int) throws(BFError) {
        let original = program.blocks[block]
        let start = Int(original.opStart)
        for k in start ..< start + Int(original.opCount) {
            try apply(program.ops[k], k, cells, p, program)
        }
    }

    /// Runs one cell operation (index `k`, for error positions) at pointer p.
    @inline(__always)
    private func apply(_ op: CellOp, _ k: Int, _ cells: UnsafeMutablePointer<UInt8>, _ p: Int,
                       _ program: Program) throws(BFError) {
        // SAFETY: offset and source are block offsets (|x| < margin), so
        // both accesses stay inside the tape's allocation (see Tape).
        let index = p &+ Int(op.offset)
        if op.factor == 0 {
            if op.mask == 0 { cells[index] = op.value } else { cells[index] &+= op.value }
        } else {
            // A multiply-loop update, branch-free (adds 0 while the counter
            // is 0); the reach check matters only for a non-zero counter.
            let n = cells[p &+ Int(op.source)]
            if p &+ Int(op.lowest) < 0 && n != 0 {
                throw .tapeUnderflow(position: program.opUnderflow(k, pointer: p))
            }
            cells[index] = (cells[index] & op.mask) &+ op.value &+ n &* op.factor
        }
    }

    /// Accounts for a full chunk of steps: enforces maxSteps, polls shouldCancel.
    @inline(never)
    /// (Values, not inout: the counters stay in registers in the dispatch loop.)
    private func refillSteps(done: Int, chunk: Int, limit: Int) throws(BFError) -> (done: Int, chunk: Int, budget: Int) {
        let done = done + chunk
        if done >= limit {
            steps = done
            throw .stepLimit(steps: limit)
        }
        if let shouldCancel, shouldCancel() {
            steps = done
            throw .cancelled
        }
        let chunk = Swift.min(Machine.pollInterval, limit - done)
        return (done, chunk, chunk)
    }

    /// A block ended outside the tape: report the underflow, or grow the tape.
    @inline(never)
    private func blockEndSlowPath(block: Int, start: Int, end: Int, lowest: Int32, tape: inout Tape) throws(BFError) {
        if start &+ Int(lowest) < 0 {
            throw .tapeUnderflow(position: program.blockUnderflow(block, pointer: start))
        }
        try tape.grow(toInclude: end, limit: tapeLimit, site: program.overflow(block))
    }

    /// Hands buffered output to the sink; false if the sink asked to stop.
    private func flushOutput() -> Bool {
        guard let outputSink, !output.isEmpty else { return true }
        let keepGoing = output.withUnsafeBufferPointer { outputSink($0) }
        output.removeAll(keepingCapacity: true)
        return keepGoing
    }
}
