"""End to end, as a user: `swiftbind new`, add a function, `pip install` in a
fresh virtual environment, import and call; the wheel is tagged for this
interpreter, does not link libpython or the Swift runtime libraries, imports
with the Swift toolchain hidden, and sits in one process beside another
separately built swiftbind module."""
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, build_fixtures

EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")


def run(cmd, **kwargs):
    kwargs.setdefault("timeout", 900)
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A `swiftbind new` project with one function added, installed with pip
    into a fresh venv whose only source of swiftbind is a local wheelhouse."""
    root = tmp_path_factory.mktemp("e2e")
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    run([sys.executable, "-m", "swiftbind", "new", "hello", "--path", str(root)], env=env)
    hello = root / "hello"
    source = hello / "Sources" / "hello" / "hello.swift"
    text = source.read_text()
    # The user's own addition: one more function.
    text = text.replace('m.def("add(a, b)"', textwrap.dedent('''\
        m.def("shout(text, times=1)", doc: "Upper-case text, repeated.") { (text: String, times: Int) throws -> String in
                    guard times >= 0 else { throw PythonException(.valueError, "times must be >= 0") }
                    return String(repeating: text.uppercased(), count: times)
                }
                m.def("add(a, b)"''').rstrip())
    source.write_text(text)

    wheels = root / "wheels"
    run([sys.executable, "-m", "swiftbind", "wheelhouse", str(wheels)], env=env)
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    py = venv / "bin" / "python"
    pip_env = dict(os.environ, PIP_FIND_LINKS=str(wheels), PIP_NO_INDEX="1",
                   PIP_DISABLE_PIP_VERSION_CHECK="1")
    pip_env.pop("PYTHONPATH", None)
    run([str(py), "-m", "pip", "install", str(hello)], env=pip_env, cwd=root)
    return {"root": root, "hello": hello, "py": py, "wheels": wheels, "env": pip_env}


def test_installed_module_works(project):
    code = textwrap.dedent("""
        import hello, inspect
        print(hello.greet("world"))
        print(hello.add(2, 3))
        print(hello.shout("hi", times=3))
        print(inspect.signature(hello.shout))
        try:
            hello.shout("x", times=-1)
        except ValueError as e:
            print("ValueError", e)
        try:
            hello.add("2", 3)
        except TypeError as e:
            print("TypeError", e)
        try:
            hello.add(2**62, 2**62)
        except OverflowError as e:
            print("OverflowError", e)
    """)
    out = run([str(project["py"]), "-c", code], cwd=project["root"], env=project["env"]).stdout.splitlines()
    assert out == ["Hello, world!", "5", "HIHIHI", "(text, times=1)",
                   "ValueError times must be >= 0", "TypeError add() argument 'a' must be int, not str",
                   "OverflowError result does not fit in Int"]


def test_wheel_is_tagged_and_self_contained(project, tmp_path):
    out = tmp_path / "dist"
    run([str(project["py"]), "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(project["hello"])],
        env=project["env"], cwd=project["root"])
    wheels = list(out.glob("hello-*.whl"))
    assert len(wheels) == 1
    abi = "cp%d%d" % sys.version_info[:2]
    # The platform tag comes from the binary: the oldest manylinux policy
    # it meets (test_ship.py checks it against auditwheel).
    assert re.fullmatch(rf"hello-0\.1\.0-{abi}-{abi}-manylinux_2_\d+_x86_64(\.manylinux\w+)?\.whl",
                        wheels[0].name), wheels[0].name
    with zipfile.ZipFile(wheels[0]) as zf:
        names = zf.namelist()
        assert f"hello{EXT_SUFFIX}" in names
        zf.extract(f"hello{EXT_SUFFIX}", tmp_path)
    so = tmp_path / f"hello{EXT_SUFFIX}"
    needed = run(["readelf", "-d", str(so)]).stdout
    needed_libs = [line.split("[")[1].rstrip("]") for line in needed.splitlines() if "(NEEDED)" in line]
    assert needed_libs, needed
    assert not any("python" in lib for lib in needed_libs), needed_libs
    assert not any("swift" in lib.lower() for lib in needed_libs), needed_libs
    assert so.stat().st_size < 12 * 1024 * 1024  # stripped, static Swift runtime
    # Only the init function is a dynamic symbol (the linker version script).
    sys.path.insert(0, str(REPO / "python"))
    from swiftbind.elf import exported_symbols
    assert exported_symbols(so) == ["PyInit_hello"]


def test_imports_with_swift_toolchain_hidden(project):
    """The wheel must run on a machine with no Swift: hide /opt/swift (and
    anything else named swift on the loader path) in a private mount
    namespace, then import."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare to hide the toolchain")
    toolchain = Path("/opt/swift")
    if not toolchain.exists():
        pytest.skip("no /opt/swift to hide")
    script = (f"mount -t tmpfs none {toolchain} && "
              f"test ! -e {toolchain}/usr/lib/swift && "
              f"{project['py']} -c 'import hello; print(hello.add(40, 2))'")
    env = dict(project["env"], LD_LIBRARY_PATH="")
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                            env=env, cwd=project["root"], timeout=120)
    if result.returncode != 0 and "mount" in result.stderr and "permission" in result.stderr.lower():
        pytest.skip(f"cannot make a mount namespace here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"


def test_two_separately_built_modules_in_one_process(project):
    fixtures = build_fixtures()
    code = textwrap.dedent(f"""
        import sys
        sys.path.append({str(fixtures)!r})
        import hello, fx_functions, fx_state
        assert hello.add(1, 2) == 3 and fx_functions.add(3, 4) == 7
        assert fx_state.bump(2) == 2 and hello.greet("x") == "Hello, x!"
        try:
            fx_functions.add("a", 1)
        except TypeError as e:
            assert "add() argument 'a'" in str(e)
        print("ok")
    """)
    out = run([str(project["py"]), "-c", code], cwd=project["root"], env=project["env"]).stdout
    assert out.strip() == "ok"


def test_develop_rebuilds_in_place(project):
    hello = project["hello"]
    source = hello / "Sources" / "hello" / "hello.swift"
    source.write_text(source.read_text().replace(
        'm.def("add(a, b)"', 'm.def("twice(x)") { (x: Int) throws -> Int in\n'
        '            let (r, o) = x.multipliedReportingOverflow(by: 2)\n'
        '            if o { throw PythonException(.overflowError, "too big") }\n'
        '            return r\n        }\n        m.def("add(a, b)"'))
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    run([sys.executable, "-m", "swiftbind", "develop", str(hello), "-q"], env=env)
    out = run([sys.executable, "-c", "import hello; print(hello.twice(21))"], cwd=hello).stdout
    assert out.strip() == "42"


def test_editable_install_sees_swift_edits_after_develop(project):
    """`pip install -e .` builds in place and points a .pth at the project;
    after a Swift edit, `swiftbind develop` rebuilds and the venv sees it."""
    hello, py = project["hello"], project["py"]
    run([str(py), "-m", "pip", "install", "-e", str(hello)], env=project["env"], cwd=project["root"])
    source = hello / "Sources" / "hello" / "hello.swift"
    source.write_text(source.read_text().replace(
        'm.def("add(a, b)"', 'm.def("edited()") { () -> String in "after the edit" }\n        m.def("add(a, b)"'))
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    run([sys.executable, "-m", "swiftbind", "develop", str(hello), "-q"], env=env)
    code = "import hello; print(hello.__file__); print(hello.edited())"
    out = run([str(py), "-c", code], cwd=project["root"], env=project["env"]).stdout.split("\n")
    assert out[0].startswith(str(hello)), out
    assert out[1] == "after the edit"


def test_wheel_built_from_the_sdist_alone_imports(project, tmp_path):
    """The sdist holds everything a build needs: pip builds it in a fresh
    folder, with build isolation, and the wheel imports in a new venv."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    out = run([sys.executable, "-m", "swiftbind", "build", str(project["hello"]), "-q", "--sdist",
               "--out", str(tmp_path / "sdist")], env=env).stdout.split()
    [sdist] = [p for p in out if p.endswith(".tar.gz")]
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(sdist, alone)
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    py = str(venv / "bin" / "python")
    run([py, "-m", "pip", "wheel", "--no-deps", "-w", str(alone / "wheels"), str(alone / Path(sdist).name)],
        env=project["env"], cwd=alone)
    [wheel] = (alone / "wheels").glob("hello-*.whl")
    run([py, "-m", "pip", "install", "--no-index", str(wheel)], env=project["env"], cwd=alone)
    out = run([py, "-c", "import hello; print(hello.add(2, 3), hello.shout('a', times=2))"],
              cwd=alone, env=project["env"]).stdout
    assert out.strip() == "5 AA"


def test_compiler_errors_are_readable(project, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    broken = tmp_path / "broken"
    shutil.copytree(project["hello"], broken, ignore=shutil.ignore_patterns(".build*", "*.so", ".swiftbind-runtime"))
    source = broken / "Sources" / "hello" / "hello.swift"
    source.write_text(source.read_text().replace("addingReportingOverflow(b)", "addingReportingOverflow(undefinedThing)"))
    result = subprocess.run([sys.executable, "-m", "swiftbind", "develop", str(broken)],
                            capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode != 0
    text = result.stdout + result.stderr
    assert "undefinedThing" in text and "error:" in text
    assert "Traceback" not in text
