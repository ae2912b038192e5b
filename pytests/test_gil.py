"""Releasing the GIL around pure-Swift work."""
import json
import os
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


@pytest.mark.skipif(bool(os.environ.get("SWIFTBIND_TEST_FIXTURES") or os.environ.get("SWIFTBIND_TEST_INSTALLED")),
                    reason="a Swift compile-time check: it does not depend on the interpreter, so it "
                           "runs once, in the main python3 run (not in make test-versions/test-abi3)")
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


def test_objects_dropped_inside_without_gil_are_released_when_it_returns():
    o = object()
    start = sys.getrefcount(o)
    for _ in range(1000):
        g.release_without_gil(o)
    assert sys.getrefcount(o) == start


def send_later(signum, seconds=0.2):
    """Sends `signum` to this process from outside it: a Python timer thread
    could not, since the Swift call holds the GIL the whole time."""
    import os
    return subprocess.Popen(["sh", "-c", f"sleep {seconds}; kill -{int(signum)} {os.getpid()}"])


@pytest.mark.parametrize("how", ["SIGINT from another process", "SIGALRM from an interval timer"])
def test_check_signals_lets_ctrl_c_stop_a_long_swift_call(how):
    import signal
    before = g.interrupted_calls()
    sender = None
    old = signal.signal(signal.SIGALRM, signal.default_int_handler)  # raises KeyboardInterrupt
    try:
        if how.startswith("SIGINT"):
            sender = send_later(signal.SIGINT)
        else:
            signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(KeyboardInterrupt):
            g.wait_for_signal(60)  # holds the GIL; returns False after 60 s if it never sees the signal
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if sender:
            sender.wait(30)
    # Raised by checkSignals() inside the call, not after it returned.
    assert g.interrupted_calls() == before + 1


def test_a_signal_handler_exception_comes_out_of_check_signals():
    import signal

    class Stop(Exception):
        pass

    def handler(signum, frame):
        raise Stop(f"signal {signum}")

    old = signal.signal(signal.SIGUSR1, handler)
    sender = None
    try:
        sender = send_later(signal.SIGUSR1)
        with pytest.raises(Stop, match=f"signal {int(signal.SIGUSR1)}"):
            g.wait_for_signal(60)
    finally:
        if sender:
            sender.wait(30)
        signal.signal(signal.SIGUSR1, old)


def test_check_signals_off_the_main_thread_returns_at_once():
    # Python runs handlers only in the main thread: elsewhere it is a no-op.
    results = []
    t = threading.Thread(target=lambda: results.append(g.wait_for_signal(0.05)))
    t.start()
    t.join(30)
    assert results == [False]
