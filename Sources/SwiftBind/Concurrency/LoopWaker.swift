import Synchronization

/// Wakes an asyncio event loop when a job it awaits finishes, from the
/// worker thread and without the GIL.
///
/// One per loop (per copy of the runtime: every extension carries its own),
/// made on the loop's first `await` of a job and kept on the loop as an
/// attribute holding a capsule.  Its file descriptor (an eventfd) is one of
/// the loop's readers.  A finishing job queues `(job, future)` here and
/// makes the descriptor readable; the loop, in its own thread and with the
/// GIL it holds anyway, runs ``drain()``, which resolves the futures.  The
/// worker never waits for the GIL, and the loop wakes once, where
/// `call_soon_threadsafe` from the worker needs the GIL on the worker and
/// then hands it back to the woken loop.
///
/// Loops that cannot take a reader or an attribute (and a loop inherited
/// through `fork`) get none, and ``JobType`` falls back to
/// `call_soon_threadsafe`.
final class LoopWaker: Sendable {
    /// The descriptor pair from the shim (`sb_waker_open`).
    let waker: Int64
    /// The process that made it: a forked child must not signal its parent's loop.
    let pid: Int32
    private let queue = Mutex<Queue>(Queue())

    private struct Queue {
        var items: [(job: SendablePythonObject, future: SendablePythonObject)] = []
        var closed = false
    }

    private init(waker: Int64) {
        self.waker = waker
        self.pid = getpid()
    }

    /// From any thread, without the GIL: queue the pair and wake the loop.
    /// After the loop has dropped its waker the pair is dropped (nobody
    /// awaits any more); releasing it without the GIL is deferred as usual.
    func post(job: SendablePythonObject, future: SendablePythonObject) {
        let open = queue.withLock { q -> Bool in
            if q.closed { return false }
            q.items.append((job, future))
            return true
        }
        if open { sb_waker_signal(waker) }
    }

    /// On the loop's thread, with the GIL: resolve every queued future.
    /// A failure is raised after the others are resolved.
    func drain() throws {
        sb_waker_clear(waker)
        let items = queue.withLock { q in
            defer { q.items = [] }
            return q.items
        }
        var failure: (any Error)? = nil
        for (job, future) in items {
            let pointer = job.object.unsafePointer
            guard let state = JobType.state(of: pointer) else { continue }
            do { try JobType.resolve(future.object, from: pointer, state) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// The capsule died (its loop did): no more posts, the descriptor closes.
    private func close() {
        let dropped = queue.withLock { q in
            q.closed = true
            defer { q.items = [] }
            return q.items
        }
        _ = dropped   // released here, with the GIL
        sb_waker_close(waker)
    }

    // -- the loop's attribute -------------------------------------------

    /// Unique to this copy of the runtime: another extension's waker on the
    /// same loop is a different Swift class.
    private static let tag = String(UInt(bitPattern: ObjectIdentifier(LoopWaker.self).hashValue), radix: 16)
    private static let attributeName = "_swiftbind_waker_" + tag
    /// The capsule's name; must outlive every capsule.
    nonisolated(unsafe) private static let capsuleName: UnsafeMutablePointer<CChar> = strdup("swiftbind.LoopWaker." + tag)

    // SAFETY (nonisolated(unsafe)): written once, then only read by CPython.
    nonisolated(unsafe) private static let drainMethod: UnsafeMutablePointer<PyMethodDef> = {
        let m = UnsafeMutablePointer<PyMethodDef>.allocate(capacity: 1)
        m.initialize(to: PyMethodDef(ml_name: strdup("_swiftbind_drain"), ml_meth: drainTrampoline,
                                     ml_flags: sb_meth_noargs(), ml_doc: nil))
        return m
    }()

    private static let drainTrampoline: PyCFunction = { capsule, _ in
        guard let capsule, let raw = PyCapsule_GetPointer(capsule, LoopWaker.capsuleName) else { return nil }
        do {
            try Unmanaged<LoopWaker>.fromOpaque(raw).takeUnretainedValue().drain()
            return sb_newref(sb_None())
        } catch {
            return raiseInPython(error)
        }
    }

    private static let destructor: PyCapsule_Destructor = { capsule in
        guard let capsule, let raw = PyCapsule_GetPointer(capsule, LoopWaker.capsuleName) else { return }
        let waker = Unmanaged<LoopWaker>.fromOpaque(raw)
        waker.takeUnretainedValue().close()
        waker.release()
    }

    /// The waker of `loop`, made on first use; nil when the loop cannot
    /// have one (no `add_reader`, no attributes, or inherited through fork).
    /// Requires the GIL.
    static func of(_ loop: PythonObject) -> LoopWaker? {
        if let held = try? loop.attribute(attributeName) {
            guard let raw = PyCapsule_GetPointer(held.unsafePointer, capsuleName) else { PyErr_Clear(); return nil }
            let waker = Unmanaged<LoopWaker>.fromOpaque(raw).takeUnretainedValue()
            return waker.pid == getpid() ? waker : nil
        }
        // A loop without a __dict__ (uvloop's) cannot hold the capsule: no
        // descriptor is opened for it on every await.
        guard (try? loop.attribute("__dict__")) != nil else { PyErr_Clear(); return nil }
        let fd = sb_waker_open()
        guard fd >= 0 else { return nil }
        let waker = LoopWaker(waker: fd)
        guard let capsulePointer = PyCapsule_New(Unmanaged.passRetained(waker).toOpaque(), capsuleName, destructor) else {
            PyErr_Clear()
            Unmanaged.passUnretained(waker).release()
            sb_waker_close(fd)
            return nil
        }
        // From here the capsule owns the waker (its destructor closes it).
        let capsule = PythonObject(owning: capsulePointer)
        do {
            let drain = PythonObject(owning: try checkedNew(PyCFunction_NewEx(drainMethod, capsule.unsafePointer, nil)))
            let readFD = Int(sb_waker_read_fd(fd))
            _ = try loop.attribute("add_reader").call([readFD, drain])
            do {
                try loop.setAttribute(attributeName, capsule)
            } catch {
                _ = try? loop.attribute("remove_reader").call([readFD])
                throw error
            }
            return waker
        } catch {
            PyErr_Clear()
            return nil
        }
    }
}
