// The tape of one run: zero-filled cells that grow to the right, with spare
// margins on both sides so that cell accesses inside a block need no checks
// (see Machine.swift and Instruction.swift).

/// The cells of a run: zero-filled, growable to the right, with
/// `Machine.margin` spare cells on both sides of the `capacity` cells.
/// Cells in the right margin are real tape cells (they move along when the
/// tape grows); the left margin is only ever written on a failing run.
struct Tape {
    private(set) var cells: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init(cells count: Int) {
        let margin = Machine.margin
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count + 2 * margin, alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: count + 2 * margin)
        cells = (raw + margin).assumingMemoryBound(to: UInt8.self)
        capacity = count
    }

    /// Grows (doubling, at most to `limit` cells) so that `index` is a cell
    /// below `capacity`.
    mutating func grow(toInclude index: Int, limit: Int, site: Int) throws(BFError) {
        guard index < limit else { throw .tapeOverflow(position: site, limit: limit) }
        let margin = Machine.margin
        var newCapacity = capacity
        while newCapacity <= index { newCapacity = Swift.min(newCapacity * 2, limit) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: newCapacity + 2 * margin, alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: margin)
        (raw + margin).copyMemory(from: cells, byteCount: capacity + margin)
        (raw + margin + capacity + margin).initializeMemory(as: UInt8.self, repeating: 0,
                                                            count: newCapacity - capacity)
        free()
        cells = (raw + margin).assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }

    func free() {
        (UnsafeMutableRawPointer(cells) - Machine.margin).deallocate()
    }
}
