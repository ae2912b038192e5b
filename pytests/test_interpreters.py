"""`swiftbind build --interpreter PY...` and `--find-interpreters`: one wheel per
interpreter in one run.

The fake `swift` of test_build_tool compiles a C extension against each real
interpreter's headers, so these run in seconds; test_ship builds the real
template for two interpreters with the real toolchain.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from test_build_tool import fake_swift, make_project, needs_cc  # noqa: F401 (fixture)

from swiftbind import cli, interpreters  # noqa: E402 (test_build_tool put python/ on sys.path)
from swiftbind.errors import ConfigError, ToolchainError  # noqa: E402
from swiftbind.target import python_target  # noqa: E402

HERE = python_target()


def other_interpreters():
    """Real CPythons 3.9-3.13 with headers other than the running one's version."""
    found = interpreters.unique_targets(interpreters.candidates(), skip_broken=True)
    return [t for t in found if t.version != HERE.version]


OTHERS = other_interpreters()
needs_other = pytest.mark.skipif(not OTHERS, reason="needs a second CPython 3.9-3.13 with headers")


def wheels_in(folder: Path):
    return sorted(p.name for p in folder.glob("*.whl"))


def import_from_wheel(wheel: Path, python: str, tmp_path: Path) -> str:
    site = tmp_path / f"site-{wheel.name}"
    zipfile.ZipFile(wheel).extractall(site)
    return subprocess.run([python, "-c", "import sys, multi; print(sys.version_info[:2], multi.add(40, 2))"],
                          cwd=site, capture_output=True, text=True, check=True).stdout.strip()


@needs_cc
@needs_other
def test_one_wheel_per_interpreter_in_one_run(tmp_path, fake_swift, capsys):
    other = OTHERS[0]
    proj = make_project(tmp_path / "multi")
    out = tmp_path / "dist"
    # The same version twice under two names still builds one wheel for it.
    assert cli.main(["build", str(proj), "-q", "--out", str(out),
                     "--interpreter", sys.executable, other.executable, sys.executable]) == 0
    printed = capsys.readouterr().out.split()
    names = wheels_in(out)
    assert len(names) == 2 and sorted(Path(p).name for p in printed) == names
    for target in (HERE, other):
        [wheel] = [n for n in names if f"-{target.interpreter_tag}-{target.abi_tag}-" in n]
        assert import_from_wheel(out / wheel, target.executable, tmp_path) == f"{target.version} 42"
    # Each interpreter built in its own scratch folder (the runtime compiles once per version).
    scratch = sorted(p.name for p in (proj / ".build-swiftbind").iterdir() if p.is_dir() and p.name != "runtime")
    assert scratch == sorted([HERE.tag, other.tag])


@needs_other
def test_find_interpreters_searches_path_and_pyenv(tmp_path, monkeypatch):
    other = OTHERS[0]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    mine = f"python{HERE.version[0]}.{HERE.version[1]}"
    (bin_dir / mine).symlink_to(sys.executable)
    # pyenv's layout: versions/X.Y.Z/bin/pythonX.Y
    theirs = f"python{other.version[0]}.{other.version[1]}"
    versions = tmp_path / "pyenv" / "versions" / f"{other.version[0]}.{other.version[1]}.99" / "bin"
    versions.mkdir(parents=True)
    (versions / theirs).symlink_to(other.executable)
    # A broken candidate is passed over, not fatal.
    (bin_dir / "python3.13").write_text("#!/bin/sh\nexit 3\n")
    (bin_dir / "python3.13").chmod(0o755)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    found = interpreters.find_interpreters(path=str(bin_dir))
    assert [t.version for t in found] == sorted([HERE.version, other.version])


def test_find_interpreters_finds_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "none"))
    with pytest.raises(ToolchainError, match="--find-interpreters found no CPython 3.9-3.13"):
        interpreters.find_interpreters(path=str(tmp_path))


def test_named_interpreter_missing(tmp_path):
    with pytest.raises(ToolchainError, match=r"--interpreter python3\.99: not found on PATH"):
        interpreters.named_interpreters(["python3.99"])
    with pytest.raises(ToolchainError, match="no executable at that path"):
        interpreters.named_interpreters([str(tmp_path / "python")])


def test_python_and_interpreter_together_is_refused(tmp_path, capsys):
    proj = make_project(tmp_path / "both")
    assert cli.main(["build", str(proj), "--python", sys.executable, "-i", sys.executable]) == 1
    assert "--python names one interpreter, --interpreter/--find-interpreters several" in \
        capsys.readouterr().err


@needs_cc
def test_abi3_builds_one_wheel_for_all_interpreters(tmp_path, fake_swift, capsys):
    usable = [t for t in [HERE, *OTHERS] if t.version >= (3, 10)]
    proj = make_project(tmp_path / "multi")
    with open(proj / "pyproject.toml", "a") as f:
        f.write('abi3 = "3.10"\n')
    out = tmp_path / "dist"
    assert cli.main(["build", str(proj), "-v", "--out", str(out),
                     "--interpreter", *[t.executable for t in [HERE, *OTHERS]]]) == 0
    oldest = min(usable, key=lambda t: t.version)
    assert f"one wheel for every interpreter, built with {oldest.executable}" in capsys.readouterr().err
    [wheel] = wheels_in(out)
    assert "-cp310-abi3-" in wheel
    for target in usable:  # the one wheel imports in each of them
        assert import_from_wheel(out / wheel, target.executable, tmp_path / target.tag) == f"{target.version} 42"


@pytest.mark.skipif(HERE.version >= (3, 13), reason="needs an interpreter older than the floor")
def test_abi3_floor_above_every_interpreter_is_refused(tmp_path, capsys):
    proj = make_project(tmp_path / "multi")
    assert cli.main(["build", str(proj), "-q", "--abi3", "3.13", "-i", sys.executable]) == 1
    assert (f'abi3 = "3.13" needs the headers of CPython 3.13 or newer, but the interpreters given '
            f"are {HERE.version[0]}.{HERE.version[1]}; add python3.13") in capsys.readouterr().err
