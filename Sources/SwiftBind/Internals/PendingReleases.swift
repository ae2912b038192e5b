import Synchronization

/// References whose Swift owner died on a thread without the GIL.
///
/// Releasing a Python reference needs the GIL.  When the last Swift reference
/// to a ``PythonObject`` goes away on a thread that does not hold it (for
/// instance inside a Swift `Task`, or a ``SendablePythonObject`` dropped
/// inside `withoutGIL`), the pointer is parked here.  PyO3 uses the same
/// scheme.  The parked references are released at these points, each of
/// which holds the GIL and pays one atomic load when nothing is parked:
/// - ``withGIL(_:)``, on entry;
/// - ``withoutGIL(_:)``, when it takes the GIL back;
/// - a call to a job or async function (`m.job`, async `m.def`), on entry;
/// - `Job.result()`, once the wait is over, `await job` and the loop-side
///   wake-up of an awaited job.  A job's body (and the arguments it holds)
///   is dropped before the job is marked finished, so after `result()` or
///   `await` the caller's objects have their reference counts back.
/// Plain synchronous calls do not drain, so they cost nothing extra; a
/// thread that only makes such calls leaves parked references for the next
/// of the points above.
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
