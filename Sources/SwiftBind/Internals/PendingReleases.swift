import Synchronization

/// References whose Swift owner died on a thread without the GIL.
///
/// Releasing a Python reference needs the GIL.  When the last Swift reference
/// to a ``PythonObject`` goes away on a thread that does not hold it (for
/// instance inside a Swift `Task`), the pointer is parked here and released
/// the next time the runtime holds the GIL (on the next call into Swift from
/// Python, or the next ``withGIL``).  PyO3 uses the same scheme.
@usableFromInline
enum PendingReleases {
    static let queue = Mutex<[PyObjectPointerBox]>([])
    static let count = Atomic<Int>(0)

    @usableFromInline
    static func park(_ pointer: PyObjectPointer) {
        queue.withLock { $0.append(PyObjectPointerBox(pointer: pointer)) }
        count.add(1, ordering: .releasing)
    }

    /// Releases everything parked.  Requires the GIL.
    @usableFromInline
    static func drainIfNeeded() {
        guard count.load(ordering: .acquiring) > 0 else { return }
        let parked = queue.withLock { q -> [PyObjectPointerBox] in
            let taken = q
            q.removeAll()
            return taken
        }
        count.subtract(parked.count, ordering: .releasing)
        for box in parked { sb_decref(box.pointer) }
    }
}

/// A pointer moved between threads only to be released with the GIL held.
struct PyObjectPointerBox: @unchecked Sendable {
    let pointer: PyObjectPointer
}
