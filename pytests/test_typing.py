"""Types for every module (docs/typing.md): annotations derived from the
Swift types, annotations written in signatures, and the generated stubs,
checked by mypy's stubtest (every fixture and example, no allow-list) and
by ``mypy --strict`` on user scripts."""
import inspect
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, build_fixtures, fixture_names, load_fixture, run_fresh_python

fx = load_fixture("fx_typing")
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = {"hello": "hello", "kobj": "kobj", "stats": "stats", "parallel": "primes", "bf": "bf._bf"}
# Examples other suites build in release (test_example_*): reusing their
# scratch folders, the rest are debug builds (types do not depend on it,
# and a cold debug build takes a fraction of a release one).
RELEASE_BUILT = {"kobj", "parallel", "bf"}


def first_line(f) -> str:
    return f.__doc__.split("\n")[0]


@pytest.mark.parametrize("name, line", [
    ("t_int", "t_int(x: int) -> int"),
    ("t_float", "t_float(x: float) -> float"),
    ("t_str", "t_str(x: str) -> str"),
    ("t_bool", "t_bool(x: bool) -> bool"),
    ("t_list", "t_list(x: list[int]) -> list[int]"),
    ("t_dict", "t_dict(x: dict[str, float]) -> dict[str, float]"),
    ("t_set", "t_set(x: set[str]) -> set[str]"),
    ("t_optional", "t_optional(x: int | None = None) -> int | None"),
    ("t_tuple", "t_tuple(x: tuple[int, str]) -> tuple[int, str]"),
    ("t_bytes", "t_bytes(x: bytes) -> bytes"),
    ("t_pybytes", "t_pybytes(n: int) -> bytes"),
    ("t_buffer", "t_buffer(x: Buffer) -> int"),
    ("t_ndarray", "t_ndarray(n: int) -> Buffer"),
    ("t_numpy", "t_numpy(n: int) -> numpy.typing.NDArray[numpy.float32]"),
    ("t_class", "t_class(m: Matrix) -> Matrix"),
    ("t_enum", "t_enum(mode: Mode) -> Mode"),
    ("t_object", "t_object(x: object) -> Any"),
    ("t_varargs", "t_varargs(*values: int, **named: str) -> int"),
    ("t_user", "t_user(c: float) -> float"),
    ("t_version", "t_version() -> tuple[int, int]"),
    ("t_none", "t_none() -> None"),
    ("t_job", "t_job(n: int) -> Job[int]"),
    ("t_async", "t_async(n: int) -> Job[int]"),
])
def test_docstring_starts_with_the_derived_types(name, line):
    assert first_line(getattr(fx, name)) == line


def test_help_shows_types_and_inspect_keeps_the_text_signature():
    import pydoc
    text = pydoc.render_doc(fx.annotated, renderer=pydoc.plaintext)
    assert "annotated(a, b='x')" in text
    assert "annotated(a: int, b: str = 'x') -> int" in text and "Written annotations." in text
    assert str(inspect.signature(fx.annotated)) == "(a, b='x')"
    assert fx.annotated(2, "abc") == 5


def test_methods_properties_and_classes_are_typed():
    assert fx.Matrix.__doc__ == "Matrix(rows: int, columns: int = 1)\n\nA shape."
    assert first_line(fx.Matrix.transposed) == "transposed(self) -> Matrix"
    assert first_line(fx.Matrix.scaled) == "scaled(self, factor: float) -> Matrix"
    assert first_line(fx.Matrix.identity) == "identity(n: int) -> Matrix"
    assert str(inspect.signature(fx.Matrix.scaled)) == "(self, /, factor)"


def test_written_annotations_override_the_derived_ones():
    assert first_line(fx.narrowed) == "narrowed(values: Sequence[int]) -> float"
    assert first_line(fx.flag) == "flag(on: bool) -> float"


def _import_bad(name: str) -> subprocess.CompletedProcess:
    """Runs module `name`'s init from fx_typing's library (it exports
    PyInit_<name>), in a fresh interpreter."""
    return run_fresh_python(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location({name!r}, {fx.__file__!r})\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n")


def test_annotation_contradicting_the_swift_type_fails_the_import():
    result = _import_bad("fx_typing_bad_parameter")
    assert result.returncode == 1
    assert ("TypeError: swiftbind: fx_typing_bad_parameter.f: parameter 'a' is annotated 'str' "
            "but its Swift type converts from 'int'; fix the annotation or the closure's parameter type") in result.stderr


def test_return_annotation_contradicting_the_swift_type_fails_the_import():
    result = _import_bad("fx_typing_bad_return")
    assert result.returncode == 1
    assert ("the return annotation 'list[str]' contradicts the Swift result type, which converts to "
            "'list[int]'") in result.stderr


def test_modules_publish_their_types():
    data = json.loads(fx._swiftbind_types)
    assert data["module"] == "fx_typing" and data["version"] == 1
    by_name = {(d.get("owner"), d["name"]): d for d in data["declarations"]}
    add = by_name[(None, "annotated")]
    assert add["kind"] == "function" and add["returns"] == "int" and add["doc"] == "Written annotations."
    assert [(p["name"], p["annotation"], p.get("default")) for p in add["parameters"]] == [("a", "int", None), ("b", "str", "'x'")]
    assert by_name[("Matrix", "label")] == {"kind": "property", "owner": "Matrix", "name": "label", "parameters": [],
                                            "returns": "str | None", "doc": "An optional name.", "settable": True}
    assert by_name[("Matrix", "MAX_ROWS")]["returns"] == "int"
    assert by_name[(None, "t_class")]["returns"] == "fx_typing.Matrix"


def _write_stub(module: str, out: Path, file) -> Path:
    from swiftbind.stubgen import write_stub
    return write_stub(module, out, sys.executable, Path(file))


def test_stub_matches_the_golden_file(tmp_path):
    """The stub of fx_typing as committed in pytests/golden/; after a change
    that alters it on purpose, copy the new one over (the message says how)."""
    stub = _write_stub("fx_typing", tmp_path / "fx_typing.pyi", fx.__file__).read_text()
    golden = GOLDEN / "fx_typing.pyi"
    assert stub == golden.read_text(), f"stub changed: cp {tmp_path / 'fx_typing.pyi'} {golden}"


@pytest.fixture(scope="module")
def stub_world(tmp_path_factory):
    """Every fixture module and example, built, with its stub: (runtime
    path, stub path, module names)."""
    from swiftbind.builder import build_extension
    root = tmp_path_factory.mktemp("typing")
    stubs, runtime = root / "stubs", root / "runtime"
    modules = []
    for name in fixture_names():
        if name.startswith("fx_"):
            _write_stub(name, stubs / f"{name}.pyi", build_fixtures() / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}")
            modules.append(name)
    for example, module in EXAMPLES.items():
        (path,) = build_extension(REPO / "examples" / example, runtime, quiet=True,
                                  release=example in RELEASE_BUILT)
        source = REPO / "examples" / example / "python"
        if source.is_dir():
            shutil.copytree(source, runtime, dirs_exist_ok=True)
        _write_stub(module, stubs / (module.replace(".", "/") + ".pyi"), path)
        modules.append(module)
    return runtime, stubs, modules


def _env(runtime: Path, stubs: Path) -> dict:
    return dict(os.environ, MYPYPATH=str(stubs),
                PYTHONPATH=os.pathsep.join([str(runtime), str(build_fixtures())]))


def test_stubtest_passes_for_every_fixture_and_example(stub_world, tmp_path):
    runtime, stubs, modules = stub_world
    result = subprocess.run([sys.executable, "-m", "mypy.stubtest", "--mypy-config-file", os.devnull,
                             *modules],
                            capture_output=True, text=True, env=_env(runtime, stubs), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Success: no issues found in {len(modules)} modules" in result.stdout


GOOD = """
    import array
    import asyncio
    import fx_typing
    from fx_typing import Matrix, Mode

    def area(m: Matrix) -> int:
        return m.rows * len(m)

    m: Matrix = fx_typing.t_class(Matrix(2, columns=3)).scaled(2.0)
    m.label = "a"
    label: str | None = m.label
    n: int = fx_typing.t_int(1) + fx_typing.annotated(1, b="y") + area(Matrix.identity(2))
    x: float = fx_typing.t_float(1) + fx_typing.narrowed((1, 2)) + fx_typing.flag(True)
    d: dict[str, float] = fx_typing.t_dict({"a": 1.0})
    o: int | None = fx_typing.t_optional()
    t: tuple[int, str] = fx_typing.t_tuple((1, "a"))
    b: bytes = fx_typing.t_bytes(b"ab") + fx_typing.t_pybytes(3)
    size: int = fx_typing.t_buffer(array.array("f", [1.0, 2.0]))
    mode: Mode = fx_typing.t_enum(Mode.fast)
    job: int = fx_typing.t_job(3).result(timeout=1.0)
    count: int = fx_typing.t_varargs(1, 2, k="v")

    async def main() -> int:
        return await fx_typing.t_async(2)

    r: int = asyncio.run(asyncio.wait_for(main(), 5))
    try:
        fx_typing.t_str("")
    except fx_typing.TypingError as e:  # the exception class is in the stub
        print(e)
    print(n, x, d, o, t, b, size, mode, job, count, r, label, fx_typing.VERSION, fx_typing.Matrix.MAX_ROWS)
"""

BAD = """
    import fx_typing
    fx_typing.t_int("1")
    fx_typing.Matrix(2).label = 3
    s: str = fx_typing.t_float(1.0)
    fx_typing.t_job(1).result().upper()
"""


def _mypy_strict(code: str, runtime: Path, stubs: Path, folder: Path) -> subprocess.CompletedProcess:
    script = folder / "script.py"
    script.write_text(textwrap.dedent(code))
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--config-file", os.devnull,
                           "--cache-dir", str(folder / ".mypy_cache"), str(script)],
                          capture_output=True, text=True, env=_env(runtime, stubs), cwd=folder)


def test_mypy_strict_accepts_correct_calls_and_rejects_wrong_types(stub_world, tmp_path):
    runtime, stubs, _ = stub_world
    good = _mypy_strict(GOOD, runtime, stubs, tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    ran = subprocess.run([sys.executable, str(tmp_path / "script.py")], capture_output=True, text=True,
                         env=_env(runtime, stubs), timeout=60)
    assert ran.returncode == 0, ran.stderr  # the typed script also runs
    bad = _mypy_strict(BAD, runtime, stubs, tmp_path)
    assert bad.returncode == 1
    out = bad.stdout
    assert 'Argument 1 to "t_int" has incompatible type "str"; expected "int"' in out
    assert 'Incompatible types in assignment (expression has type "int", variable has type "str | None")' in out
    assert 'Incompatible types in assignment (expression has type "float", variable has type "str")' in out
    assert '"int" has no attribute "upper"' in out
    assert "Found 4 errors" in out


def test_wheels_carry_stubs_that_mypy_finds_once_installed(stub_world, tmp_path):
    """PEP 561 for real: the wheels of examples/kobj (a top-level module:
    kobj-stubs/) and examples/bf (bf._bf: bf/_bf.pyi + bf/py.typed),
    installed with pip into a virtual environment, are found by mypy and
    stubtest there with no MYPYPATH."""
    from swiftbind.builder import build_wheel
    wheels = [build_wheel(REPO / "examples" / name, tmp_path / "dist") for name in ("kobj", "bf")]
    names = {w.name.split("-")[0]: set(zipfile.ZipFile(w).namelist()) for w in wheels}
    assert {"kobj-stubs/__init__.pyi", "kobj-stubs/py.typed"} <= names["kobj"]
    assert {"bf/_bf.pyi", "bf/py.typed"} <= names["bf"]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", *map(str, wheels)],
                   check=True, capture_output=True)
    script = tmp_path / "use.py"
    script.write_text(textwrap.dedent("""
        import kobj
        import bf._bf
        masked: bytes = kobj.xor_copy(b"mypy", key=3)
        kobj.initialise(key=1, gain=2.0)
        wrong: int = kobj.xor_copy(b"x")
        output: bytes = bf._bf.run("+.", input=b"")
    """))
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    checked = subprocess.run([python, "-m", "mypy", "--strict", "--config-file", os.devnull, "--cache-dir",
                              str(tmp_path / ".cache"), str(script)], capture_output=True, text=True,
                             env=env, cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert checked.stdout.count("error:") == 1, checked.stdout
    assert 'use.py:6: error: Incompatible types in assignment (expression has type "bytes", variable has type "int")' in checked.stdout
    stubtest = subprocess.run([python, "-m", "mypy.stubtest", "--mypy-config-file", os.devnull, "kobj", "bf._bf"],
                              capture_output=True, text=True, env=env, cwd=tmp_path)
    assert stubtest.returncode == 0, stubtest.stdout + stubtest.stderr
    # pyright (as basedpyright, which bundles its Node runtime and runs offline)
    # resolves both layouts from the environment too.
    (tmp_path / "pyrightconfig.json").write_text('{"typeCheckingMode": "standard"}')
    pyright = subprocess.run([sys.executable, "-m", "basedpyright", "--pythonpath", python, str(script)],
                             capture_output=True, text=True, env=env, cwd=tmp_path)
    assert pyright.returncode == 1, pyright.stdout + pyright.stderr
    assert "1 error, 0 warnings" in pyright.stdout, pyright.stdout
    assert 'use.py:6:14 - error: Type "bytes" is not assignable to declared type "int"' in pyright.stdout


def test_stubs_command_writes_the_stub_of_an_in_place_build(stub_world, tmp_path):
    """`swiftbind stubs` for a project built in place: a copy of the hello
    example given the extension stub_world built (develop writing the stub
    itself is in test_build_tool.py)."""
    from swiftbind import cli
    runtime, _, _ = stub_world
    project = tmp_path / "hello"
    shutil.copytree(REPO / "examples" / "hello", project,
                    ignore=shutil.ignore_patterns(".build-swiftbind", "*.so", "*.pyi"))
    assert cli.main(["stubs", str(project)]) == 1  # nothing built yet: says to run develop
    ext = f"hello{sysconfig.get_config_var('EXT_SUFFIX')}"
    shutil.copy(runtime / ext, project / ext)
    assert cli.main(["stubs", str(project)]) == 0
    assert cli.main(["stubs", str(project), "-o", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "hello.pyi").read_text()
    assert text == (project / "hello.pyi").read_text()
    assert "def greet(name: str, greeting: str = 'Hello', *, shout: bool = False) -> str:" in text
    assert '"""Return a greeting."""' in text


def test_readme_quickstart_shows_what_help_prints():
    """README.md's quickstart shows help(hello.add) for the `swiftbind new`
    template, whose add is declared exactly as fx_functions.add: the page
    shows what pydoc prints for that declaration."""
    import pydoc
    from swiftbind.scaffold import project_files
    declaration = 'm.def("add(a, b)", doc: "Add two integers.") { (a: Int, b: Int) in'
    assert declaration in project_files("hello")["Sources/hello/hello.swift"]
    assert declaration in (REPO / "pytests/fixtures/Sources/fx_functions/fx_functions.swift").read_text()
    add = load_fixture("fx_functions").add
    shown = pydoc.plaintext.document(add).replace("fx_functions", "hello")
    text = (REPO / "README.md").read_text().split("## Quickstart: your own module", 1)[1]
    block = text.split(">>> import hello; help(hello.add)\n", 1)[1].split("```", 1)[0]
    expected = "Help on built-in function add in module hello:\n\n" + shown
    assert [line.rstrip() for line in block.splitlines()] == [line.rstrip() for line in expected.splitlines()]


def test_get_type_hints_reads_module_and_class_annotations():
    """Where Python reads __annotations__: the module (constants) and each
    class (properties, class attributes).  Builtin functions have none."""
    import typing
    assert typing.get_type_hints(fx) == {"VERSION": str, "LIMITS": list[int]}
    hints = typing.get_type_hints(fx.Matrix)
    assert set(hints) == {"rows", "label", "MAX_ROWS"}
    assert hints["rows"] is int and hints["MAX_ROWS"] is int
    assert typing.get_args(hints["label"]) == (str, type(None))
    assert typing.get_type_hints(fx.t_int) == {}  # as for every builtin: the types are in the stub
