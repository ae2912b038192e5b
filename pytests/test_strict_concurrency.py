"""Strict concurrency: Python objects are not Sendable, so Swift 6 refuses
to send one into a parallel loop, a job or an async function, and accepts
the same code written with SendablePythonObject.  Type-checks snippets
against the SwiftBind module that the fixture build produced (about a
second each)."""
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO

SWIFTC = shutil.which("swiftc")


def typecheck(tmp_path: Path, source: str, fixtures_dir) -> subprocess.CompletedProcess:
    # The module built for this interpreter (other versions' builds may be older).
    tag = "cp%d%d-" % sys.version_info[:2]
    modules = sorted(FIXTURES.glob(f".build-swiftbind/{tag}*/*/release/Modules/SwiftBind.swiftmodule"))
    if not SWIFTC or not modules:
        pytest.skip("no swiftc, or no SwiftBind module from the fixture build")
    file = tmp_path / "snippet.swift"
    file.write_text("import SwiftBind\n" + textwrap.dedent(source))
    return subprocess.run(
        [SWIFTC, "-typecheck", "-swift-version", "6", "-I", str(modules[-1].parent),
         "-Xcc", f"-I{sysconfig.get_paths()['include']}",
         "-Xcc", f"-fmodule-map-file={REPO / 'Sources/CPython/include/module.modulemap'}", str(file)],
        capture_output=True, text=True, timeout=120)


def test_python_objects_cannot_be_sent_to_other_threads(tmp_path, fixtures_dir):
    r = typecheck(tmp_path, """
        func loop(_ object: PythonObject) throws {
            try parallelFor(0..<10) { _ in _ = object.description }        // line 4
        }
        func declare(_ m: ModuleBuilder, _ object: PythonObject) {
            m.job("f(n)") { (n: Int, job: JobContext) in object.description }   // line 7
            m.def("g(x)") { (x: PythonObject) async in 1 }                      // line 8
        }
    """, fixtures_dir)
    assert r.returncode != 0
    errors = [line for line in r.stderr.splitlines() if line.startswith(str(tmp_path))]
    assert any(":4:" in e and "non-Sendable type 'PythonObject'" in e for e in errors), r.stderr
    assert any(":7:" in e and "non-Sendable type 'PythonObject'" in e for e in errors), r.stderr
    assert any(":8:" in e and "cannot cross threads" in e for e in errors), r.stderr


def test_the_same_code_with_sendable_python_object_compiles(tmp_path, fixtures_dir):
    r = typecheck(tmp_path, """
        func loop(_ object: SendablePythonObject) throws {
            try parallelFor(0..<10) { _ in try object.call() }
        }
        func declare(_ m: ModuleBuilder) {
            m.job("f(n, callback)") { (n: Int, callback: SendablePythonObject, job: JobContext) in
                try callback.call(n)
                job.progress = 1
                return n
            }
            m.def("g(x)") { (x: SendablePythonObject) async in x }
        }
    """, fixtures_dir)
    assert r.returncode == 0, r.stderr
