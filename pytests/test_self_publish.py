"""swiftbind itself, ready for PyPI: `python -m build` at the repository root
writes its sdist and py3-none-any wheel (in pip's isolated build environment,
offline: the only index is `swiftbind wheelhouse`'s folder), `twine check
--strict` passes on both, and the wheel installed into a fresh venv gives the
`swiftbind` command, the PEP 517 backend and the Swift runtime sources.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("build", reason="pip install -r pytests/requirements-ship.txt")
pytest.importorskip("twine", reason="pip install -r pytests/requirements-ship.txt")
pytestmark = pytest.mark.skipif(not (ROOT / "Sources" / "SwiftBind").is_dir(), reason="needs the checkout")


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def runtime_sources():
    return sorted(p.relative_to(ROOT).as_posix() for t in ("CPython", "SwiftBind")
                  for p in (ROOT / "Sources" / t).rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("self-publish")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    wheels = tmp / "wheels"
    run([sys.executable, "-m", "swiftbind", "wheelhouse", str(wheels)], env=env)
    offline = dict(os.environ, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheels),
                   PIP_DISABLE_PIP_VERSION_CHECK="1")
    offline.pop("PYTHONPATH", None)
    dist = tmp / "dist"
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], env=offline)
    [sdist] = dist.glob("*.tar.gz")
    [wheel] = dist.glob("*.whl")
    return {"tmp": tmp, "sdist": sdist, "wheel": wheel, "env": offline}


def test_build_writes_sdist_and_pure_wheel(built):
    assert built["sdist"].name == "swiftbind-0.1.0.tar.gz"
    assert built["wheel"].name == "swiftbind-0.1.0-py3-none-any.whl"
    with tarfile.open(built["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames()}
    assert {"PKG-INFO", "pyproject.toml", "README.md", "python/README.md",
            "python/swiftbind/cli.py", "python/swiftbind/_self_backend.py"} <= names
    assert set(runtime_sources()) <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".so"))]
    with zipfile.ZipFile(built["wheel"]) as zf:
        files = set(zf.namelist())
        meta = zf.read("swiftbind-0.1.0.dist-info/METADATA").decode()
    assert {f"swiftbind/runtime/{s}" for s in runtime_sources()} <= files
    assert "swiftbind/runtime/Package.swift" in files
    assert meta.startswith("Metadata-Version: 2.4\n")
    assert "Requires-Dist: pyproject-metadata>=0.9\n" in meta and "Requires-Dist: packaging>=24.2\n" in meta


def test_twine_check_strict_passes(built):
    out = run([sys.executable, "-m", "twine", "check", "--strict", str(built["sdist"]), str(built["wheel"])])
    assert out.count("PASSED") == 2, out


def test_installed_wheel_gives_cli_backend_and_runtime(built):
    venv = built["tmp"] / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    run([str(venv / "bin" / "pip"), "install", str(built["wheel"])], env=built["env"])
    assert run([str(venv / "bin" / "swiftbind"), "--version"], env=built["env"]).strip() == "swiftbind 0.1.0"
    code = ("import swiftbind, swiftbind.build as b; from pathlib import Path; r = Path(swiftbind.runtime_path()); "
            "print(r.relative_to(Path(swiftbind.__file__).parent)); "
            "print(sorted(h for h in dir(b) if h.startswith(('build_', 'get_requires', 'prepare_')))); "
            "print(len([p for p in (r / 'Sources').rglob('*') if p.is_file()]))")
    out = run([str(venv / "bin" / "python"), "-c", code], env=built["env"], cwd=built["tmp"]).splitlines()
    assert out[0] == "runtime"
    assert eval(out[1]) == ["build_editable", "build_sdist", "build_wheel", "get_requires_for_build_editable",
                            "get_requires_for_build_sdist", "get_requires_for_build_wheel",
                            "prepare_metadata_for_build_editable", "prepare_metadata_for_build_wheel"]
    assert int(out[2]) == len(runtime_sources())
