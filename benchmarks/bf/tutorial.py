"""The `pypy-tutorial` / `cpython-tutorial` peer of the bf benchmark.

A straightforward Brainfuck interpreter in the style of the PyPy tutorial
("Writing an Interpreter with PyPy, Part 1"): the program as a string, a
bracket map in a dict, a Tape class over a list, and an if/elif dispatch
loop.  No optimisation of the program.  Runs under PyPy and CPython alike.

usage: tutorial.py PROGRAM.bf [INPUT]
"""
import os
import sys


class Tape(object):
    def __init__(self):
        self.thetape = [0] * 30000
        self.position = 0

    def get(self):
        return self.thetape[self.position]

    def set(self, val):
        self.thetape[self.position] = val

    def inc(self):
        self.thetape[self.position] = (self.thetape[self.position] + 1) & 0xFF

    def dec(self):
        self.thetape[self.position] = (self.thetape[self.position] - 1) & 0xFF

    def advance(self):
        self.position += 1
        if len(self.thetape) <= self.position:
            self.thetape.append(0)

    def devance(self):
        if self.position == 0:
            raise RuntimeError("pointer moved left of cell 0")
        self.position -= 1


def parse(program):
    parsed = []
    bracket_map = {}
    leftstack = []

    pc = 0
    for char in program:
        if char in ('[', ']', '<', '>', '+', '-', ',', '.'):
            parsed.append(char)

            if char == '[':
                leftstack.append(pc)
            elif char == ']':
                if not leftstack:
                    raise SyntaxError("unmatched ']'")
                left = leftstack.pop()
                right = pc
                bracket_map[left] = right
                bracket_map[right] = left
            pc += 1
    if leftstack:
        raise SyntaxError("unmatched '['")

    return "".join(parsed), bracket_map


def mainloop(program, bracket_map, data):
    pc = 0
    tape = Tape()
    inpos = 0

    while pc < len(program):
        code = program[pc]

        if code == ">":
            tape.advance()

        elif code == "<":
            tape.devance()

        elif code == "+":
            tape.inc()

        elif code == "-":
            tape.dec()

        elif code == ".":
            # print
            os.write(1, bytes([tape.get()]))

        elif code == ",":
            # read from input; at EOF leave the cell unchanged
            if inpos < len(data):
                tape.set(data[inpos])
                inpos += 1

        elif code == "[" and tape.get() == 0:
            # Skip forward to the matching ]
            pc = bracket_map[pc]

        elif code == "]" and tape.get() != 0:
            # Skip back to the matching [
            pc = bracket_map[pc]

        pc += 1


def run(path, input_path=None):
    with open(path, "rb") as f:
        program, bm = parse(f.read().decode("latin-1"))
    data = b""
    if input_path:
        with open(input_path, "rb") as f:
            data = f.read()
    mainloop(program, bm, data)


def entry_point(argv):
    if len(argv) < 2:
        print("usage: %s PROGRAM.bf [INPUT]" % argv[0])
        return 1
    run(argv[1], argv[2] if len(argv) > 2 else None)
    return 0


if __name__ == "__main__":
    sys.exit(entry_point(sys.argv))
