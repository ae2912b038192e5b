"""examples/bf: the Brainfuck showcase.  Every program in ../shared/data/bf
gives its exact expected output; bad programs raise, never crash; the GIL is
released; long runs can be started as jobs and cancelled."""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO

EXAMPLE = REPO / "examples" / "bf"
DATA = REPO.parent / "shared" / "data" / "bf"
PROGRAMS = sorted(p.stem for p in DATA.glob("*.bf")) if DATA.is_dir() else []
# A clone without ../shared (CI has it) skips what reads the shared programs.
needs_shared = pytest.mark.skipif(
    not PROGRAMS, reason=f"the shared BF programs are not here ({DATA} is missing): "
                         "clone beside ../shared to run them")


@pytest.fixture(scope="module")
def bf(tmp_path_factory):
    import importlib
    from swiftbind.builder import build_extension
    out = tmp_path_factory.mktemp("bf")
    build_extension(EXAMPLE, out, quiet=True)            # out/bf/_bf<EXT_SUFFIX>
    shutil.copytree(EXAMPLE / "python" / "bf", out / "bf", dirs_exist_ok=True)  # as the wheel lays it out
    sys.path.insert(0, str(out))
    for name in [m for m in sys.modules if m == "bf" or m.startswith("bf.")]:
        del sys.modules[name]
    module = importlib.import_module("bf")
    module._built = out
    yield module
    sys.path.remove(str(out))


@needs_shared
def test_shared_programs_are_present():
    assert "mandelbrot" in PROGRAMS and len(PROGRAMS) >= 5, DATA


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_output_matches(bf, name):
    source = (DATA / f"{name}.bf").read_text()
    given = DATA / f"{name}.in"
    data = given.read_bytes() if given.exists() else b""
    expected = (DATA / f"{name}.out").read_bytes()
    assert bf.run(source, input=data) == expected
    program = bf.compile(source)
    chunks = []
    assert program.run(data, output=chunks.append) is None
    assert b"".join(chunks) == expected


def test_program_class(bf):
    p = bf.compile("++++++++[>++++++++<-]>+.")
    assert isinstance(p, bf.Program)
    assert p.run() == b"A"
    assert isinstance(p.ops, int) and 0 < p.ops < 24
    assert repr(p) == f"<bf.Program: 24 characters, {p.ops} ops>"
    with pytest.raises(AttributeError):
        p.ops = 3
    assert bf.run(",[.,]", input=b"echo\0") == b"echo"
    assert bf.run(",.", input=b"") == b"\x00"   # EOF leaves the cell unchanged
    assert bf.run("+,.", input=b"") == b"\x01"
    assert bf.run("-.") == b"\xff"             # 8-bit wrapping


@pytest.mark.parametrize("source, pattern", [
    ("[", r"unmatched '\['"),
    ("+]", r"unmatched '\]'"),
    ("++[>+<-", r"unmatched '\['"),
])
def test_syntax_errors(bf, source, pattern):
    with pytest.raises(bf.BFSyntaxError, match=pattern):
        bf.run(source)
    with pytest.raises(ValueError):
        bf.compile(source)


def test_runtime_errors(bf):
    with pytest.raises(bf.BFRuntimeError, match="left of cell 0"):
        bf.run("<")
    with pytest.raises(bf.BFRuntimeError, match="left of cell 0"):
        bf.run("+[<-]")
    with pytest.raises(bf.BFRuntimeError, match="step"):
        bf.run("+[]", max_steps=1000)
    # EOF leaves the cell unchanged, so this prints 'o' forever: the output
    # limit stops it with an error instead of exhausting memory.
    with pytest.raises(bf.BFRuntimeError, match="output grew beyond"):
        bf.run(",[.,]", input=b"echo")
    with pytest.raises(TypeError, match="argument 'source' must be str"):
        bf.run(b"+")


def test_streaming_callback_errors_propagate(bf):
    class Stop(Exception):
        pass

    def output(chunk):
        raise Stop(chunk)
    with pytest.raises(Stop):
        bf.compile("++++++++++.").run(output=output)


@needs_shared
def test_gil_is_released_while_running(bf):
    source = (DATA / "mandelbrot.bf").read_text()
    ticks = []
    running = threading.Event()

    def ticker():
        running.wait()
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            ticks.append(1)
            time.sleep(0.001)
    t = threading.Thread(target=ticker)
    t.start()
    running.set()
    bf.run(source)
    t.join()
    assert len(ticks) > 50   # the Python thread kept running meanwhile


def test_background_job_and_cancel(bf):
    job = bf.start("++++++++[>++++++++<-]>+.")
    assert job.result(timeout=30) == b"A"
    forever = bf.start("+[]")
    time.sleep(0.05)
    assert not forever.done()
    forever.cancel()
    with pytest.raises(concurrent.futures.CancelledError):
        forever.result(timeout=30)
    with pytest.raises(bf.BFRuntimeError):
        bf.start("<").result(timeout=30)


def test_python_dash_m_streams(bf, tmp_path):
    program = tmp_path / "hi.bf"
    program.write_text("++++++++[>++++++++<-]>+.>++++++++++.")
    env = dict(os.environ, PYTHONPATH=str(bf._built))
    r = subprocess.run([sys.executable, "-m", "bf", str(program)], capture_output=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"A\n"
