// A block under construction in the compiler (see Compiler.swift): pending
// cell updates addressed relative to the pointer at the block start, the
// pointer movement so far, and the source positions that errors will blame.

/// A block under construction: cell updates addressed relative to the pointer
/// at its start, plus the pointer movement so far.
struct Run {
    enum Entry {
        case cell(offset: Int, isSet: Bool, value: UInt8)
        /// A multiply loop with its counter at `counter`; `lowest` and `sites`
        /// cover the block up to and including the loop body.  Each target is
        /// `cell = (isSet ? value : cell + value) + counter * factor`, where
        /// (isSet, value) is a pending update of that cell folded into the loop.
        /// With targets, the counter's clearing follows as a `.cell` set entry.
        case mul(counter: Int, targets: [MulTarget], lowest: Int, sites: [Int])
        /// An update that was folded into a later entry.
        case removed
    }

    struct MulTarget {
        var offset: Int
        var factor: UInt8
        var isSet: Bool
        var value: UInt8
    }

    var entries: [Entry] = []
    /// offset -> index of the `.cell` entry later updates of that cell fold into.
    var slots: [Int: Int] = [:]
    /// Pointer position relative to the start of the block.
    var current = 0
    /// Lowest / highest pointer position visited (lowest <= 0 <= highest).
    var lowest = 0
    var highest = 0
    /// `lowestSites[k]`: source position of the `<` that first reached -(k+1).
    var lowestSites: [Int] = []
    /// Source position of the `>` that first reached `highest`.
    var highestSite = 0
    var hasMultiply = false

    var isEmpty: Bool { entries.isEmpty && lowest == 0 && highest == 0 }

    mutating func add(_ amount: UInt8) {
        if let slot = slots[current], case let .cell(offset, isSet, value) = entries[slot] {
            entries[slot] = .cell(offset: offset, isSet: isSet, value: value &+ amount)
        } else {
            slots[current] = entries.count
            entries.append(.cell(offset: current, isSet: false, value: amount))
        }
    }

    mutating func set(_ value: UInt8) {
        if let slot = slots[current] {
            entries[slot] = .cell(offset: current, isSet: true, value: value)
        } else {
            slots[current] = entries.count
            entries.append(.cell(offset: current, isSet: true, value: value))
        }
    }

    mutating func move(by delta: Int, position: Int) {
        current += delta
        if current < lowest {
            lowest = current
            lowestSites.append(position)
        }
        if current > highest {
            highest = current
            highestSite = position
        }
    }

    /// Appends the multiply loop `body` (see Builder.multiplyFactors) at `current`.
    mutating func addMultiply(body: Run, factors: [(Int, UInt8)]) {
        let base = current
        let loopLowest = Swift.min(lowest, base + body.lowest)
        var sites = lowestSites
        // Positions below `lowest` are reached only inside the loop body.
        while sites.count < -loopLowest {
            sites.append(body.lowestSites[sites.count + base])
        }
        var targets: [MulTarget] = []
        for (offset, factor) in factors {
            var target = MulTarget(offset: base + offset, factor: factor, isSet: false, value: 0)
            // A pending update of the target that nothing has read or written
            // since (that is what a slot means) can be done by the loop's op.
            if let slot = slots[target.offset], case let .cell(_, isSet, value) = entries[slot] {
                target.isSet = isSet
                target.value = value
                entries[slot] = .removed
            }
            // Later updates of the targets must not move before the loop.
            slots[target.offset] = nil
            targets.append(target)
        }
        entries.append(.mul(counter: base, targets: targets, lowest: loopLowest, sites: sites))
        if targets.isEmpty {
            slots[base] = nil           // the loop's op clears the counter
        } else {
            // The counter is 0 after the loop: a set that later updates fold into.
            slots[base] = entries.count
            entries.append(.cell(offset: base, isSet: true, value: 0))
        }
        hasMultiply = true
    }
}
