"""Tests of the Python build tool (python/swiftbind) that need no Swift runtime.

A fake ``swift`` (set through $SWIFT) compiles a small C extension where the
real one would compile Swift, so the whole path from pyproject.toml to an
importable wheel runs in a second per test.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))

from swiftbind import SwiftBindBuildError, runtime_path  # noqa: E402
from swiftbind import builder, cli, elf, scaffold, settings, toolchain  # noqa: E402
from swiftbind.errors import CompileError, ConfigError, ExtensionCheckError, ToolchainError  # noqa: E402
from swiftbind.target import PythonTarget, python_target  # noqa: E402
from swiftbind.wheel import WheelWriter  # noqa: E402

CC = shutil.which("cc") or shutil.which("gcc")
INCLUDE = sysconfig.get_paths()["include"]
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
needs_cc = pytest.mark.skipif(CC is None or not Path(INCLUDE, "Python.h").exists(),
                              reason="needs a C compiler and Python.h")

C_EXTENSION = """\
#include <Python.h>
static PyObject *add(PyObject *self, PyObject *args) {
    long a, b;
    if (!PyArg_ParseTuple(args, "ll", &a, &b)) return NULL;
    return PyLong_FromLong(a + b);
}
static PyMethodDef methods[] = {{"add", add, METH_VARARGS, "add"}, {NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "NAME", NULL, -1, methods};
PyMODINIT_FUNC PyInit_NAME(void) { return PyModule_Create(&def); }
"""

# Stands in for `swift build`: checks the flags of the conventions, then
# compiles Sources/<product>/<product>.c into <scratch>/<config>/lib<product>.so.
FAKE_SWIFT = """\
#!{python}
import os, subprocess, sys
args = sys.argv[1:]
assert args[0] == "build", args
opt = lambda flag: args[args.index(flag) + 1]
product, scratch, config = opt("--product"), opt("--scratch-path"), opt("-c")
assert ["-Xswiftc", "-static-stdlib"] == args[args.index("-Xswiftc"):args.index("-Xswiftc") + 2]
include = opt("-Xcc")[2:]
assert os.path.isdir(os.environ["SWIFTBIND_RUNTIME"]), "SWIFTBIND_RUNTIME not set"
os.makedirs(os.path.dirname(scratch), exist_ok=True)
with open(scratch + ".log", "a") as log:
    log.write(product + " " + os.environ["SWIFTBIND_RUNTIME"] + "\\n")
src = os.path.join("Sources", product, product + ".c")
if "error" in open(src).read():
    print(src + ":1:1: error: cannot find 'oops' in scope")
    print("error: fatalError")
    sys.exit(1)
out = os.path.join(scratch, config)
os.makedirs(out, exist_ok=True)
extra = os.environ.get("FAKE_SWIFT_LDFLAGS", "").split()
# -Xcc -D... (the abi3 build's Py_LIMITED_API) reach the C compiler too.
extra += [args[i + 1] for i, a in enumerate(args) if a == "-Xcc" and args[i + 1].startswith("-D")]
with open(scratch + ".flags", "w") as f:
    f.write(" ".join(args))
subprocess.run(["{cc}", "-shared", "-fPIC", "-I" + include, src, "-o",
                os.path.join(out, "lib" + product + ".so")] + extra, check=True)
"""


@pytest.fixture
def fake_swift(tmp_path, monkeypatch):
    path = tmp_path / "bin" / "swift"
    path.parent.mkdir()
    path.write_text(FAKE_SWIFT.format(python=sys.executable, cc=CC))
    path.chmod(0o755)
    monkeypatch.setenv("SWIFT", str(path))
    return path


def make_project(root: Path, name=None, module=None, python_source=None, c_name=None) -> Path:
    """A project whose 'Swift' target is a C file the fake swift compiles."""
    root.mkdir(parents=True)
    name = name or root.name
    module = module or name
    last = module.rsplit(".", 1)[-1]
    tool = f'module = "{module}"\nproduct = "{name}"\n'
    if python_source:
        tool += f'python-source = "{python_source}"\n'
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [build-system]
        requires = ["swiftbind>=0.1"]
        build-backend = "swiftbind.build"

        [project]
        name = "{name}"
        version = "1.2.3"
        description = "A test project."
        requires-python = ">=3.9"
        dependencies = ["numpy>=1.0", "tomli; python_version < '3.11'"]

        [project.optional-dependencies]
        test = ["pytest"]

        [tool.swiftbind]
        """) + tool)
    (root / "Package.swift").write_text("// not read by the fake swift\n")
    src = root / "Sources" / name
    src.mkdir(parents=True)
    (src / f"{name}.c").write_text(C_EXTENSION.replace("NAME", c_name or last))
    return root


def read_wheel(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return {n: zf.read(n) for n in zf.namelist()}


def check_record(files: dict) -> None:
    [record_name] = [n for n in files if n.endswith(".dist-info/RECORD")]
    rows = list(csv.reader(io.StringIO(files[record_name].decode())))
    assert {r[0] for r in rows} == set(files)
    for name, digest, size in rows:
        if name == record_name:
            assert digest == size == ""
            continue
        expected = base64.urlsafe_b64encode(hashlib.sha256(files[name]).digest()).rstrip(b"=")
        assert digest == "sha256=" + expected.decode()
        assert int(size) == len(files[name])


# --- tags and interpreters ---------------------------------------------------

def wheel_tag() -> str:
    """The tag of a wheel of the C fixture: it needs nothing newer than glibc 2.2.5,
    so on x86-64 Linux it earns the oldest policy, manylinux1."""
    t = python_target()
    if t.platform == "linux-x86_64":
        return f"{t.interpreter_tag}-{t.abi_tag}-manylinux_2_5_x86_64.manylinux1_x86_64"
    if t.platform.startswith("linux-"):
        pytest.skip("the C fixture's manylinux tag is only known for x86-64")
    return t.tag


def target(**kw) -> PythonTarget:
    base = dict(executable="python", implementation="cpython", version=(3, 11), abiflags="",
                include=INCLUDE, ext_suffix=".so", platform="linux-x86_64")
    base.update(kw)
    return PythonTarget(**base)


def test_tag_default_build():
    assert target().tag == "cp311-cp311-linux_x86_64"


def test_tag_free_threaded_and_dotted_platform():
    t = target(version=(3, 13), abiflags="t", platform="macosx-11.0-arm64")
    assert t.tag == "cp313-cp313t-macosx_11_0_arm64"


def test_running_interpreter():
    t = python_target(sys.executable)
    assert t.version == tuple(sys.version_info[:2])
    assert t.ext_suffix == EXT_SUFFIX
    assert t.tag.startswith(f"cp{sys.version_info[0]}{sys.version_info[1]}-")
    assert t.tag.endswith(sysconfig.get_platform().replace("-", "_").replace(".", "_"))


OTHER = sorted(Path("/root/.pyenv/versions").glob("3.12*/bin/python3.12"))


@pytest.mark.skipif(not OTHER or sys.version_info[:2] == (3, 12), reason="needs another CPython")
def test_other_interpreter_is_queried():
    t = python_target(str(OTHER[0]))
    assert t.version == (3, 12)
    assert t.ext_suffix.startswith(".cpython-312")
    assert t.tag.startswith("cp312-cp312")
    assert Path(t.include, "Python.h").exists()


def test_missing_interpreter_message():
    with pytest.raises(ToolchainError, match="does not exist; pass the path"):
        python_target("/nonexistent/python3")


def test_missing_headers_message():
    with pytest.raises(ToolchainError, match=r"Python.h not found in /nowhere; install the "
                                             r"development headers, e.g. `apt-get install python3-dev`"):
        target(include="/nowhere").check_headers()


# --- the swift toolchain ------------------------------------------------------

def test_swift_env_pointing_nowhere(monkeypatch):
    monkeypatch.setenv("SWIFT", "/nonexistent")
    with pytest.raises(ToolchainError) as info:
        toolchain.find_swift()
    assert "SWIFT=/nonexistent" in str(info.value)
    assert "install Swift 6.x from swift.org" in str(info.value)


def test_swift_missing_everywhere(monkeypatch, tmp_path):
    monkeypatch.delenv("SWIFT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(toolchain, "_FALLBACK", str(tmp_path / "no-swift"))
    with pytest.raises(SwiftBindBuildError) as info:
        toolchain.find_swift()
    assert str(info.value) == (
        "swift was not found on PATH or in /opt/swift/usr/bin; install Swift 6.x from swift.org "
        "and put it on PATH, or set SWIFT=/path/to/swift")


def test_missing_swift_fails_build_via_cli(monkeypatch, tmp_path, capsys):
    make_project(tmp_path / "p")
    monkeypatch.setenv("SWIFT", "/nonexistent")
    assert cli.main(["build", str(tmp_path / "p"), "--out", str(tmp_path / "dist")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("swiftbind: error: SWIFT=/nonexistent")
    assert "Traceback" not in err


def test_build_command_has_convention_flags():
    cmd = toolchain.swift_build_command("swift", "hello", Path("/s"), "/inc")
    assert cmd == ["swift", "build", "-c", "release", "--product", "hello", "--scratch-path",
                   "/s", "--manifest-cache", "local", "-Xswiftc", "-static-stdlib", "-Xcc", "-I/inc",
                   "-Xlinker", "--version-script=/s/swiftbind-exports.map"]


def test_build_plan_is_dropped_when_source_files_are_added(tmp_path):
    scratch, src = tmp_path / "scratch", tmp_path / "Sources"
    (src / "a").mkdir(parents=True)
    (src / "a" / "a.swift").write_text("// a")
    toolchain.refresh_build_plan(scratch, [src])
    plan = scratch / "release.yaml"
    plan.write_text("plan")
    (scratch / "x86_64-unknown-linux-gnu" / "release").mkdir(parents=True)
    description = scratch / "x86_64-unknown-linux-gnu" / "release" / "description.json"
    description.write_text("{}")
    (src / "a" / "a.swift").write_text("// edited: SwiftPM notices edits itself")
    toolchain.refresh_build_plan(scratch, [src])
    assert plan.exists() and description.exists()
    (src / "a" / "b.swift").write_text("// a new file")
    toolchain.refresh_build_plan(scratch, [src])
    assert not plan.exists() and not description.exists()


# --- ELF checks -----------------------------------------------------------------

def compile_c(tmp_path: Path, name: str, *extra: str) -> Path:
    src = tmp_path / f"{name}.c"
    src.write_text(C_EXTENSION.replace("NAME", name))
    out = tmp_path / f"lib{name}.so"
    subprocess.run([CC, "-shared", "-fPIC", f"-I{INCLUDE}", str(src), "-o", str(out), *extra],
                   check=True)
    return out


def libpython_flags():
    libdir = sysconfig.get_config_var("LIBDIR")
    ver = sysconfig.get_config_var("LDVERSION") or sysconfig.get_python_version()
    if not libdir or not list(Path(libdir).glob(f"libpython{ver}.so*")):
        pytest.skip("no shared libpython to link against")
    return [f"-L{libdir}", f"-lpython{ver}"]


@needs_cc
def test_clean_extension_passes(tmp_path):
    lib = compile_c(tmp_path, "clean")
    assert not [n for n in elf.needed_libraries(lib) if "python" in n]
    assert "PyInit_clean" in elf.exported_symbols(lib)
    elf.check_extension(lib, "clean")


@needs_cc
def test_libpython_in_dt_needed_fails(tmp_path):
    lib = compile_c(tmp_path, "linked", *libpython_flags())
    needed = elf.needed_libraries(lib)
    assert any(n.startswith("libpython") for n in needed)
    if shutil.which("readelf"):  # our parser agrees with binutils
        out = subprocess.run(["readelf", "-d", str(lib)], capture_output=True, text=True).stdout
        assert re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out) == needed
    with pytest.raises(ExtensionCheckError, match=r"links against libpython.*SwiftBindEmbed"):
        elf.check_extension(lib, "linked")


@needs_cc
def test_missing_pyinit_fails(tmp_path):
    lib = compile_c(tmp_path, "other")
    with pytest.raises(ExtensionCheckError, match=r"does not export PyInit_wanted.*@_cdecl"):
        elf.check_extension(lib, "wanted")


def private_library(tmp_path: Path) -> list:
    """Linker flags for a shared library outside every manylinux allow-list:
    ``libshipdep.so.1``, whose one function carries the symbol version SHIPDEP_1.0."""
    (tmp_path / "dep.c").write_text("int shipdep(int x) { return x + 1; }\n")
    (tmp_path / "dep.map").write_text("SHIPDEP_1.0 { global: shipdep; local: *; };\n")
    subprocess.run([CC, "-shared", "-fPIC", str(tmp_path / "dep.c"), "-o", str(tmp_path / "libshipdep.so"),
                    "-Wl,-soname,libshipdep.so.1", f"-Wl,--version-script={tmp_path / 'dep.map'}"],
                   check=True)
    return [f"-L{tmp_path}", "-lshipdep"]


def uses(tmp_path: Path, name: str, call: str, *flags: str) -> Path:
    """The C fixture plus one function whose body calls ``call``."""
    src = tmp_path / f"{name}.c"
    src.write_text(C_EXTENSION.replace("NAME", name) + f"\nvoid *keep_{name}(void) {{ {call} }}\n")
    out = tmp_path / f"lib{name}.so"
    subprocess.run([CC, "-shared", "-fPIC", f"-I{INCLUDE}", str(src), "-o", str(out), *flags], check=True)
    return out


@needs_cc
def test_version_needs_agree_with_objdump(tmp_path):
    """Our .gnu.version_r reader, on a real library built here, says what binutils says."""
    lib = uses(tmp_path, "needs", "int shipdep(int); shipdep(1); return dlopen(0, 0);",
               "-include", "dlfcn.h", *private_library(tmp_path), "-ldl")
    needs = elf.version_needs(lib)
    assert "SHIPDEP_1.0" in needs["libshipdep.so.1"]
    assert any(v.startswith("GLIBC_") for v in needs["libc.so.6"])
    if shutil.which("objdump"):
        out = subprocess.run(["objdump", "-p", str(lib)], capture_output=True, text=True).stdout
        refs, lib_name = {}, None
        for line in out.split("Version References:")[1].splitlines():
            if line.strip().startswith("required from"):
                lib_name = line.split("required from")[1].strip().rstrip(":")
                refs[lib_name] = []
            elif lib_name and line.strip():
                refs[lib_name].append(line.split()[-1])
        assert needs == refs
    assert "dlopen" in elf.imported_symbols(lib) and "PyInit_needs" not in elf.imported_symbols(lib)


@needs_cc
def test_manylinux_tag_follows_the_newest_symbol_version(tmp_path):
    from swiftbind import manylinux

    plain = compile_c(tmp_path, "plain")
    newer = uses(tmp_path, "newer", "return dlopen(0, 0);", "-include", "dlfcn.h", "-ldl")
    req = manylinux.Requirements.of(newer)
    glibc = req.highest("GLIBC")
    assert glibc and glibc.startswith("GLIBC_2.")
    policy = manylinux.policy_for([newer], "x86_64")
    # The chosen policy allows that version; the one before it does not.
    assert policy.allows_version(glibc)
    older = manylinux.POLICIES["x86_64"].index(policy) - 1
    if older >= 0:
        assert manylinux.Requirements.of(newer).violations(manylinux.POLICIES["x86_64"][older])
    assert manylinux.platform_tag([plain], "linux-x86_64") == "manylinux_2_5_x86_64.manylinux1_x86_64"
    # Several extensions: the most demanding one decides.
    assert manylinux.platform_tag([plain, newer], "linux-x86_64") == policy.tag("x86_64")
    assert manylinux.platform_tag([newer], "linux-x86_64", compat="linux") == "linux_x86_64"
    assert manylinux.platform_tag([newer], "macosx-11.0-arm64") == "macosx_11_0_arm64"


def test_policy_table_versions():
    from swiftbind import manylinux

    p2014 = next(p for p in manylinux.POLICIES["x86_64"] if p.name == "manylinux_2_17")
    assert p2014.tag("x86_64") == "manylinux_2_17_x86_64.manylinux2014_x86_64"
    assert p2014.allows_version("GLIBC_2.17") and not p2014.allows_version("GLIBC_2.18")
    assert p2014.allows_version("GLIBCXX_3.4.19") and not p2014.allows_version("GLIBCXX_3.4.20")
    assert p2014.allows_version("CXXABI_TM_1") and not p2014.allows_version("CXXABI_FLOAT128")
    assert not p2014.allows_version("GLIBC_PRIVATE")
    assert p2014.allows_version("OPENSSL_3.0.0")  # another library's own versions
    assert "libstdc++.so.6" in p2014.libs and "libcrypto.so.3" not in p2014.libs
    names = [p.name for p in manylinux.POLICIES["x86_64"]]
    assert names[0] == "manylinux_2_5" and "manylinux_2_28" in names and "manylinux_2_34" in names


def test_compressed_tag_set_is_expanded_in_wheel_file(tmp_path):
    meta = settings.project_metadata({"name": "t", "version": "1"})
    w = WheelWriter(meta, "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64")
    w.add("t.py", b"")
    files = read_wheel(w.write(tmp_path))
    assert files["t-1.dist-info/WHEEL"].decode().endswith(
        "Tag: cp311-cp311-manylinux_2_17_x86_64\nTag: cp311-cp311-manylinux2014_x86_64\n")


def test_not_elf(tmp_path):
    (tmp_path / "x.so").write_text("hello")
    with pytest.raises(ExtensionCheckError, match="not an ELF"):
        elf.needed_libraries(tmp_path / "x.so")


# --- the wheel writer -------------------------------------------------------------

def test_wheel_writer_record_and_metadata(tmp_path):
    meta = settings.project_metadata({
        "name": "My.Project", "version": "2.0", "description": "Sum mary",
        "requires-python": ">=3.9", "dependencies": ["numpy>=1"],
        "optional-dependencies": {"dev": ["pytest; os_name == 'posix'"]},
        "scripts": {"mp": "my_project:main"}}, tmp_path)
    w = WheelWriter(meta, "cp311-cp311-linux_x86_64")
    w.add("my_project/__init__.py", b"x = 1\n")
    w.add("my_project/_ext.cpython-311-x86_64-linux-gnu.so", b"\x7fELF...", executable=True)
    path = w.write(tmp_path)
    assert path.name == "my_project-2.0-cp311-cp311-linux_x86_64.whl"
    files = read_wheel(path)
    check_record(files)
    text = files["my_project-2.0.dist-info/METADATA"].decode()
    assert "Name: My.Project\n" in text and "Version: 2.0\n" in text
    assert "Summary: Sum mary\n" in text and "Requires-Python: >=3.9\n" in text
    assert "Requires-Dist: numpy>=1\n" in text
    assert "Provides-Extra: dev\n" in text
    assert 'Requires-Dist: pytest; os_name == "posix" and extra == "dev"\n' in text
    assert text.startswith("Metadata-Version: 2.4\n")
    wheel = files["my_project-2.0.dist-info/WHEEL"].decode()
    assert "Root-Is-Purelib: false\n" in wheel and "Tag: cp311-cp311-linux_x86_64\n" in wheel
    assert b"mp = my_project:main" in files["my_project-2.0.dist-info/entry_points.txt"]
    with zipfile.ZipFile(path) as zf:
        mode = zf.getinfo("my_project/_ext.cpython-311-x86_64-linux-gnu.so").external_attr >> 16
        assert stat.S_IMODE(mode) == 0o755


def test_wheel_is_reproducible(tmp_path):
    meta = settings.project_metadata({"name": "a", "version": "1"})
    for out in ("one", "two"):
        w = WheelWriter(meta, "py3-none-any", purelib=True)
        w.add("a.py", b"")
        w.write(tmp_path / out)
    assert (tmp_path / "one/a-1-py3-none-any.whl").read_bytes() == \
        (tmp_path / "two/a-1-py3-none-any.whl").read_bytes()


# --- building through the fake swift -------------------------------------------------

@needs_cc
def test_build_wheel_end_to_end(tmp_path, fake_swift):
    proj = make_project(tmp_path / "demo")
    wheel = builder.build_wheel(proj, tmp_path / "dist", quiet=True)
    tag = python_target().tag
    assert wheel.name == f"demo-1.2.3-{wheel_tag()}.whl"
    files = read_wheel(wheel)
    check_record(files)
    assert f"demo{EXT_SUFFIX}" in files
    meta = files["demo-1.2.3.dist-info/METADATA"].decode()
    assert "Requires-Dist: numpy>=1.0\n" in meta
    assert "Requires-Dist: pytest; extra == \"test\"\n" in meta
    # The scratch folder is per interpreter, and the runtime path was passed on.
    log = (proj / ".build-swiftbind" / f"{tag}.log").read_text()
    assert log == f"demo {runtime_path()}\n"
    # The wheel's extension imports and works.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    out = subprocess.run([sys.executable, "-c", "import demo; print(demo.add(2, 40))"],
                         cwd=site, capture_output=True, text=True, check=True).stdout
    assert out == "42\n"


@needs_cc
def test_dotted_module_with_python_source(tmp_path, fake_swift):
    proj = make_project(tmp_path / "pkgproj", name="core", module="pkg._core", python_source="py")
    (proj / "py" / "pkg").mkdir(parents=True)
    (proj / "py" / "pkg" / "__init__.py").write_text("from ._core import add\n")
    (proj / "py" / "pkg" / "_core.cpython-39-x86_64-linux-gnu.so").write_bytes(b"stale")
    wheel = builder.build_wheel(proj, tmp_path / "dist")
    files = read_wheel(wheel)
    check_record(files)
    # The type stub and py.typed marker (PEP 561) ship beside the extension.
    assert {n for n in files if not n.startswith("core-1.2.3.dist-info/")} == {
        "pkg/__init__.py", f"pkg/_core{EXT_SUFFIX}", "pkg/_core.pyi", "pkg/py.typed"}
    assert "def add(" in files["pkg/_core.pyi"].decode()
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    out = subprocess.run([sys.executable, "-c", "import pkg; print(pkg.add(1, 2))"],
                         cwd=site, capture_output=True, text=True, check=True).stdout
    assert out == "3\n"


@needs_cc
def test_build_extension_several_products(tmp_path, fake_swift):
    proj = make_project(tmp_path / "multi", name="one")
    src = proj / "Sources" / "two"
    src.mkdir()
    (src / "two.c").write_text(C_EXTENSION.replace("NAME", "two"))
    paths = builder.build_extension(proj, tmp_path / "out", {"one": "one", "a.b.two": "two"})
    assert paths == [tmp_path / "out" / f"one{EXT_SUFFIX}", tmp_path / "out" / "a" / "b" / f"two{EXT_SUFFIX}"]
    assert all(p.exists() for p in paths)
    log = (proj / ".build-swiftbind" / f"{python_target().tag}.log").read_text().split("\n")
    assert [line.split()[0] for line in log if line] == ["one", "two"]


@needs_cc
def test_develop_builds_in_place(tmp_path, fake_swift, capsys):
    proj = make_project(tmp_path / "dev")
    assert cli.main(["develop", str(proj), "-q"]) == 0
    assert (proj / f"dev{EXT_SUFFIX}").exists()
    # and its type stub beside it (a C module has no _swiftbind_types: Any types)
    assert "def add(" in (proj / "dev.pyi").read_text()
    assert (proj / ".swiftbind-runtime").resolve() == Path(runtime_path()).resolve()
    out = subprocess.run([sys.executable, "-c", "import dev; print(dev.add(1, 1))"], cwd=proj,
                         capture_output=True, text=True, check=True).stdout
    assert out == "2\n"


@needs_cc
def test_libpython_linked_product_fails_build(tmp_path, fake_swift, monkeypatch):
    monkeypatch.setenv("FAKE_SWIFT_LDFLAGS", " ".join(libpython_flags()))
    proj = make_project(tmp_path / "bad")
    with pytest.raises(ExtensionCheckError, match="libpython"):
        builder.build_extension(proj, tmp_path / "out")
    assert not list((tmp_path / "out").glob("*")), "a rejected extension must not be installed"


@needs_cc
def test_library_outside_allow_list_fails_build_unless_compat_linux(tmp_path, fake_swift, monkeypatch, capsys):
    if python_target().platform != "linux-x86_64":
        pytest.skip("manylinux policies are checked on x86-64 Linux here")
    deps = tmp_path / "deps"
    deps.mkdir()
    monkeypatch.setenv("FAKE_SWIFT_LDFLAGS", " ".join(private_library(deps)))
    proj = make_project(tmp_path / "odd")
    with open(proj / "Sources" / "odd" / "odd.c", "a") as f:
        f.write("int shipdep(int);\nint use_shipdep(void) { return shipdep(1); }\n")
    assert cli.main(["build", str(proj), "--out", str(tmp_path / "d"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "odd" in err and "meets no manylinux policy" in err
    assert "libshipdep.so.1 (DT_NEEDED) is not on its list of system libraries" in err
    assert "--compat linux" in err and 'compat = "linux"' in err
    assert not (tmp_path / "d").exists() or not list((tmp_path / "d").glob("*.whl"))
    # Knowingly: a plain linux_ wheel, from the flag or from pyproject.toml.
    assert cli.main(["build", str(proj), "--out", str(tmp_path / "d"), "-q", "--compat", "linux"]) == 0
    t = python_target()
    assert [p.name for p in (tmp_path / "d").glob("*.whl")] == [
        f"odd-1.2.3-{t.interpreter_tag}-{t.abi_tag}-linux_x86_64.whl"]
    with open(proj / "pyproject.toml", "a") as f:
        f.write('compat = "linux"\n')
    assert builder.build_wheel(proj, tmp_path / "e").name.endswith("-linux_x86_64.whl")


@needs_cc
def test_moved_project_starts_its_scratch_folder_afresh(tmp_path, fake_swift):
    """What a real move breaks (clang's module cache) is tested with Swift in
    test_ship.py; here: the scratch folder is kept in place and dropped after a move."""
    proj = make_project(tmp_path / "a" / "mv")
    builder.build_extension(proj, tmp_path / "out")
    scratch = proj / ".build-swiftbind" / python_target().tag
    (scratch / "state-of-an-earlier-build").write_text("")
    builder.build_extension(proj, tmp_path / "out")
    assert (scratch / "state-of-an-earlier-build").exists()
    moved = tmp_path / "b" / "mv"
    moved.parent.mkdir()
    proj.rename(moved)
    builder.build_extension(moved, tmp_path / "out")
    scratch = moved / ".build-swiftbind" / python_target().tag
    assert not (scratch / "state-of-an-earlier-build").exists()
    assert f"project {moved}\n" in (scratch / ".swiftbind-paths").read_text()


@needs_cc
def test_pep517_backend_tags_wheels_and_takes_compat(tmp_path, fake_swift, monkeypatch):
    from swiftbind import build as backend

    proj = make_project(tmp_path / "pep")
    monkeypatch.chdir(proj)
    assert backend.build_wheel(str(tmp_path / "w")) == f"pep-1.2.3-{wheel_tag()}.whl"
    t = python_target()
    assert backend.build_wheel(str(tmp_path / "w"), {"compat": "linux"}) == \
        f"pep-1.2.3-{t.interpreter_tag}-{t.abi_tag}-{t.platform_tag}.whl"


@needs_cc
def test_abi3_from_pyproject_cli_and_pep517(tmp_path, fake_swift, monkeypatch):
    from swiftbind import build as backend

    proj = make_project(tmp_path / "stable")
    with open(proj / "pyproject.toml", "a") as f:
        f.write('abi3 = "3.10"\n')
    monkeypatch.chdir(proj)
    name = backend.build_wheel(str(tmp_path / "w"))
    assert name.startswith("stable-1.2.3-cp310-abi3-manylinux_") and name.endswith("_x86_64.whl"), name
    with zipfile.ZipFile(tmp_path / "w" / name) as zf:
        assert "stable.abi3.so" in zf.namelist()
    flags = (proj / ".build-swiftbind" / f"cp310-abi3-{python_target().platform_tag}.flags").read_text()
    assert "-DPy_LIMITED_API=0x030A0000" in flags and "-DSWIFTBIND_LIMITED_API" in flags
    assert "-DSWIFTBIND_NO_BUFFER_API" in flags
    # -C abi3=none (and --abi3 none) build version-specific despite the key.
    t = python_target()
    assert backend.build_wheel(str(tmp_path / "v"), {"abi3": "none", "compat": "linux"}) == \
        f"stable-1.2.3-{t.interpreter_tag}-{t.abi_tag}-{t.platform_tag}.whl"
    assert cli.main(["build", str(proj), "-q", "--abi3", "3.11", "--out", str(tmp_path / "c")]) == 0
    [wheel] = (tmp_path / "c").glob("*.whl")
    assert "-cp311-abi3-" in wheel.name
    flags = (proj / ".build-swiftbind" / f"cp311-abi3-{t.platform_tag}.flags").read_text()
    assert "-DPy_LIMITED_API=0x030B0000" in flags and "NO_BUFFER_API" not in flags
    # In place: the abi3 build replaces a version-specific one Python would import first.
    (proj / f"stable{EXT_SUFFIX}").write_bytes(b"stale")
    builder.develop(proj, quiet=True)
    assert (proj / "stable.abi3.so").exists() and not (proj / f"stable{EXT_SUFFIX}").exists()


@pytest.mark.parametrize("value, words", [("3.9", "3.10 is the lowest"), ("3", "not a Python version"),
                                          ("3.14", "floors 3.10 to 3.13")])
def test_bad_abi3_value(tmp_path, value, words):
    proj = make_project(tmp_path / "a")
    with open(proj / "pyproject.toml", "a") as f:
        f.write(f'abi3 = "{value}"\n')
    with pytest.raises(ConfigError, match=re.escape(words)):
        settings.load_settings(proj)


def test_bad_compat_value(tmp_path):
    proj = make_project(tmp_path / "c")
    with open(proj / "pyproject.toml", "a") as f:
        f.write('compat = "pypi"\n')
    with pytest.raises(ConfigError, match=r"compat = 'pypi' is unknown.*manylinux"):
        settings.load_settings(proj)


@needs_cc
def test_compiler_errors_pass_through(tmp_path, fake_swift, capsys):
    proj = make_project(tmp_path / "broken")
    (proj / "Sources" / "broken" / "broken.c").write_text("error here\n")
    with pytest.raises(CompileError) as info:
        builder.build_extension(proj, tmp_path / "out")
    err = capsys.readouterr().err
    assert "Sources/broken/broken.c:1:1: error: cannot find 'oops' in scope\nerror: fatalError\n" in err
    assert "\n" not in str(info.value)
    assert "cannot find 'oops' in scope" in str(info.value)


def test_sdist_contents(tmp_path):
    proj = make_project(tmp_path / "sd")
    (proj / ".build-swiftbind" / "x").mkdir(parents=True)
    (proj / ".build-swiftbind" / "x" / "junk.o").write_text("")
    (proj / f"sd{EXT_SUFFIX}").write_text("")
    import tarfile

    sdist = builder.build_sdist(proj, tmp_path / "dist")
    assert sdist.name == "sd-1.2.3.tar.gz"
    with tarfile.open(sdist) as tar:
        names = set(tar.getnames())
    assert names == {"sd-1.2.3/PKG-INFO", "sd-1.2.3/Package.swift", "sd-1.2.3/pyproject.toml",
                     "sd-1.2.3/Sources/sd/sd.c"}


def test_sdist_leaves_out_environments_build_output_and_gitignored_files(tmp_path):
    import tarfile

    proj = make_project(tmp_path / "clean")
    (proj / ".gitignore").write_text("# generated\n*.log\n/scratch/\nnotes/**/*.tmp\n!keep.log\n")
    junk = ["venv/bin/python", "venv/pyvenv.cfg", ".venv311/lib/x.py", "myenv/pyvenv.cfg",
            "myenv/lib/site.py", "dist/clean-1.2.3.tar.gz", ".git/HEAD", ".build/debug/x.o",
            ".build-swiftbind/cp311/build.db", ".swiftpm/config", "build.log", "scratch/a.swift",
            "notes/a/b.tmp", "Sources/clean/__pycache__/x.pyc"]
    kept = ["keep.log", "notes/a/b.md", "Sources/clean/extra.h", "docs/env/index.md",
            "Sources/scratch/s.swift"]
    for rel in junk + kept:
        (proj / rel).parent.mkdir(parents=True, exist_ok=True)
        (proj / rel).write_text("x")
    with tarfile.open(builder.build_sdist(proj, tmp_path / "out")) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames()}
    assert names == {"PKG-INFO", "Package.swift", "pyproject.toml", "Sources/clean/clean.c",
                     ".gitignore", *kept}


# --- settings -----------------------------------------------------------------------

def test_settings_defaults(tmp_path):
    proj = make_project(tmp_path / "s")
    text = (proj / "pyproject.toml").read_text()
    (proj / "pyproject.toml").write_text(text.split("[tool.swiftbind]")[0].replace(
        'name = "s"', 'name = "my-proj"'))
    s = settings.load_settings(proj)
    assert (s.module, s.product, s.python_source, s.strip) == ("my_proj", "my_proj", None, True)


def test_unknown_tool_key_lists_known_keys(tmp_path):
    proj = make_project(tmp_path / "u")
    with open(proj / "pyproject.toml", "a") as f:
        f.write('modul = "typo"\n')
    with pytest.raises(ConfigError, match=r"unknown key \[tool.swiftbind\] 'modul'; known keys "
                                          r"are module, product, python-source, strip"):
        settings.load_settings(proj)


def test_bad_module_name(tmp_path):
    proj = make_project(tmp_path / "m", module="pkg.1bad")
    with pytest.raises(ConfigError, match="not a dotted Python import name"):
        settings.load_settings(proj)


# --- swiftbind new --------------------------------------------------------------------

def conventions_block(lang: str) -> str:
    text = (ROOT / "docs" / "dev" / "conventions.md").read_text()
    return re.search(rf"```{lang}\n(.*?)```", text, re.S).group(1)


def test_new_project(tmp_path, capsys):
    assert cli.main(["new", "hello", "--path", str(tmp_path)]) == 0
    root = tmp_path / "hello"
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert names == [".gitignore", "Package.swift", "README.md", "Sources/hello/hello.swift",
                     "pyproject.toml"]
    assert (root / "Package.swift").read_text() == conventions_block("swift")
    s = settings.load_settings(root)
    assert (s.metadata.name, s.metadata.version, s.module, s.product) == \
        ("hello", "0.1.0", "hello", "hello")
    data = settings.load_toml(root / "pyproject.toml")
    assert data["build-system"] == {"requires": ["swiftbind>=0.1"], "build-backend": "swiftbind.build"}
    swift = (root / "Sources/hello/hello.swift").read_text()
    assert '@_cdecl("PyInit_hello")' in swift
    assert 'PythonModule.define("hello", doc: "A Swift extension module.") { m in' in swift
    assert '"\\(greeting), \\(name)!"' in swift
    assert ".swiftbind-runtime" in (root / ".gitignore").read_text().split()


def test_new_refuses_existing_folder(tmp_path, capsys):
    (tmp_path / "hello").mkdir()
    assert cli.main(["new", "hello", "--path", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert not list((tmp_path / "hello").iterdir())


@pytest.mark.parametrize("name", ["1abc", "with-dash", "class", "héllo", "a.b", "", "SwiftBind", "CPython"])
def test_new_rejects_bad_names(tmp_path, name):
    with pytest.raises(ConfigError):
        scaffold.new_project(name, tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", ["hello", "_private", "fast_math2"])
def test_new_accepts_identifiers(name):
    scaffold.validate_name(name)


# --- the package itself ------------------------------------------------------------------

def test_backend_imports_little():
    # pip imports the backend for every hook: it must not pull in the build machinery.
    code = ("import sys; before = set(sys.modules); import swiftbind.build; "
            "print(sorted(set(sys.modules) - before))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "python",
                         capture_output=True, text=True, check=True).stdout
    loaded = set(eval(out)) - {"__future__"}
    assert loaded == {"swiftbind", "swiftbind.build", "swiftbind.errors"}


def test_runtime_path_in_checkout():
    assert Path(runtime_path()) == ROOT


def test_self_wheel_carries_runtime(tmp_path):
    from swiftbind import _self_backend

    if not (ROOT / "Sources" / "SwiftBind").is_dir():
        pytest.skip("runtime sources not present")
    name = _self_backend.build_wheel(str(tmp_path))
    files = read_wheel(tmp_path / name)
    check_record(files)
    assert name == "swiftbind-0.1.0-py3-none-any.whl"
    assert b"Package(\n    name: \"swiftbind\"" in files["swiftbind/runtime/Package.swift"]
    for target in ("CPython", "SwiftBind"):
        src = sorted(p.relative_to(ROOT / "Sources").as_posix()
                     for p in (ROOT / "Sources" / target).rglob("*") if p.is_file())
        assert src and all(f"swiftbind/runtime/Sources/{s}" in files for s in src)
    assert "swiftbind/build.py" in files and "swiftbind/cli.py" in files
    assert b"swiftbind = swiftbind.cli:main" in files["swiftbind-0.1.0.dist-info/entry_points.txt"]
    assert not [n for n in files if "__pycache__" in n]


def test_python_m_swiftbind_help():
    out = subprocess.run([sys.executable, "-m", "swiftbind", "--help"], cwd=ROOT / "python",
                         capture_output=True, text=True, check=True).stdout
    for command in ("new", "develop", "build", "stubs", "runtime-path", "wheelhouse"):
        assert command in out


def test_installed_runtime_is_staged_incrementally(tmp_path, monkeypatch):
    import swiftbind

    installed = tmp_path / "site" / "swiftbind" / "runtime"
    (installed / "Sources" / "SwiftBind").mkdir(parents=True)
    (installed / "Package.swift").write_text("// manifest\n")
    (installed / "Sources" / "SwiftBind" / "A.swift").write_text("a\n")
    (installed / "Sources" / "SwiftBind" / "B.swift").write_text("b\n")
    monkeypatch.setattr(swiftbind, "runtime_path", lambda: installed)
    proj = tmp_path / "proj"
    proj.mkdir()
    staged = builder.stage_runtime(proj)
    assert staged == proj / ".build-swiftbind" / "runtime"
    assert (staged / "Sources" / "SwiftBind" / "A.swift").read_text() == "a\n"
    a = staged / "Sources" / "SwiftBind" / "A.swift"
    os.utime(a, (1, 1))
    (installed / "Sources" / "SwiftBind" / "B.swift").unlink()
    (installed / "Package.swift").write_text("// changed\n")
    builder.stage_runtime(proj)
    assert a.stat().st_mtime == 1, "an unchanged file must not be copied again"
    assert not (staged / "Sources" / "SwiftBind" / "B.swift").exists()
    assert (staged / "Package.swift").read_text() == "// changed\n"


def _target_decl(manifest: str, name: str) -> str:
    """The `.target(name: "NAME", ...)` expression of a manifest, whitespace-normalised."""
    start = manifest.index(f'.target(name: "{name}"')
    depth = 0
    for i in range(start, len(manifest)):
        depth += {"(": 1, ")": -1}.get(manifest[i], 0)
        if depth == 0 and manifest[i] == ")":
            return " ".join(manifest[start:i + 1].split())
    raise AssertionError(f"unbalanced declaration of {name}")


@pytest.mark.skipif(not (ROOT / "Package.swift").exists(), reason="no root Package.swift")
def test_runtime_manifest_matches_repository_manifest():
    # The installed runtime must build the runtime targets exactly as the repository does.
    root = (ROOT / "Package.swift").read_text()
    shipped = (ROOT / "python/swiftbind/runtime_manifest/Package.swift").read_text()
    for target in ("CPython", "SwiftBind"):
        assert _target_decl(shipped, target) == _target_decl(root, target)
    assert root.splitlines()[0] == shipped.splitlines()[0]  # swift-tools-version


@needs_cc
def test_develop_puts_dotted_module_into_python_source(tmp_path, fake_swift):
    proj = make_project(tmp_path / "devpkg", name="core", module="pkg._core", python_source="src")
    (proj / "src" / "pkg").mkdir(parents=True)
    (proj / "src" / "pkg" / "__init__.py").write_text("from ._core import add\n")
    assert cli.main(["develop", str(proj), "-q"]) == 0
    assert (proj / "src" / "pkg" / f"_core{EXT_SUFFIX}").exists()
    assert not list(proj.glob(f"*{EXT_SUFFIX}"))
    out = subprocess.run([sys.executable, "-c", "import pkg; print(pkg.add(20, 22))"],
                         cwd=proj / "src", capture_output=True, text=True, check=True).stdout
    assert out == "42\n"


@needs_cc
def test_cli_build_writes_wheel_and_sdist(tmp_path, fake_swift, capsys):
    proj = make_project(tmp_path / "both")
    assert cli.main(["build", str(proj), "--out", str(tmp_path / "d"), "--sdist", "--wheel", "-q"]) == 0
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert names == [f"both-1.2.3-{wheel_tag()}.whl", "both-1.2.3.tar.gz"]
    assert capsys.readouterr().out.split() == [str(tmp_path / "d" / n) for n in reversed(names)]
