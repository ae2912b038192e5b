import SwiftBind

/// The seed's goroutine pattern, done properly: start long work, return at
/// once, poll or await it from Python.
///
/// `xor_job(data, key=90, chunk=1 MiB)` returns a `Job`: `job.progress`
/// (0.0-1.0) and `job.message` advance chunk by chunk, `job.cancel()` stops
/// it between chunks, `job.result()` (or `await job`) gives the new bytes.
/// The job's body runs on a worker thread without the GIL, so it takes only
/// Sendable values: the bytes are copied in once, and the module state (not
/// Sendable) is not touched.
func defineJob(_ m: ModuleBuilder) {
    m.job("xor_job(data, key=90, chunk=1048576)",
          doc: "Start XOR-ing a copy of data in the background; returns a Job whose result is the new bytes.") {
        (data: [UInt8], key: UInt8, chunk: Int, job: JobContext) throws -> [UInt8] in
        guard chunk > 0 else { throw PythonException(.valueError, "chunk must be > 0, got \(chunk)") }
        var out = data
        var done = 0
        while done < out.count {
            try job.checkCancellation()
            let end = min(done + chunk, out.count)
            out.withUnsafeMutableBufferPointer { bytes in
                for i in done..<end { bytes[i] ^= key }
            }
            done = end
            job.report(Double(done) / Double(out.count), message: "\(done) of \(out.count) bytes")
        }
        return out
    }
}
