// Errors reported by the Brainfuck engine.
//
// Every problem a user program can cause (bad syntax, walking off the tape,
// running too long, being cancelled) is reported as a BFError; the engine
// never traps on user input.

/// What went wrong while compiling or running a Brainfuck program.
///
/// Positions are 0-based indexes into the program source counted in Unicode
/// scalars, which is the same as a Python `str` index.
public enum BFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The source cannot be compiled (unmatched `[` or `]`, program too large).
    case syntaxError(position: Int, message: String)
    /// The program moved the pointer left of cell 0; `position` is the `<` that did it.
    case tapeUnderflow(position: Int)
    /// The program needed more than `limit` cells; `position` is the `>` that did it.
    case tapeOverflow(position: Int, limit: Int)
    /// The program ran more than `steps` steps (loop iterations).
    case stepLimit(steps: Int)
    /// The program printed more than `limit` bytes with no sink to take them.
    case outputOverflow(limit: Int)
    /// The run was stopped by the cancellation hook or by the output sink.
    case cancelled

    public var description: String {
        switch self {
        case let .syntaxError(position, message):
            return "\(message) (position \(position))"
        case let .tapeUnderflow(position):
            return "pointer moved left of cell 0 (position \(position))"
        case let .tapeOverflow(position, limit):
            return "tape grew beyond \(limit) cells (position \(position))"
        case let .stepLimit(steps):
            return "step limit of \(steps) exceeded"
        case let .outputOverflow(limit):
            return "output grew beyond \(limit) bytes (stream it with output=callable)"
        case .cancelled:
            return "run cancelled"
        }
    }

    /// True for errors found before the program starts running.
    public var isSyntaxError: Bool {
        if case .syntaxError = self { return true }
        return false
    }
}

/// A 1-based line and column in a program source, for messages.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    /// The location of the scalar at `position` in `source` (clamped to the end).
    public init(position: Int, in source: String) {
        var line = 1
        var column = 1
        var index = 0
        for scalar in source.unicodeScalars {
            if index >= position { break }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column)" }
}
