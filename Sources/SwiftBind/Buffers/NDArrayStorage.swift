// Left out of an abi3 build for a 3.10 floor: the buffer protocol is in
// the limited API from 3.11 (SWIFTBIND_NO_BUFFER_API, set by the build tool).
#if !SWIFTBIND_NO_BUFFER_API
/// The memory of an ``NDArray``: either a Swift array that is never mutated
/// through the Array API (so it is never reallocated and its address can be
/// handed to Python), or a block from the failable raw allocator
/// (`calloc`) for arrays whose size came from Python.  Elements
/// change only through `base`.
///
/// SAFETY (@unchecked Sendable): `array`, `base` and `count` are immutable
/// after init; elements are written through `base` only by an NDArray that
/// owns this storage exclusively (uniquely referenced and `exclusive`), or
/// by Python through an exported pointer.  The raw allocator needs no GIL,
/// so the storage may die on any thread (a DLPack deleter runs without it).
@usableFromInline
final class NDArrayStorage<Element: BufferElement>: @unchecked Sendable {
    /// The Swift array `base` points into; nil when `base` came from
    /// `calloc` and is freed with the storage.
    @usableFromInline let array: [Element]?
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let count: Int
    /// True when no Swift array outside this storage shares the buffer
    /// (the storage made it); false for an adopted caller's array.
    @usableFromInline let exclusive: Bool

    /// Adopts `values`' buffer without copying it.  The caller's array may
    /// still share the buffer, so `exclusive` is false.
    @inlinable
    init(adopting values: [Element]) {
        self.array = values
        count = values.count
        base = UnsafeMutablePointer(mutating: values.withUnsafeBufferPointer { $0.baseAddress })
            ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
        exclusive = false
    }

    /// A fresh buffer with a copy of `elements` (a Swift array: used to
    /// un-share an existing array before a Swift write, so the size is one
    /// that was already allocated once).
    @inlinable
    convenience init(copying elements: UnsafeBufferPointer<Element>) {
        self.init(fresh: Array(elements))
    }

    /// Takes an array that nothing else shares (the runtime just made it).
    @inlinable
    init(fresh values: [Element]) {
        self.array = values
        count = values.count
        base = UnsafeMutablePointer(mutating: values.withUnsafeBufferPointer { $0.baseAddress })
            ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
        exclusive = true
    }

    /// `count` zeroed elements, or nil when the memory cannot be had (the
    /// caller raises MemoryError).  `count * stride` must already be known
    /// to fit in `Int` (``checkedElementCount(_:itemSize:dtype:)``).
    ///
    /// Zero bits are a valid value of every ``BufferElement`` (0, 0.0,
    /// false), and the kernel hands out large zeroed blocks lazily, so a
    /// big array costs nothing until it is written.
    ///
    /// The corresponding C function is `calloc` (`PyMem_RawCalloc`, the
    /// same allocator in a release build, is not in the limited API).
    init?(zeroedCount count: Int) {
        // SAFETY: calloc needs no GIL; it checks count * size for
        // overflow itself and returns NULL (no exception set) on failure.
        guard let raw = calloc(max(count, 1), MemoryLayout<Element>.stride) else { return nil }
        self.array = nil
        self.count = count
        self.base = raw.bindMemory(to: Element.self, capacity: max(count, 1))
        self.exclusive = true
    }

    deinit {
        // The corresponding C function is `free`.
        if array == nil { free(base) }
    }
}
#endif
