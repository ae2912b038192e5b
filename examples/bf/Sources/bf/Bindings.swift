// The Python face of the engine: module `bf._bf`.  Kept thin: all the work is
// in Engine/ (pure Swift, no Python), this file only converts arguments,
// releases the GIL around runs and maps BFError to Python exceptions.
//
// `Program` is for now a Python class in python/bf/__init__.py that keeps the
// source and calls `run` / `run_streaming`; it moves here as a Swift class
// (holding the compiled Engine Program) once the runtime can bind classes.

import SwiftBind

/// A Python callable handed to the engine's output sink.
/// SAFETY (@unchecked Sendable): the object is only touched inside `withGIL`.
private final class PythonCallback: @unchecked Sendable {
    let function: PythonObject
    /// An exception the callback raised; the run stops and it is re-raised.
    var failure: (any Error)?
    init(_ function: PythonObject) { self.function = function }
}

/// BFError -> the module's exception classes.
private func pythonError(_ error: BFError, syntax: ExceptionType, runtime: ExceptionType) -> PythonException {
    switch error {
    case .syntaxError:
        return PythonException(syntax, error.description)
    case .tapeUnderflow, .tapeOverflow, .stepLimit, .cancelled:
        return PythonException(runtime, error.description)
    }
}

private func compile(_ source: String, syntax: ExceptionType, runtime: ExceptionType) throws -> Program {
    do {
        return try Compiler.compile(source)
    } catch {
        throw pythonError(error, syntax: syntax, runtime: runtime)
    }
}

@_cdecl("PyInit__bf")
public func PyInit__bf() -> PythonModuleInit {
    PythonModule.define("bf._bf", doc: "Brainfuck interpreter engine (Swift).") { m in
        let syntaxError = m.exception(
            "BFSyntaxError", base: .valueError,
            doc: "The program does not compile (unmatched bracket); the message gives the position.")
        let runtimeError = m.exception(
            "BFRuntimeError", base: .runtimeError,
            doc: "The program failed while running: pointer left of cell 0, tape limit, step limit.")

        m.def("run(source, input=b'', max_steps=None)",
              doc: "Compile and run a Brainfuck program; return its output as bytes.") {
            (source: String, input: [UInt8], maxSteps: Int?) throws -> [UInt8] in
            let program = try compile(source, syntax: syntaxError, runtime: runtimeError)
            let result: Result<[UInt8], BFError> = withoutGIL {
                let machine = Machine(program: program, input: input, maxSteps: maxSteps)
                do throws(BFError) {
                    try machine.run()
                    return .success(machine.output)
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let output): return output
            case .failure(let error): throw pythonError(error, syntax: syntaxError, runtime: runtimeError)
            }
        }

        m.def("run_streaming(source, input, max_steps, output)",
              doc: "Run a program, calling output(chunk: bytes) as output is produced (per line).") {
            (source: String, input: [UInt8], maxSteps: Int?, output: PythonObject) throws -> Void in
            let program = try compile(source, syntax: syntaxError, runtime: runtimeError)
            let callback = PythonCallback(output)
            let failure: BFError? = withoutGIL {
                let machine = Machine(program: program, input: input, maxSteps: maxSteps)
                machine.outputSink = { chunk in
                    let bytes = [UInt8](chunk)
                    return withGIL {
                        do {
                            _ = try callback.function.call([bytes])
                            return true
                        } catch {
                            callback.failure = error
                            return false
                        }
                    }
                }
                do throws(BFError) {
                    try machine.run()
                    return nil
                } catch {
                    return error
                }
            }
            if let raised = callback.failure { throw raised }
            if let failure { throw pythonError(failure, syntax: syntaxError, runtime: runtimeError) }
        }

        m.def("count_ops(source)",
              doc: "Compile a program and return the number of optimised IR operations.") {
            (source: String) throws -> Int in
            try compile(source, syntax: syntaxError, runtime: runtimeError).count
        }
    }
}
