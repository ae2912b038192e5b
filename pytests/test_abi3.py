"""abi3: the `swiftbind new` template built once with `abi3 = "3.10"` is one
`cp310-abi3` wheel that abi3audit (PyPI) finds clean, auditwheel tags, pip
installs into a fresh virtual environment of every CPython 3.10-3.13 here
(and refuses on 3.9), and whose functions run there.  A module that uses the
buffer views under the 3.10 floor fails to build with a message that says
which floor it needs.

The runtime's suites run on one abi3 wheel of every fixture module in
`make test-abi3` (pytests/abi3_matrix.py).  One cold Swift build here.
"""
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytest.importorskip("abi3audit", reason="pip install -r pytests/requirements-abi3.txt")
pytest.importorskip("auditwheel", reason="pip install -r pytests/requirements-ship.txt")

sys.path.insert(0, str(REPO / "python"))
from abi3_matrix import find_python  # noqa: E402
from swiftbind.target import python_target  # noqa: E402

pytestmark = pytest.mark.skipif(python_target().platform != "linux-x86_64",
                                reason="manylinux tags are checked on x86-64 Linux")
ENV = dict(os.environ, PYTHONPATH=str(REPO / "python"))


def run(cmd, ok=True, **kwargs):
    kwargs.setdefault("timeout", 900)
    result = subprocess.run(cmd, capture_output=True, text=True, env=kwargs.pop("env", ENV), **kwargs)
    if ok:
        assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def swiftbind(*args, **kwargs):
    return run(["nice", sys.executable, "-m", "swiftbind", *args], **kwargs)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("abi3")
    swiftbind("new", "hello", "--path", str(root))
    project = root / "hello"
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    assert "[tool.swiftbind]\n" in text
    pyproject.write_text(text.replace("[tool.swiftbind]\n", '[tool.swiftbind]\nabi3 = "3.10"\n'))
    return project


@pytest.fixture(scope="module")
def wheel(project):
    out = swiftbind("build", str(project), "-q", "--out", str(project / "dist")).stdout.split()
    [path] = [Path(p) for p in out if p.endswith(".whl")]
    return path


def test_the_wheel_is_tagged_abi3_for_the_floor(wheel):
    assert re.fullmatch(r"hello-0\.1\.0-cp310-abi3-manylinux_2_\d+_x86_64(\.manylinux\w+)?\.whl", wheel.name), wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        wheel_file = zf.read("hello-0.1.0.dist-info/WHEEL").decode()
    assert "hello.abi3.so" in names, names
    assert "Tag: cp310-abi3-" in wheel_file, wheel_file


def test_abi3audit_finds_no_violation(wheel):
    out = run([sys.executable, "-m", "abi3audit", "--verbose", str(wheel)])
    text = out.stdout + out.stderr
    assert re.search(r"1\s+extensions?\s+scanned;\s+0\s+ABI\s+version\s+mismatches\s+and\s+0\s+ABI\s+violations", text), text


def test_auditwheel_agrees_with_the_tag(wheel):
    out = run([sys.executable, "-m", "auditwheel", "show", str(wheel)]).stdout
    platform = wheel.name.split("-")[-1].removesuffix(".whl").split(".")[0]
    assert f'"{platform}"' in out, out


@pytest.mark.parametrize("version", ["3.10", "3.11", "3.12", "3.13"])
def test_one_wheel_runs_on_every_cpython_from_the_floor(version, wheel, tmp_path):
    python = find_python(version)
    if python is None:
        pytest.skip(f"no python{version} here")
    venv = tmp_path / "venv"
    run([python, "-m", "venv", str(venv)])
    vpy = str(venv / "bin" / "python")
    run([vpy, "-m", "pip", "--disable-pip-version-check", "-q", "install", "--no-index", str(wheel)])
    out = run([vpy, "-c", """if True:
        import sys, hello
        assert hello.__file__.endswith("hello.abi3.so"), hello.__file__
        assert hello.add(2, 3) == 5
        assert hello.greet("abi3", greeting="Hi") == "Hi, abi3!"
        for call, kind, words in [(lambda: hello.add("2", 3), TypeError, "'a'"),
                                  (lambda: hello.add(2**63 - 1, 1), OverflowError, ""),
                                  (lambda: hello.greet(), TypeError, "name")]:
            try:
                call()
            except kind as e:
                assert words in str(e), e
            else:
                raise AssertionError("no error")
        print(sys.version_info[:2])
    """], cwd=tmp_path).stdout
    assert out.strip() == str(tuple(int(x) for x in version.split(".")))


def test_pip_refuses_the_wheel_below_the_floor(wheel, tmp_path):
    python = find_python("3.9")
    if python is None:
        pytest.skip("no python3.9 here")
    venv = tmp_path / "venv"
    run([python, "-m", "venv", str(venv)])
    result = run([str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "install",
                  "--no-index", str(wheel)], ok=False)
    assert result.returncode != 0
    assert "is not a supported wheel on this platform" in result.stderr, result.stderr


def test_buffers_under_the_310_floor_fail_with_the_floor_they_need(project, wheel):
    source = project / "Sources" / "hello" / "Views.swift"
    source.write_text("import SwiftBind\n\nfunc total(_ values: PythonBuffer<Double>) -> Double { 0 }\n")
    try:
        result = swiftbind("build", str(project), "-q", "--out", str(project / "dist-buffers"), ok=False)
    finally:
        source.unlink()
    assert result.returncode != 0
    assert "PythonBuffer" in result.stderr and 'abi3 = "3.11"' in result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize("value, words", [("3.9", "3.10 is the lowest"), ("three", "not a Python version")])
def test_a_floor_it_cannot_build_is_refused(project, value, words, tmp_path):
    result = swiftbind("build", str(project), "-q", "--abi3", value, "--out", str(tmp_path), ok=False)
    assert result.returncode != 0 and words in result.stderr, result.stderr
