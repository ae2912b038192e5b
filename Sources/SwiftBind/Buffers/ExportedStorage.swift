import Synchronization
// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API

/// Swift-owned memory handed to Python: what one exporter object (and any
/// DLPack capsules made from it) keeps alive.
///
/// The memory belongs to `owner` (an ``NDArray``'s storage); this record
/// adds what the buffer protocol and DLPack need to describe it, in memory
/// that stays put for its whole life (CPython keeps pointers to `shape`,
/// `strides` and `format` in every `Py_buffer` it hands out).
///
/// SAFETY (@unchecked Sendable): every stored property is immutable after
/// init; the memory is written only by Python code or by DLPack consumers
/// through the pointers handed out, never through this record.  It may die
/// on any thread (a DLPack deleter can run without the GIL) and touches no
/// Python object when it does.
final class ExportedStorage: @unchecked Sendable {
    let owner: AnyObject
    let base: UnsafeMutableRawPointer
    let byteCount: Int
    let itemSize: Int
    let format: UnsafePointer<CChar>
    let kind: BufferFormat.Kind
    let ndim: Int
    /// True when Python must not write the memory (``NDArray/readOnly``):
    /// the buffer protocol refuses writable requests, DLPack sets
    /// `READ_ONLY`, `__array_interface__` says so.
    let isReadOnly: Bool
    /// `ndim` sizes, then `ndim` byte strides.
    let shapeAndStrides: UnsafeMutablePointer<Int>

    var shape: UnsafeMutablePointer<Int> { shapeAndStrides }
    var strides: UnsafeMutablePointer<Int> { shapeAndStrides + ndim }
    var count: Int { byteCount / max(itemSize, 1) }

    /// How many are alive, for leak tests (``BufferDiagnostics``).
    static let live = Atomic<Int>(0)

    /// `count` elements of `E` at `base`, laid out as `shape` (which an
    /// ``NDArray`` initialiser has checked: its product is `count`, and
    /// `count * stride` bytes exist, so nothing here can overflow).
    init<E: BufferElement>(owner: AnyObject, base: UnsafeMutableRawPointer, count: Int, shape: [Int], of: E.Type,
                           readOnly: Bool = false) {
        self.owner = owner
        self.isReadOnly = readOnly
        self.base = base
        self.itemSize = MemoryLayout<E>.stride
        self.byteCount = count * itemSize
        self.format = UnsafeRawPointer(E.exportFormat.utf8Start).assumingMemoryBound(to: CChar.self)
        self.kind = E.bufferKind
        self.ndim = shape.count
        shapeAndStrides = .allocate(capacity: max(2 * shape.count, 1))
        let strides = contiguousStrides(shape: shape, itemSize: itemSize)
        for i in 0..<shape.count {
            shapeAndStrides[i] = shape[i]
            shapeAndStrides[shape.count + i] = strides[i]
        }
        Self.live.add(1, ordering: .relaxed)
    }

    /// The same description over other memory: a copy (`owner` a
    /// ``RawAllocation``) or a sub-array (`owner` the original's owner).
    /// `shape` describes `byteCount` bytes at `base`, C-contiguous.
    private init(like other: ExportedStorage, owner: AnyObject, base: UnsafeMutableRawPointer,
                 shape: [Int], readOnly: Bool) {
        self.owner = owner
        self.base = base
        self.itemSize = other.itemSize
        self.format = other.format
        self.kind = other.kind
        self.isReadOnly = readOnly
        self.ndim = shape.count
        self.byteCount = shape.reduce(other.itemSize, *)   // a part of memory that exists: cannot overflow
        shapeAndStrides = .allocate(capacity: max(2 * shape.count, 1))
        let strides = contiguousStrides(shape: shape, itemSize: itemSize)
        for (i, size) in shape.enumerated() {
            shapeAndStrides[i] = size
            shapeAndStrides[shape.count + i] = strides[i]
        }
        Self.live.add(1, ordering: .relaxed)
    }

    /// A writable copy of the memory in a fresh block (`__dlpack__(copy=True)`),
    /// or nil when the block cannot be allocated.  Needs no GIL.
    func copied() -> ExportedStorage? {
        guard let block = RawAllocation(byteCount: byteCount) else { return nil }
        // SAFETY: both blocks hold byteCount bytes; they do not overlap.
        block.base.copyMemory(from: base, byteCount: byteCount)
        return ExportedStorage(like: self, owner: block, base: block.base,
                               shape: Array(UnsafeBufferPointer(start: shape, count: ndim)), readOnly: false)
    }

    /// Element `index` of the first dimension, as an array of one dimension
    /// less over the same memory (`x[i]` of a 2-D array is its row `i`).
    /// `index` must be in `0..<shape[0]`.
    func subarray(at index: Int) -> ExportedStorage {
        let dims = UnsafeBufferPointer(start: shape, count: ndim)
        return ExportedStorage(like: self, owner: owner, base: base + index * strides[0],
                               shape: Array(dims.dropFirst()), readOnly: isReadOnly)
    }

    deinit {
        shapeAndStrides.deallocate()
        Self.live.subtract(1, ordering: .relaxed)
    }
}

/// A block from the raw allocator, freed with the object (the memory of a
/// DLPack copy or of an unpickled array).  Needs no GIL.
///
/// SAFETY (@unchecked Sendable): `base` is immutable; the bytes are
/// written only through the pointers handed to Python.
final class RawAllocation: @unchecked Sendable {
    let base: UnsafeMutableRawPointer

    /// The corresponding C function is `malloc`.
    init?(byteCount: Int) {
        guard let p = malloc(max(byteCount, 1)) else { return nil }
        base = p
    }

    deinit { free(base) }
}

/// Counters that let tests prove exported Swift memory is freed.
public enum BufferDiagnostics {
    /// Number of Swift arrays currently exported to Python (held by an
    /// exporter object or a DLPack capsule).
    public static var liveExports: Int { ExportedStorage.live.load(ordering: .relaxed) }
}
#endif
