"""``swiftbind embed-flags`` and ``swiftbind new --embed NAME``: a Swift program
that embeds CPython builds with the printed flags, runs, and passes its test."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from swiftbind import cli
from swiftbind.embed import embed_flags, embed_project_files

REPO = Path(__file__).resolve().parent.parent


def test_embed_flags_name_the_running_interpreter(capsys):
    assert cli.main(["embed-flags"]) == 0
    printed = capsys.readouterr().out.split()
    include = sysconfig.get_paths()["include"]
    libdir = sysconfig.get_config_var("LIBDIR")
    lib = "python" + sysconfig.get_config_var("LDVERSION")
    assert printed == ["-Xcc", f"-I{include}", "-Xlinker", f"-L{libdir}", "-Xlinker", f"-l{lib}",
                       "-Xlinker", "-rpath", "-Xlinker", libdir]
    assert (Path(include) / "Python.h").is_file()


def test_embed_flags_for_another_interpreter():
    others = [p for v in ("3.9", "3.10", "3.12", "3.13")
              for p in sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{v}.*/bin/python{v}")))[-1:]]
    if not others:
        pytest.skip("no other CPython 3.9-3.13 in ~/.pyenv")
    other = others[0]
    version = subprocess.run([other, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    flags = embed_flags(other)
    assert f"-lpython{version}" in flags
    assert any(f.startswith("-I") and f"python{version}" in f for f in flags)


def test_embed_flags_bad_interpreter(capsys):
    assert cli.main(["embed-flags", "--python", "/no/such/python"]) == 1
    assert "no such interpreter" in capsys.readouterr().err


def test_new_embed_refuses_bad_names_and_existing_folders(tmp_path, capsys):
    assert cli.main(["new", "--embed", "not-a-name", "--path", str(tmp_path)]) == 1
    assert "cannot be a module name" in capsys.readouterr().err
    (tmp_path / "taken").mkdir()
    assert cli.main(["new", "--embed", "taken", "--path", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_new_embed_files_point_at_the_runtime():
    files = embed_project_files("demo", "/some/runtime")
    assert sorted(files) == [".gitignore", "Package.swift", "Sources/demo/main.swift",
                             "Sources/demoCore/Statistics.swift", "Tests/demoTests/demoTests.swift"]
    assert 'Context.environment["SWIFTBIND_RUNTIME"] ?? "/some/runtime"' in files["Package.swift"]
    assert ".product(name: \"SwiftBindEmbed\"" in files["Package.swift"]


@pytest.mark.skipif(shutil.which("swift") is None, reason="needs the Swift toolchain")
def test_scaffold_builds_runs_and_tests(capsys):
    # A fixed place under pytests/_build (ignored), so a second run reuses
    # the compiled runtime: one build, incremental after the first.
    parent = REPO / "pytests" / "_build" / "embed_scaffold"
    project = parent / "embeddemo"
    scratch = parent / "scratch"
    shutil.rmtree(project, ignore_errors=True)
    parent.mkdir(parents=True, exist_ok=True)
    assert cli.main(["new", "--embed", "embeddemo", "--path", str(parent)]) == 0
    assert "swift run embeddemo $(swiftbind embed-flags)" in capsys.readouterr().out
    flags = embed_flags()
    env = {k: v for k, v in os.environ.items() if k != "SWIFTBIND_RUNTIME"}
    build = subprocess.run(["swift", "build", "--build-tests", "--scratch-path", str(scratch), *flags],
                           cwd=project, capture_output=True, text=True, env=env, timeout=1500)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    run = subprocess.run([str(scratch / "debug" / "embeddemo")], capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "mean: 2.5 (Python %d.%d)" % sys.version_info[:2]
    test = subprocess.run(["swift", "test", "--skip-build", "--scratch-path", str(scratch), *flags],
                          cwd=project, capture_output=True, text=True, env=env, timeout=600)
    out = test.stdout + test.stderr
    assert test.returncode == 0, out[-4000:]
    assert "Test run with 2 tests" in out and "passed" in out
