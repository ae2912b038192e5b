"""Shipping, checked with the tools PyPI's users trust: the wheels the build
tool writes carry the manylinux tag `auditwheel show` (PyPI) names, `twine
check` passes on every wheel and sdist, the sdist holds only sources, and a
project folder that was moved after a build builds again.

Four cold Swift builds: the `swiftbind new` template for two interpreters in
one `swiftbind build --interpreter A B` run, the same project moved, and
examples/stats.
"""
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytest.importorskip("auditwheel", reason="pip install -r pytests/requirements-ship.txt")
pytest.importorskip("twine", reason="pip install -r pytests/requirements-ship.txt")

sys.path.insert(0, str(REPO / "python"))
from swiftbind import interpreters, manylinux  # noqa: E402
from swiftbind.target import python_target  # noqa: E402

pytestmark = pytest.mark.skipif(python_target().platform != "linux-x86_64",
                                reason="manylinux policies are checked on x86-64 Linux")
ENV = dict(os.environ, PYTHONPATH=str(REPO / "python"))


def run(cmd, **kwargs):
    kwargs.setdefault("timeout", 900)
    result = subprocess.run(cmd, capture_output=True, text=True, env=kwargs.pop("env", ENV), **kwargs)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def swiftbind(*args, **kwargs):
    return run(["nice", sys.executable, "-m", "swiftbind", *args], **kwargs)


def other_python():
    """A second CPython 3.9-3.13 with headers (3.12 when there is one), or None."""
    here = python_target().version
    found = [t for t in interpreters.unique_targets(interpreters.candidates(), skip_broken=True)
             if t.version != here]
    return sorted(found, key=lambda t: t.version != (3, 12))[0] if found else None


OTHER = other_python()


def build(project: Path, out: Path, *pythons: str) -> dict:
    """`swiftbind build --sdist --wheel [--interpreter ...]`; the files it wrote."""
    extra = ["--interpreter", *pythons] if pythons else []
    lines = swiftbind("build", str(project), "-q", "--sdist", "--wheel", "--out", str(out),
                      *extra).stdout.split()
    wheels = [Path(p) for p in lines if p.endswith(".whl")]
    [sdist] = [Path(p) for p in lines if p.endswith(".tar.gz")]
    t = python_target()
    [wheel] = [w for w in wheels if f"-{t.interpreter_tag}-{t.abi_tag}-" in w.name]
    return {"wheel": wheel, "wheels": wheels, "sdist": sdist, "project": project}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The `swiftbind new` project, with the clutter a user makes beside it."""
    root = tmp_path_factory.mktemp("ship-template")
    swiftbind("new", "hello", "--path", str(root / "first"))
    project = root / "first" / "hello"
    run([sys.executable, "-m", "venv", "--without-pip", str(project / "venv")])
    for rel in ("dist/old-0.0.1.tar.gz", ".venv-3.12/pyvenv.cfg", "notes.so", "build/lib/x.py"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text("not a source")
    # Two interpreters in one run (the second is the only extra cold build).
    return build(project, root / "dist-first", sys.executable, *([OTHER.executable] if OTHER else []))


@pytest.fixture(scope="module")
def moved(template, tmp_path_factory):
    """The same project, moved to another folder after its build, then built again."""
    root = tmp_path_factory.mktemp("ship-moved")
    project = root / "renamed" / "hello"
    project.parent.mkdir()
    shutil.move(str(template["project"]), project)
    return build(project, root / "dist")


@pytest.fixture(scope="module")
def stats(tmp_path_factory):
    project = tmp_path_factory.mktemp("ship-stats") / "stats"
    shutil.copytree(REPO / "examples" / "stats", project,
                    ignore=shutil.ignore_patterns(".build*", ".swiftbind-runtime", "dist", "*.so"))
    return build(project, project.parent / "dist")


def extension(wheel: Path, tmp_path: Path) -> Path:
    with zipfile.ZipFile(wheel) as zf:
        [name] = [n for n in zf.namelist() if n.endswith(".so")]
        zf.extract(name, tmp_path)
    return tmp_path / name


def auditwheel_tag(wheel: Path) -> str:
    out = run([sys.executable, "-m", "auditwheel", "show", str(wheel)]).stdout
    found = re.search(r'consistent\s+with\s+the\s+following\s+platform\s+tag:\s+"([^"]+)"', out)
    assert found, out
    return found.group(1)


@pytest.mark.parametrize("which", ["template", "stats"])
def test_auditwheel_names_the_tag_the_tool_chose(which, request, tmp_path):
    built = request.getfixturevalue(which)
    wheel = built["wheel"]
    t = python_target()
    prefix = f"{wheel.name.split('-')[0]}-0.1.0-{t.interpreter_tag}-{t.abi_tag}-"
    assert wheel.name.startswith(prefix)
    platform = wheel.name[len(prefix):-len(".whl")]
    assert platform.startswith("manylinux_2_"), platform
    # auditwheel names the oldest (first) tag of the set, as the tool does.
    assert auditwheel_tag(wheel) == platform.split(".")[0]
    # The tag follows the extension's own needs (read back independently of the build).
    so = extension(wheel, tmp_path)
    needs = manylinux.Requirements.of(so)
    glibc = needs.highest("GLIBC")
    assert manylinux.policy_for([so], "x86_64").allows_version(glibc)
    print(f"{wheel.name}: {wheel.stat().st_size} bytes, extension {so.stat().st_size} bytes, "
          f"needs {glibc}, {needs.highest('GLIBCXX')}; DT_NEEDED {', '.join(needs.needed)}")


@pytest.mark.skipif(OTHER is None, reason="needs a second CPython 3.9-3.13 with headers")
def test_one_run_wrote_a_wheel_per_interpreter_and_each_imports(template, tmp_path):
    tags = sorted(w.name.split("-")[2] for w in template["wheels"])
    assert tags == sorted([python_target().interpreter_tag, OTHER.interpreter_tag])
    [theirs] = [w for w in template["wheels"] if f"-{OTHER.interpreter_tag}-" in w.name]
    assert auditwheel_tag(theirs) == theirs.name.split("-")[-1][:-len(".whl")].split(".")[0]
    site = tmp_path / "site"
    zipfile.ZipFile(theirs).extractall(site)
    out = run([OTHER.executable, "-c", "import sys, hello; print(sys.version_info[:2], hello.add(2, 3))"],
              cwd=site).stdout
    assert out == f"{OTHER.version} 5\n"


def test_extension_exports_only_its_init_function(template, tmp_path):
    so = extension(template["wheel"], tmp_path)
    out = run(["nm", "-D", "--defined-only", str(so)]).stdout
    exported = [line.split()[-1] for line in out.splitlines() if line.split()[1].isupper()]
    assert exported == ["PyInit_hello"], out


def test_twine_check_passes_on_every_wheel_and_sdist(template, moved, stats, tmp_path):
    files = [str(b[k]) for b in (template, moved, stats) for k in ("wheel", "sdist")]
    files += [str(w) for w in template["wheels"] if w != template["wheel"]]
    # `swiftbind wheelhouse` writes swiftbind's own wheel.
    files += swiftbind("wheelhouse", str(tmp_path / "wheels")).stdout.split()
    out = run([sys.executable, "-m", "twine", "check", *files]).stdout
    assert out.count("PASSED") == len(files), out


def test_sdist_holds_the_sources_and_nothing_else(template):
    with tarfile.open(template["sdist"]) as tar:
        names = sorted(n.split("/", 1)[1] for n in tar.getnames())
    assert names == [".gitignore", "PKG-INFO", "Package.swift", "README.md",
                     "Sources/hello/hello.swift", "pyproject.toml"]


def test_moved_project_builds_again(template, moved, tmp_path):
    # The first build left SwiftPM and clang state with the old absolute path...
    assert (moved["project"] / ".build-swiftbind").is_dir()
    # ...and the build at the new place succeeded, with the same tag, and works.
    assert moved["wheel"].name == template["wheel"].name
    site = tmp_path / "site"
    zipfile.ZipFile(moved["wheel"]).extractall(site)
    out = run([sys.executable, "-c", "import hello; print(hello.add(2, 3), hello.greet('moved'))"],
              cwd=site).stdout
    assert out == "5 Hello, moved!\n"
    paths = (moved["project"] / ".build-swiftbind" / python_target().tag / ".swiftbind-paths").read_text()
    assert f"project {moved['project']}\n" in paths


def quickstart_commands():
    """The shell lines of README.md's quickstart, comments dropped, `&&` split."""
    text = (REPO / "README.md").read_text()
    section = text.split("## Quickstart: your own module", 1)[1].split("\n## ", 1)[0]
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            lines += [part.strip() for part in line.split("&&") if part.strip()]
    return lines


def test_readme_quickstart_typed_literally(tmp_path):
    """Follows the quickstart's folder changes and runs its cheap steps for real
    (`swiftbind new`, `swiftbind wheelhouse`, `python -m venv`); the build steps
    are the ones the tests above run.  Every path a step names must exist where
    the reader stands at that point (the README once said `cd hello`, then
    `pip install ./hello`), and no virtual environment lands in the project."""
    home, cwd = tmp_path / "home", tmp_path / "start"
    home.mkdir()
    cwd.mkdir()
    project = None
    commands = quickstart_commands()
    assert commands[0].startswith("pip install /path/to/swiftbind")
    for cmd in commands[1:]:
        words = [w.replace("~", str(home)) for w in cmd.split()]
        if words[0] == "cd":
            cwd = (cwd / words[1]).resolve()
            assert cwd.is_dir(), f"`{cmd}`: no such folder"
        elif words[:2] == ["swiftbind", "new"]:
            swiftbind(*words[1:], cwd=cwd)
            project = cwd / words[2]
        elif words[:2] == ["swiftbind", "wheelhouse"]:
            swiftbind(*words[1:], cwd=cwd)
        elif words[1:3] == ["-m", "venv"]:
            run([sys.executable, "-m", "venv", "--without-pip", words[3]], cwd=cwd)
        elif words[0] in (".", "source"):
            assert (cwd / words[1]).is_file(), f"`{cmd}`: nothing to activate"
        elif "pip" in words and "install" in words:
            target = words[-1]
            assert (cwd / target / "pyproject.toml").is_file(), \
                f"`{cmd}` run in {cwd}: no project at {target}"
            assert list((home / "wheels").glob("swiftbind-*.whl")), "the wheelhouse is empty"
        elif words[0] == "swiftbind":
            assert words[1] in ("develop", "build") and (cwd / "pyproject.toml").is_file(), cmd
        elif words[0] == "python":
            assert "import hello" in cmd
        else:
            pytest.fail(f"the test does not know the quickstart step `{cmd}`")
    assert project is not None
    assert not [p for p in project.rglob("pyvenv.cfg")], "a virtual environment inside the project"
