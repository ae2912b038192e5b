"""One abi3 wheel, every CPython it claims: `make test-abi3`.

Builds every fixture module once as an abi3 extension (the limited API of
the floor, default 3.11 so that the buffer suites run too), packs them into
one real wheel (`swiftbind_test_fixtures-...-cp311-abi3-manylinux_...whl`),
installs that same file into a fresh virtual environment of each CPython
from the floor up that is here (pyenv's or on PATH), and runs the
functions, conversions, errors, classes, buffers and concurrency suites
there against the installed modules (conftest's SWIFTBIND_TEST_INSTALLED).

    python3 pytests/abi3_matrix.py [--floor 3.11] [--versions 3.11 3.12 3.13]

Exit status: 0 when every version present passed, 1 on any failure, 2
when no interpreter of the floor or newer was found besides nothing at all.
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "python"))

SUITES = ["test_functions.py", "test_conversions.py", "test_errors.py", "test_classes.py",
          "test_inheritance.py", "test_buffers.py", "test_dlpack.py", "test_jobs.py", "test_async.py", "test_gil.py",
          "test_parallel.py", "test_state.py"]
# What those suites import besides pytest (pytests/requirements*.txt name them too).
REQUIREMENTS = ["pytest>=7", "numpy"]
NO_BUFFERS = {"test_buffers.py", "test_dlpack.py"}
BUFFER_FIXTURES = {"fx_buffers", "fx_protocols", "fx_dlpack"}


def find_python(version: str) -> str | None:
    found = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    candidates = found[-1:] + [shutil.which(f"python{version}") or ""]
    for py in candidates:
        if py and subprocess.run([py, "-c", "pass"], capture_output=True).returncode == 0:
            return py
    return None


def build_wheel(floor: str, out: Path) -> Path:
    """The fixtures as one abi3 wheel, built by this interpreter."""
    import conftest
    from swiftbind.manylinux import platform_tag
    from swiftbind.settings import project_metadata
    from swiftbind.wheel import WheelWriter
    import sysconfig

    os.environ["SWIFTBIND_TEST_ABI3"] = floor
    if floor == "3.10":
        names = [n for n in conftest.fixture_names() if n not in BUFFER_FIXTURES]
        os.environ["SWIFTBIND_TEST_FIXTURES"] = ",".join(names)
    folder = conftest.build_fixtures()
    paths = sorted(p for p in folder.glob("*.abi3.so") if p.name.split(".")[0] in conftest.fixture_names())
    tag = f"cp{floor.replace('.', '')}-abi3-{platform_tag(paths, sysconfig.get_platform())}"
    writer = WheelWriter(project_metadata({"name": "swiftbind-test-fixtures", "version": "0"}), tag)
    for p in paths:
        writer.add(p.name, p, executable=True)
    out.mkdir(parents=True, exist_ok=True)
    return writer.write(out)


def run_version(version: str, python: str, wheel: Path, floor: str, venvs: Path) -> bool:
    venv = venvs / f"abi3-{version}"
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    vpy = str(venv / "bin" / "python")
    pip = [vpy, "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    subprocess.run(pip + REQUIREMENTS, check=True)
    # The wheel alone, by file: pip checks its tag against this interpreter.
    subprocess.run(pip + ["--no-index", "--no-deps", str(wheel)], check=True)
    suites = [str(HERE / s) for s in SUITES if not (floor == "3.10" and s in NO_BUFFERS)]
    env = dict(os.environ, SWIFTBIND_TEST_INSTALLED="1", SWIFTBIND_TEST_ABI3_FLOOR=floor)
    env.pop("SWIFTBIND_TEST_ABI3", None)
    env.pop("SWIFTBIND_TEST_FIXTURES", None)
    if floor == "3.10":
        env["SWIFTBIND_TEST_FIXTURES"] = os.environ["SWIFTBIND_TEST_FIXTURES"]
    print(f"== abi3 wheel {wheel.name} on CPython {version} ({python})", flush=True)
    # Run from the tests' folder in the venv's interpreter; the fixtures come
    # from its site-packages, never from pytests/_build.
    return subprocess.run([vpy, "-m", "pytest", "-q", "-p", "no:cacheprovider", *suites],
                          cwd=HERE.parent, env=env).returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--floor", default="3.11")
    ap.add_argument("--versions", nargs="*", default=None,
                    help="CPython versions to test (default: the floor up to 3.13)")
    args = ap.parse_args()
    minor = int(args.floor.split(".")[1])
    versions = args.versions or [f"3.{m}" for m in range(minor, 14)]
    wheel = build_wheel(args.floor, HERE / "_build" / "abi3-wheels")
    print(f"built {wheel}", flush=True)
    venvs = HERE / "_build" / "venvs"
    tested, failed = [], []
    for v in versions:
        python = find_python(v)
        if python is None:
            print(f"abi3 matrix: no python{v} here, skipped", flush=True)
            continue
        tested.append(v)
        if not run_version(v, python, wheel, args.floor, venvs):
            failed.append(v)
    print(f"abi3 matrix (floor {args.floor}): tested {' '.join(tested) or 'nothing'}"
          + (f"; FAILED on {' '.join(failed)}" if failed else "; all passed"), flush=True)
    if not tested:
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
