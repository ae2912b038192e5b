"""Releasing the GIL around pure-Swift work."""
import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from conftest import REPO, load_fixture

g = load_fixture("fx_gil")


def test_gil_is_held_in_calls_and_released_inside_without_gil():
    assert g.gil_held() is True
    assert g.gil_held_inside_without_gil() is False


def test_work_with_gil_released_gives_right_answer():
    assert g.checksum(b"abc") == 97 + 98 + 99
    assert g.checksum(bytes(range(256)) * 1000) == sum(range(256)) * 1000


def test_errors_thrown_without_gil_propagate():
    with pytest.raises(ValueError, match="^released$"):
        g.throw_without_gil("released")


def test_python_threads_run_swift_concurrently():
    g.reset()
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        for _ in range(20):
            g.spin_released(2_000_000)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # With the GIL released, at least two threads were inside Swift at once.
    assert g.most_inside() >= 2


def test_capturing_a_python_object_without_gil_does_not_compile(tmp_path):
    """The compile-time half of the GIL rule: a PythonObject cannot be
    captured by the @Sendable closure that withoutGIL runs."""
    import shutil
    import sysconfig
    swift = shutil.which("swift") or "/opt/swift/usr/bin/swift"
    if not Path(swift).exists():
        pytest.skip("no Swift toolchain")
    pkg = tmp_path / "pkg"
    (pkg / "Sources" / "bad").mkdir(parents=True)
    (pkg / "Package.swift").write_text(textwrap.dedent(f"""
        // swift-tools-version:6.0
        import PackageDescription
        let package = Package(name: "bad",
            dependencies: [.package(name: "swiftbind", path: {json.dumps(str(REPO))})],
            targets: [.target(name: "bad", dependencies: [.product(name: "SwiftBind", package: "swiftbind")])])
    """).lstrip())
    (pkg / "Sources" / "bad" / "bad.swift").write_text(textwrap.dedent("""
        import SwiftBind
        func leak(_ object: PythonObject) -> String {
            withoutGIL { object.description }
        }
    """))
    include = sysconfig.get_paths()["include"]
    result = subprocess.run([swift, "build", "-c", "release", "--package-path", str(pkg), "-Xcc", f"-I{include}",
                             "--scratch-path", str(tmp_path / "build")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "Sendable" in result.stdout + result.stderr
