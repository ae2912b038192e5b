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
    /// True for a read-only view (``NDArray/numpyView(writable:)``): the
    /// buffer protocol then refuses writable requests and marks the view
    /// read-only, and `__dlpack__` (which has no read-only flag) refuses.
    let readOnly: Bool
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
        self.readOnly = readOnly
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

    deinit {
        shapeAndStrides.deallocate()
        Self.live.subtract(1, ordering: .relaxed)
    }
}

/// Counters that let tests prove exported Swift memory is freed.
public enum BufferDiagnostics {
    /// Number of Swift arrays currently exported to Python (held by an
    /// exporter object or a DLPack capsule).
    public static var liveExports: Int { ExportedStorage.live.load(ordering: .relaxed) }
}
#endif
