"""`swiftbind generate-ci github`: the workflow parses as YAML, has the jobs and
steps a release needs (build per interpreter or one abi3 build, test on every
version, trusted publishing to TestPyPI before PyPI), and its shell steps
really build, install and import a wheel (run here with the fake `swift` of
test_build_tool).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_build_tool import fake_swift, make_project, needs_cc  # noqa: F401 (fixture)

from swiftbind import ci, cli  # noqa: E402 (test_build_tool put python/ on sys.path)
from swiftbind.errors import ConfigError  # noqa: E402

yaml = pytest.importorskip("yaml", reason="pip install -r pytests/requirements-ship.txt")


def load(text: str) -> dict:
    data = yaml.safe_load(text)
    data["on"] = data.pop(True)  # YAML 1.1 reads the bare key `on` as a boolean
    return data


def steps_named(job: dict) -> dict:
    return {s.get("name") or s["uses"]: s for s in job["steps"]}


def test_cli_writes_the_workflow_and_refuses_to_overwrite(tmp_path, capsys):
    proj = make_project(tmp_path / "demo")
    assert cli.main(["generate-ci", "github", str(proj)]) == 0
    path = proj / ".github" / "workflows" / "wheels.yml"
    assert capsys.readouterr().out.strip() == str(path)
    flow = load(path.read_text())
    assert flow["on"]["push"]["tags"] == ["v*"] and "pull_request" in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    assert list(jobs) == ["build", "test", "publish-testpypi", "publish-pypi"]
    # Per interpreter: a build job for each version requires-python allows.
    assert jobs["build"]["strategy"]["matrix"]["python"] == ["3.9", "3.10", "3.11", "3.12", "3.13"]
    assert jobs["test"]["strategy"]["matrix"]["python"] == ["3.9", "3.10", "3.11", "3.12", "3.13"]
    build = steps_named(jobs["build"])
    assert "swiftbind build --wheel $sdist --out dist" in build["Build the wheel (and, once, the sdist)"]["run"]
    assert "twine check --strict dist/*" in build["Check what PyPI will see"]["run"]
    assert build["actions/upload-artifact@v4"]["with"]["path"] == "dist/"
    assert re.search(r"download\.swift\.org/swift-\$v-release/", build["Install Swift ${{ env.SWIFT_VERSION }}"]["run"])
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", flow["env"]["SWIFT_VERSION"])
    assert flow["env"]["SWIFTBIND"].startswith("swiftbind==")
    assert jobs["test"]["needs"] == "build"
    # Trusted publishing: OIDC token, an environment, TestPyPI first, tags only.
    for job, env, needs in (("publish-testpypi", "testpypi", "test"), ("publish-pypi", "pypi", "publish-testpypi")):
        j = jobs[job]
        assert j["permissions"] == {"id-token": "write"} and j["environment"]["name"] == env
        assert j["needs"] == needs and j["if"] == "startsWith(github.ref, 'refs/tags/')"
        publish = steps_named(j)["pypa/gh-action-pypi-publish@release/v1"]
        assert (publish.get("with") or {}).get("repository-url") == \
            ("https://test.pypi.org/legacy/" if env == "testpypi" else None)
        assert "password" not in (publish.get("with") or {})
    assert cli.main(["generate-ci", "github", str(proj)]) == 1
    assert "exists; pass --force" in capsys.readouterr().err
    assert cli.main(["generate-ci", "github", str(proj), "--force"]) == 0


def test_abi3_builds_once_and_tests_from_the_floor_on(tmp_path):
    proj = make_project(tmp_path / "stable")
    with open(proj / "pyproject.toml", "a") as f:
        f.write('abi3 = "3.11"\n')
    flow = load(ci.generate_github(proj, swift_version="6.0").read_text())
    assert flow["jobs"]["build"]["strategy"]["matrix"]["python"] == ["3.11"]
    assert flow["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert "one abi3 wheel (limited API, CPython 3.11+)" in (proj / ".github/workflows/wheels.yml").read_text()
    with pytest.raises(ConfigError, match="newer than every version requires-python allows"):
        ci.github_workflow("demo", "demo", ["3.9", "3.10"], abi3="3.11")


def test_versions_follow_requires_python():
    assert ci.supported_versions(">=3.11") == ["3.11", "3.12", "3.13"]
    assert ci.supported_versions(None) == ["3.9", "3.10", "3.11", "3.12", "3.13"]
    with pytest.raises(ConfigError, match="allows none of the CPython versions"):
        ci.supported_versions(">=4")


def shell(script: str, matrix_python: str, env: dict, cwd: Path, venv: Path) -> str:
    script = script.replace("${{ matrix.python }}", matrix_python).replace("/tmp/venv", str(venv))
    assert "${{" not in script, script
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@needs_cc
def test_build_and_test_steps_run(tmp_path, fake_swift):
    """The build step and the test job's steps, run for real (Swift install and
    the upload/download actions aside; the test's install runs offline)."""
    proj = make_project(tmp_path / "flow")
    # The fixture depends on numpy; keep the offline install to the wheel itself.
    text = (proj / "pyproject.toml").read_text().replace('dependencies = ["numpy>=1.0", ', "dependencies = [")
    (proj / "pyproject.toml").write_text(text)
    me = f"{sys.version_info[0]}.{sys.version_info[1]}"
    flow = load(ci.github_workflow("flow", "flow", [me, "3.99"], swift_version="6.0"))
    bin_dir = tmp_path / "tools"
    bin_dir.mkdir()
    (bin_dir / "swiftbind").write_text(f"#!/bin/sh\nexec {sys.executable} -m swiftbind \"$@\"\n")
    (bin_dir / "swiftbind").chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", GITHUB_WORKSPACE=str(proj),
               PYTHONPATH=str(Path(ci.__file__).parent.parent), PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    build = steps_named(flow["jobs"]["build"])["Build the wheel (and, once, the sdist)"]["run"]
    shell(build, me, env, proj, tmp_path / "unused")
    built = sorted(p.name for p in (proj / "dist").iterdir())
    assert len(built) == 2 and built[0].endswith(".whl") and built[1] == "flow-1.2.3.tar.gz", built
    (proj / "tests").mkdir()
    (proj / "tests" / "test_flow.py").write_text("import flow\n\ndef test_add():\n    assert flow.add(2, 3) == 5\n")
    test = steps_named(flow["jobs"]["test"])
    venv = tmp_path / "venv"
    env.pop("PYTHONPATH")
    shell(test["Install the wheel into a fresh venv"]["run"], me, env, proj, venv)
    # pytest is not on the (absent) index: let the venv see the running interpreter's.
    (venv / "lib" / f"python{me}" / "site-packages" / "outer.pth").write_text(
        next(p for p in sys.path if p.endswith("site-packages")) + "\n")
    out = shell(test["Import it, run the tests"]["run"].replace("/tmp/venv/bin/pip install pytest\n", ""),
                me, env, Path(test["Import it, run the tests"]["working-directory"]), venv)
    assert "flow imports" in out and "1 passed" in out
