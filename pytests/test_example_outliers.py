"""examples/outliers: a Swift program that embeds CPython, hands a Swift
[Double] to a NumPy z-score detector (examples/outliers/outliers.py) without
copying it and reads the index array back in place.  The program is built
once (debug) and run on inputs whose outliers NumPy computes here."""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import HERE, REPO

np = pytest.importorskip("numpy")

EXAMPLE = REPO / "examples" / "outliers"


def embed_flags() -> list[str]:
    """The flags a program that embeds this interpreter builds with."""
    include = sysconfig.get_paths()["include"]
    libdir = sysconfig.get_config_var("LIBDIR")
    lib = "python" + sysconfig.get_config_var("LDVERSION")
    return ["-Xcc", f"-I{include}", "-Xlinker", f"-L{libdir}", "-Xlinker", f"-l{lib}",
            "-Xlinker", "-rpath", "-Xlinker", libdir]


@pytest.fixture(scope="module")
def outliers_exe() -> Path:
    if shutil.which("swift") is None:
        pytest.skip("swift is not on PATH")
    scratch = HERE / "_build" / f"outliers-py{sys.version_info[0]}{sys.version_info[1]}"
    cmd = ["swift", "build", "--package-path", str(EXAMPLE), "--scratch-path", str(scratch),
           "--product", "outliers", *embed_flags()]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    exe = scratch / "debug" / "outliers"
    assert exe.exists()
    return exe


def run(exe: Path, values, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    text = "\n".join(" ".join(repr(float(v)) for v in values[i:i + 8]) for i in range(0, len(values), 8))
    # The embedded interpreter sees the packages of the one running the tests
    # (NumPy may live in a virtual environment).
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(site.getsitepackages()), **(env_extra or {}))
    env.pop("OUTLIERS_MODULE_DIR", None)
    return subprocess.run([str(exe), *args], input=text + "\n", capture_output=True, text=True,
                          timeout=120, env=env)


def run_ok(exe: Path, values, *args: str) -> dict:
    r = run(exe, values, *args)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def numpy_outliers(values, threshold: float) -> list[int]:
    x = np.asarray(values, dtype=np.float64)
    z = (x - x.mean()) / x.std()
    return np.flatnonzero(np.abs(z) > threshold).tolist()


def sample(n: int, planted: dict[int, float], seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    x = rng.normal(10.0, 2.0, n)
    for i, v in planted.items():
        x[i] = v
    return x.tolist()


def test_indices_match_numpy_and_nothing_is_copied(outliers_exe):
    planted = {3: 60.0, 517: -45.0, 998: 33.0, 1500: 70.0}
    values = sample(2000, planted, seed=1)
    out = run_ok(outliers_exe, values)
    assert out["count"] == len(values)
    assert out["threshold"] == 3.0
    assert out["outliers"] == numpy_outliers(values, 3.0)
    assert set(planted) <= set(out["outliers"])
    # NumPy saw the Swift array's own buffer, and the indices were read from NumPy's.
    assert out["input_shared"] is True
    assert out["indices_shared"] is True


@pytest.mark.parametrize("threshold", [1.5, 2.0, 4.0])
def test_threshold_option(outliers_exe, threshold):
    values = sample(500, {10: 25.0, 400: -8.0}, seed=int(threshold * 10))
    out = run_ok(outliers_exe, values, "--threshold", str(threshold))
    assert out["threshold"] == threshold
    assert out["outliers"] == numpy_outliers(values, threshold)
    assert len(out["outliers"]) > 0


def test_no_outliers_constant_and_empty_input(outliers_exe):
    assert run_ok(outliers_exe, [1.0, 2.0, 3.0, 2.0, 1.0])["outliers"] == []
    constant = run_ok(outliers_exe, [5.0] * 10)
    assert constant["outliers"] == [] and constant["indices_shared"] is None
    empty = run_ok(outliers_exe, [])
    assert empty == {"count": 0, "threshold": 3.0, "outliers": [], "input_shared": None, "indices_shared": None}


def test_bad_input_is_an_error_not_a_crash(outliers_exe):
    r = subprocess.run([str(outliers_exe)], input="1 2 oops\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "not a number: oops" in r.stderr
    r = run(outliers_exe, [1.0], "--threshold", "-1")
    assert r.returncode == 2 and "--threshold" in r.stderr


def test_python_errors_become_messages(outliers_exe, tmp_path):
    # No outliers.py in the folder: the ModuleNotFoundError is reported.
    r = run(outliers_exe, [1.0, 2.0], "--module-dir", str(tmp_path))
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "No module named 'outliers'" in r.stderr
    # A detector that returns a list, not an int64 array: a TypeError, no trap.
    returns_list = tmp_path / "returns_list"
    returns_list.mkdir()
    (returns_list / "outliers.py").write_text("def detect(values, threshold=3.0):\n    return [0]\n")
    r = run(outliers_exe, [1.0, 2.0], "--module-dir", str(returns_list))
    assert r.returncode == 1, (r.stdout, r.stderr)
    # (the runtime spells a Swift-raised TypeError "typeError" in descriptions today)
    assert "typeerror" in r.stderr.lower()
    assert "outliers.detect() result must be a contiguous buffer of int64" in r.stderr and "not list" in r.stderr
    # A detector that raises: its exception and message come through.
    raises = tmp_path / "raises"
    raises.mkdir()
    (raises / "outliers.py").write_text("def detect(values, threshold=3.0):\n    raise ValueError('bad data')\n")
    r = run(outliers_exe, [1.0, 2.0], "--module-dir", str(raises))
    assert r.returncode == 1 and "ValueError" in r.stderr and "bad data" in r.stderr
