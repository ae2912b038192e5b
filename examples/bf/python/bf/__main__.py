"""``python -m bf PROGRAM.bf [--input FILE] [--max-steps N]``: run a program,
streaming its output to stdout as it is produced."""
from __future__ import annotations

import argparse
import sys

from . import BFRuntimeError, BFSyntaxError, compile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bf", description="Run a Brainfuck program.")
    parser.add_argument("program", help="the .bf source file")
    parser.add_argument("--input", metavar="FILE",
                        help="file whose bytes are the program's input ('-' for stdin)")
    parser.add_argument("--max-steps", type=int, default=None, metavar="N",
                        help="stop after N loop iterations")
    args = parser.parse_args(argv)

    with open(args.program, encoding="utf-8", errors="replace") as f:
        source = f.read()
    data = b""
    if args.input == "-":
        data = sys.stdin.buffer.read()
    elif args.input:
        with open(args.input, "rb") as f:
            data = f.read()

    out = sys.stdout.buffer

    def write(chunk: bytes) -> None:
        out.write(chunk)
        out.flush()

    try:
        compile(source).run(data, max_steps=args.max_steps, output=write)
    except BFSyntaxError as e:
        print(f"{args.program}: syntax error: {e}", file=sys.stderr)
        return 2
    except BFRuntimeError as e:
        out.flush()
        print(f"\n{args.program}: runtime error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
