import Testing
import Dispatch
import Synchronization
@testable import SwiftBind
import SwiftBindEmbed

/// Python from many threads and tasks: withGIL from OS threads, and
/// PythonActor from Swift concurrency.
@Suite struct EmbedConcurrencyTests {
    init() { TestInterpreter.ensure() }

    @Test func eightThreadsTwentyThousandCallsEach() throws {
        let ident = try withGIL { SendablePythonObject(try Python.eval("lambda x: x + 1")) }
        let failures = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        failures.initialize(repeating: 0)
        defer { failures.deallocate() }
        nonisolated(unsafe) let slots = failures
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            withGIL {
                let f = ident.object
                for i in 0..<20_000 where (try? f.call(with: i, as: Int.self)) != i + 1 {
                    slots[t] += 1
                }
            }
        }
        #expect(failures.reduce(0, +) == 0)
    }

    @Test func actorRunsWithTheGIL() async throws {
        let answer = try await PythonActor.run { () throws -> Int in
            #expect(GIL.isHeld)
            return try Int(Python.eval("6 * 7"))
        }
        #expect(answer == 42)
        let doubled = try await twice(21)
        #expect(doubled == 42)
    }

    @Test func manyTasksOnTheActorAndThreadsAtOnce() async throws {
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask {
                    if i % 2 == 0 {
                        return try await PythonActor.run { try Int(Python.eval("sum(range(\(i)))")) }
                    }
                    return try withGIL { try Int(Python.eval("sum(range(\(i)))")) }
                }
            }
            var sum = 0
            for try await v in group { sum += v }
            return sum
        }
        #expect(total == (0..<200).map { (0..<$0).reduce(0, +) }.reduce(0, +))
    }

    @Test func actorStateMayHoldPythonObjects() async throws {
        let counter = try await Counter()
        for _ in 0..<100 { try await counter.bump() }
        #expect(try await counter.value() == 100)
    }

    /// Tasks waiting for the actor hold no cooperative thread: while the
    /// actor runs a long Python job, 32 tasks queue for it, and a plain task
    /// still runs before the long job ends.
    @Test func waitingForTheActorDoesNotBlockThePool() async throws {
        longJobDone.store(false, ordering: .sequentiallyConsistent)
        async let long: Void = PythonActor.run {
            _ = try Python.exec("import time\nend = time.monotonic() + 0.5\nwhile time.monotonic() < end: pass\n")
            longJobDone.store(true, ordering: .sequentiallyConsistent)
        }
        try await Task.sleep(for: .milliseconds(50))
        async let waiting: [Int] = withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<32 { group.addTask { try await PythonActor.run { try Int(Python.eval("\(i)")) } } }
            var out: [Int] = []
            for try await v in group { out.append(v) }
            return out
        }
        try await Task.sleep(for: .milliseconds(50))
        let ranEarly = await Task { !longJobDone.load(ordering: .sequentiallyConsistent) }.value
        #expect(ranEarly)
        try await long
        #expect(try await waiting.sorted() == Array(0..<32))
    }
}

/// Set by waitingForTheActorDoesNotBlockThePool's long job when it ends.
let longJobDone = Atomic<Bool>(false)

@PythonActor func twice(_ n: Int) throws -> Int {
    let f = try Python.eval("lambda n: 2 * n")
    return try f.call(with: n, as: Int.self)
}

@PythonActor final class Counter {
    let box: PythonObject
    init() throws { box = try Python.eval("[0]") }
    func bump() throws { try box.setItem(0, try box[0] + 1) }
    func value() throws -> Int { try Int(box[0]) }
}
