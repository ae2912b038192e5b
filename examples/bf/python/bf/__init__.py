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

from typing import Optional

from ._bf import BFRuntimeError, BFSyntaxError, Program
from ._bf import run as _run
from ._bf import start as _start

__all__ = ["run", "compile", "start", "Program", "BFSyntaxError", "BFRuntimeError"]


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


def compile(source: str) -> Program:
    """Compile ``source`` into a :class:`Program` (a Swift class holding the
    optimised IR); raises BFSyntaxError for unmatched brackets."""
    return Program(source)


def start(program, input: bytes = b"", max_steps: Optional[int] = None):
    """Run a program (a :class:`Program` or source text) in the background.

    Returns a ``Job`` at once: ``job.done()``, ``job.result(timeout=None)``,
    ``job.cancel()`` (the program stops within about a million steps) and
    ``await job`` in asyncio.
    """
    if isinstance(program, str):
        program = compile(program)
    return _start(program, _as_bytes(input), max_steps)
