"""Shared set-up of the pytest suites.

Every Swift fixture module lives in ``pytests/fixtures/Sources/fx_NAME/`` and
is built once per session (release, ``-static-stdlib``, through the same
``swiftbind.builder.build_extension`` that user projects use) into
``pytests/_build/<python tag>/``, which is put on ``sys.path``.  A test file
imports its fixture with ``fx = load_fixture("fx_NAME")``.
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURES = HERE / "fixtures"
sys.path.insert(0, str(REPO / "python"))

_built: dict[str, Path] | None = None


def fixture_names() -> list[str]:
    """Every fixture module, or those named in SWIFTBIND_TEST_FIXTURES
    (comma-separated: the Makefile's runs on the other interpreters build
    only what their suites import)."""
    names = sorted(p.name for p in (FIXTURES / "Sources").iterdir() if p.name.startswith("fx_"))
    only = os.environ.get("SWIFTBIND_TEST_FIXTURES")
    return [n for n in names if n in only.split(",")] if only else names


def abi3_floor() -> str | None:
    """SWIFTBIND_TEST_ABI3=3.X: the fixtures are abi3 builds for CPython 3.X+."""
    return os.environ.get("SWIFTBIND_TEST_ABI3") or None


def installed_fixtures() -> Path | None:
    """SWIFTBIND_TEST_INSTALLED=1: the fixture modules come from a wheel
    installed into this environment (`make test-abi3`), not from a build."""
    if not os.environ.get("SWIFTBIND_TEST_INSTALLED"):
        return None
    import importlib.util
    spec = importlib.util.find_spec(fixture_names()[0])
    if spec is None or spec.origin is None:
        raise RuntimeError("SWIFTBIND_TEST_INSTALLED is set but the fixture modules are not installed")
    return Path(spec.origin).parent


def build_dir() -> Path:
    floor = abi3_floor()
    tag = f"abi3-cp{floor.replace('.', '')}" if floor else sysconfig.get_config_var("EXT_SUFFIX").split(".")[1]
    return HERE / "_build" / tag


def build_fixtures() -> Path:
    """Builds every fixture module (incrementally) and returns the folder."""
    global _built
    installed = installed_fixtures()
    if installed is not None:
        return installed
    out = build_dir()
    if _built is None:
        from swiftbind.builder import build_extension
        names = fixture_names()
        os.environ["SWIFTBIND_FIXTURES"] = ",".join(names)  # see fixtures/Package.swift
        paths = build_extension(FIXTURES, out, modules={n: n for n in names},
                                quiet=not os.environ.get("SWIFTBIND_VERBOSE"), abi3=abi3_floor())
        _built = {p.name.split(".")[0]: p for p in paths}
        if str(out) not in sys.path:
            sys.path.insert(0, str(out))
    return out


def load_fixture(name: str):
    """Imports fixture module ``name`` (building all fixtures on first use)."""
    build_fixtures()
    return importlib.import_module(name)


def run_fresh_python(body: str, *flags: str, env=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Runs `body` (dedented) in a new interpreter where the fixture modules
    import, for what must not touch this process (crashes, re-imports,
    subinterpreters).  The prelude is one line: body line N is line N + 1."""
    folder = build_fixtures()
    code = f"import sys; sys.path.insert(0, {str(folder)!r})\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env)


def run_fresh_python_ok(body: str, timeout: float = 120) -> str:
    """``run_fresh_python`` that must exit 0; returns its standard output."""
    result = run_fresh_python(body, timeout=timeout)
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result.stdout


def rss_bytes() -> int:
    """This process's resident set size (VmRSS), for the memory checks."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def settle(done, drain, seconds: float = 10) -> None:
    """Waits (up to `seconds`) until `done()`, calling `drain()` meanwhile:
    for releases still in flight.  The Swift side drops a call's arguments
    on its own thread, without the GIL, just after it posts the result, so
    the last few may still be parked when the result is in; the next entry
    into the runtime (what `drain` does) releases them.  A leaked reference
    never comes back, so a leak still fails the test that asserts after."""
    import time
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        drain()
        time.sleep(0.001)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return build_fixtures()
