"""A fast Brainfuck interpreter written in Swift (a swiftbind example).

>>> import bf
>>> bf.run("++++++++[>++++++++<-]>+.")
b'A'
>>> program = bf.compile(open("mandelbrot.bf").read())
>>> program.run()            # bytes
>>> program.ops              # optimised instruction count

Semantics: 8-bit wrapping cells; a tape of at least 30,000 cells that grows
to the right; ``,`` at end of input leaves the cell unchanged.  Unmatched
brackets raise ``BFSyntaxError`` (a ValueError); moving left of cell 0,
outgrowing the tape limit or exceeding ``max_steps`` raise ``BFRuntimeError``.
"""
from __future__ import annotations

from typing import Callable, Optional

from ._bf import BFRuntimeError, BFSyntaxError, count_ops, run_streaming
from ._bf import run as _run

__all__ = ["run", "compile", "Program", "BFSyntaxError", "BFRuntimeError"]


def _as_bytes(data) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def run(source: str, input: bytes = b"", max_steps: Optional[int] = None) -> bytes:
    """Compile and run ``source``; return everything it printed.

    ``max_steps`` bounds the number of loop iterations (``BFRuntimeError``
    when exceeded).  The GIL is released while the program runs.
    """
    return _run(source, _as_bytes(input), max_steps)


class Program:
    """A compiled Brainfuck program (``bf.compile(source)``).

    For now this class keeps the source and recompiles on each run (which
    takes well under a millisecond); it becomes a Swift class holding the
    compiled IR once the runtime binds classes, with the same interface.
    """

    __slots__ = ("source", "ops")

    def __init__(self, source: str) -> None:
        self.source = source
        #: Number of instructions after optimisation (raises BFSyntaxError).
        self.ops = count_ops(source)

    def run(self, input: bytes = b"", max_steps: Optional[int] = None,
            output: Optional[Callable[[bytes], object]] = None) -> Optional[bytes]:
        """Run the program.  Without ``output``, return its output as bytes.
        With ``output``, call ``output(chunk)`` as output is produced (after
        each newline) and return None; an exception in ``output`` stops the
        run and propagates."""
        if output is None:
            return _run(self.source, _as_bytes(input), max_steps)
        run_streaming(self.source, _as_bytes(input), max_steps, output)
        return None

    def __repr__(self) -> str:
        return f"<bf.Program: {len(self.source)} characters, {self.ops} ops>"


def compile(source: str) -> Program:
    """Compile ``source`` (raises BFSyntaxError for unmatched brackets)."""
    return Program(source)
