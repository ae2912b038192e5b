// The Python face of the engine: module `bf._bf`.  Kept thin: all the work is
// in Engine/ (pure Swift, no Python); this file converts arguments, releases
// the GIL around runs and maps BFError to Python exceptions.

import SwiftBind

/// `bf.Program`: a compiled program, immutable, so it can be run by several
/// threads or jobs at once.
final class CompiledProgram: PythonClass, Sendable {
    let program: Program
    let characters: Int
    init(program: Program, characters: Int) {
        self.program = program
        self.characters = characters
    }
}

/// A Python callable handed to the engine's output sink.
/// SAFETY (@unchecked Sendable): the object is only touched inside `withGIL`.
private final class PythonCallback: @unchecked Sendable {
    let function: PythonObject
    /// An exception the callback raised; the run stops and it is re-raised.
    var failure: (any Error)?
    init(_ function: PythonObject) { self.function = function }
}

/// The module's two exception classes.
struct BFExceptions: Sendable {
    let syntax: ExceptionType
    let runtime: ExceptionType

    func python(_ error: BFError) -> PythonException {
        switch error {
        case .syntaxError: return PythonException(syntax, error.description)
        case .tapeUnderflow, .tapeOverflow, .outputOverflow, .stepLimit, .cancelled: return PythonException(runtime, error.description)
        }
    }

    func compile(_ source: String) throws -> CompiledProgram {
        do { return CompiledProgram(program: try Compiler.compile(source), characters: source.count) }
        catch { throw python(error) }
    }
}

/// Runs `program` with the GIL released; `output` (if any) receives chunks
/// of output as they are produced, with the GIL taken for each call.
private func run(_ program: Program, input: [UInt8], maxSteps: Int?, output: PythonObject?,
                 errors: BFExceptions) throws -> [UInt8]? {
    let callback = output.map(PythonCallback.init)
    let result: Result<[UInt8], BFError> = withoutGIL {
        let machine = Machine(program: program, input: input, maxSteps: maxSteps)
        if let callback {
            machine.outputSink = { chunk in
                let bytes = [UInt8](chunk)
                return withGIL {
                    do { _ = try callback.function.call([bytes]); return true }
                    catch { callback.failure = error; return false }
                }
            }
        }
        do throws(BFError) {
            try machine.run()
            return .success(machine.output)
        } catch {
            return .failure(error)
        }
    }
    if let raised = callback?.failure { throw raised }
    switch result {
    case .success(let bytes): return callback == nil ? bytes : nil
    case .failure(let error): throw errors.python(error)
    }
}

@_cdecl("PyInit__bf")
public func PyInit__bf() -> PythonModuleInit {
    PythonModule.define("bf._bf", doc: "Brainfuck interpreter engine (Swift).") { m in
        let errors = BFExceptions(
            syntax: m.exception(
                "BFSyntaxError", base: .valueError,
                doc: "The program does not compile (unmatched bracket); the message gives the position."),
            runtime: m.exception(
                "BFRuntimeError", base: .runtimeError,
                doc: "The program failed while running: pointer left of cell 0, tape limit, step limit, cancelled."))

        m.class(CompiledProgram.self, "Program", doc: "A compiled Brainfuck program (bf.compile(source)).") { c in
            c.initializer("__init__(source)") { (source: String) throws in try errors.compile(source) }
            c.readonly("ops", doc: "Number of instructions after optimisation.") { $0.program.count }
            c.method("run(input=b'', max_steps=None, output=None)",
                     doc: "Run the program; return its output as bytes, or with output=callable call it with each chunk (per line) and return None.") {
                (p: CompiledProgram, input: [UInt8], maxSteps: Int?, output: PythonObject?) throws -> [UInt8]? in
                try run(p.program, input: input, maxSteps: maxSteps, output: output, errors: errors)
            }
            c.repr { "<bf.Program: \($0.characters) characters, \($0.program.count) ops>" }
        }

        m.def("run(source, input=b'', max_steps=None)",
              doc: "Compile and run a Brainfuck program; return its output as bytes.") {
            (source: String, input: [UInt8], maxSteps: Int?) throws -> [UInt8] in
            let compiled = try errors.compile(source)
            return try run(compiled.program, input: input, maxSteps: maxSteps, output: nil, errors: errors) ?? []
        }

        m.job("start(program, input=b'', max_steps=None)",
              doc: "Run a compiled program in the background; returns a Job (result(), cancel(), await).") {
            (compiled: CompiledProgram, input: [UInt8], maxSteps: Int?, job: JobContext) throws -> [UInt8] in
            let machine = Machine(program: compiled.program, input: input, maxSteps: maxSteps)
            machine.shouldCancel = { job.isCancelled }
            do throws(BFError) {
                try machine.run()
                return machine.output
            } catch .cancelled where job.isCancelled {
                throw CancellationError()
            } catch {
                throw errors.python(error)
            }
        }
    }
}
