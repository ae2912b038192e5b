"""Building a module: swiftbind against nanobind (scikit-build-core) and PyO3 (maturin).

``python3 benchmarks/run.py build [options]``

The same two functions as the ``swiftbind new`` template,

    greet(name, greeting='Hello') -> str     "<greeting>, <name>!"
    add(a, b) -> int                          a + b, OverflowError past 64 bits

written as a swiftbind project (the template itself), a nanobind project
built by scikit-build-core, and a PyO3 project built by maturin, each in a
fresh folder under ``benchmarks/_build/build/``, each built into a wheel by
its own front end:

    swiftbind   python -m swiftbind build --out dist         (release, stripped)
    nanobind    python -m build --wheel --no-isolation       (scikit-build-core, Release, build-dir kept)
    pyo3        maturin build --release --strip --out dist   (cargo, offline: Debian's PyO3 0.17.3)

Cases:

    cold_build        s: a first build, nothing cached (each tool's runtime and
                      dependencies compiled: SwiftBind + its generated code,
                      libnanobind, the pyo3 crates)
    warm_rebuild      s: after a one-line change (the docstring of greet),
                      median of --reps; the new docstring is checked to be in
                      the rebuilt extension
    noop_rebuild      s: nothing changed, median of --reps
    extension_size    bytes: the extension module in the wheel
    wheel_size        bytes
    exported_symbols  count: defined global dynamic symbols (nm -D --defined-only)

Peers: ``swiftbind``, ``swiftbind-abi3`` (the template with abi3 turned on;
built only where ``[tool.swiftbind]`` has an ``abi3`` key), ``nanobind``,
``pyo3``.  The ratio column is value / swiftbind's.  Timings are wall-clock on
a shared machine: other processes slow every peer alike only on average.

Options:
  --reps N          warm and no-op rebuilds per peer (default 3)
  --peers a,b,...   only these peers
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
NAME = "build"
PEER_ORDER = ["swiftbind", "swiftbind-abi3", "nanobind", "pyo3"]
CASES = [("cold_build", "s"), ("warm_rebuild", "s"), ("noop_rebuild", "s"),
         ("extension_size", "bytes"), ("wheel_size", "bytes"), ("exported_symbols", "count")]
PIP_PEERS = {"nanobind": "nanobind", "scikit_build_core": "scikit-build-core", "build": "build",
             "maturin": "maturin", "cmake": "cmake", "ninja": "ninja"}

# The [tool.swiftbind] line of the abi3 peer (the calls benchmark's floor too).
# The peer is built only where settings.FIELDS has the key (see abi3_available).
ABI3_SETTING = 'abi3 = "3.10"'


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def abi3_available() -> bool:
    sys.path.insert(0, str(common.REPO / "python"))
    from swiftbind import settings

    return any(f.key == "abi3" for f in settings.FIELDS)


class Peer:
    """One project: write it, build it, edit it."""

    name = ""
    #: The file and line the warm rebuild edits (``{n}`` is the edit number).
    source = ""
    doc_line = ""

    def __init__(self, root: Path):
        self.root = root
        self.edits = 0

    def write(self) -> None:
        raise NotImplementedError

    def command(self) -> tuple:
        raise NotImplementedError

    def env(self) -> dict:
        return dict(os.environ)

    def wheel(self) -> Path:
        [wheel] = sorted((self.root / "dist").glob("*.whl"))
        return wheel

    def build(self) -> float:
        shutil.rmtree(self.root / "dist", ignore_errors=True)
        start = time.perf_counter()
        r = subprocess.run(self.command(), cwd=self.root, env=self.env(), capture_output=True,
                           text=True, timeout=1800)
        took = time.perf_counter() - start
        if r.returncode != 0:
            out = (r.stdout + r.stderr).strip()
            raise common.BuildError(f"{self.name}: {' '.join(map(str, self.command()))} failed: "
                                    f"{common.first_error(out)}\n{out[-2000:]}")
        return took

    def edit(self) -> str:
        """Change the one line; return the new docstring text."""
        self.edits += 1
        path = self.root / self.source
        text = path.read_text()
        old = self.doc_line.format(n=f" (edit {self.edits - 1})" if self.edits > 1 else "")
        new_doc = f"Return a greeting (edit {self.edits})."
        assert old in text, (path, old)
        path.write_text(text.replace(old, self.doc_line.format(n=f" (edit {self.edits})")))
        return new_doc


class SwiftBind(Peer):
    name = "swiftbind"
    source = "Sources/hello/hello.swift"
    doc_line = 'doc: "Return a greeting{n}."'
    tool_lines = ""

    def write(self) -> None:
        sys.path.insert(0, str(common.REPO / "python"))
        from swiftbind import scaffold

        for rel, text in scaffold.project_files("hello").items():
            if rel == "pyproject.toml" and self.tool_lines:
                text += self.tool_lines + "\n"
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def command(self) -> tuple:
        return (sys.executable, "-m", "swiftbind", "build", "-q", "--out", "dist")

    def env(self) -> dict:
        return dict(os.environ, PYTHONPATH=str(common.REPO / "python"))


class SwiftBindAbi3(SwiftBind):
    name = "swiftbind-abi3"
    tool_lines = ABI3_SETTING


NB_CPP = """\
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <string>
namespace nb = nanobind;

NB_MODULE(hello, m) {
    m.doc() = "A C++ extension module.";
    m.def("greet", [](const std::string &name, const std::string &greeting) {
        return greeting + ", " + name + "!";
    }, nb::arg("name"), nb::arg("greeting") = "Hello",
    "Return a greeting{n}.");
    m.def("add", [](int64_t a, int64_t b) {
        int64_t r;
        if (__builtin_add_overflow(a, b, &r)) throw std::overflow_error("result does not fit in Int");
        return r;
    }, nb::arg("a"), nb::arg("b"), "Add two integers.");
}
"""

NB_CMAKE = """\
cmake_minimum_required(VERSION 3.15...3.27)
project(hello LANGUAGES CXX)
find_package(Python 3.8 COMPONENTS Interpreter Development.Module REQUIRED)
find_package(nanobind CONFIG REQUIRED)
nanobind_add_module(hello hello.cpp)
install(TARGETS hello LIBRARY DESTINATION .)
"""

NB_PYPROJECT = """\
[build-system]
requires = ["scikit-build-core", "nanobind"]
build-backend = "scikit_build_core.build"

[project]
name = "hello"
version = "0.1.0"
requires-python = ">=3.9"

[tool.scikit-build]
build-dir = "build/{wheel_tag}"
"""


class Nanobind(Peer):
    name = "nanobind"
    source = "hello.cpp"
    doc_line = '"Return a greeting{n}."'

    def write(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "hello.cpp").write_text(NB_CPP.replace("{n}", ""))
        (self.root / "CMakeLists.txt").write_text(NB_CMAKE)
        (self.root / "pyproject.toml").write_text(NB_PYPROJECT)

    def command(self) -> tuple:
        return (sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", "dist")


PYO3_RS = r"""
use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;

/// Return a greeting{n}.
#[pyfunction(greeting = "\"Hello\"")]
fn greet(name: &str, greeting: &str) -> String {
    format!("{}, {}!", greeting, name)
}

/// Add two integers.
#[pyfunction]
fn add(a: i64, b: i64) -> PyResult<i64> {
    a.checked_add(b).ok_or_else(|| PyOverflowError::new_err("result does not fit in Int"))
}

#[pymodule]
fn hello(_py: Python<'_>, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)?;
    m.add_function(wrap_pyfunction!(add, m)?)?;
    Ok(())
}
"""

PYO3_CARGO = """\
[package]
name = "hello"
version = "0.1.0"
edition = "2021"

[lib]
name = "hello"
crate-type = ["cdylib"]

[dependencies]
pyo3 = { version = "0.17", features = ["extension-module"] }
"""

PYO3_PYPROJECT = """\
[build-system]
requires = ["maturin>=1,<2"]
build-backend = "maturin"

[project]
name = "hello"
version = "0.1.0"
requires-python = ">=3.9"
"""



class PyO3(Peer):
    name = "pyo3"
    source = "src/lib.rs"
    doc_line = "/// Return a greeting{n}."

    def write(self) -> None:
        (self.root / "src").mkdir(parents=True, exist_ok=True)
        (self.root / ".cargo").mkdir(exist_ok=True)
        (self.root / "src" / "lib.rs").write_text(PYO3_RS.replace("{n}", ""))
        (self.root / "Cargo.toml").write_text(PYO3_CARGO)
        (self.root / "pyproject.toml").write_text(PYO3_PYPROJECT)
        (self.root / ".cargo" / "config.toml").write_text(common.CARGO_CONFIG)

    def command(self) -> tuple:
        return ("maturin", "build", "--release", "--strip", "--interpreter", sys.executable,
                "--out", "dist")

    def env(self) -> dict:
        bin_dir = str(Path(sys.executable).parent)
        return dict(os.environ, PATH=f"{bin_dir}:{os.environ.get('PATH', '')}")


PEERS = {p.name: p for p in (SwiftBind, SwiftBindAbi3, Nanobind, PyO3)}


def extension_of(wheel: Path, out: Path) -> Path:
    with zipfile.ZipFile(wheel) as zf:
        [name] = [n for n in zf.namelist() if n.endswith(".so")]
        zf.extract(name, out)
    return out / name


def exported(so: Path) -> list:
    out = subprocess.run(["nm", "-D", "--defined-only", str(so)], capture_output=True, text=True,
                         check=True).stdout
    return [ln.split()[-1] for ln in out.splitlines() if len(ln.split()) >= 3 and ln.split()[1].isupper()]


def check_imports(so: Path, doc: str) -> None:
    code = ("import importlib.machinery as m, importlib.util as u, sys\n"
            f"l = m.ExtensionFileLoader('hello', {str(so)!r}); s = u.spec_from_file_location('hello', {str(so)!r}, loader=l)\n"
            "h = u.module_from_spec(s); l.exec_module(h)\n"
            "assert h.greet('w') == 'Hello, w!' and h.add(2, 3) == 5, (h.greet('w'), h.add(2, 3))\n"
            "try:\n    h.add(2**62, 2**62)\nexcept OverflowError:\n    pass\nelse:\n    raise SystemExit('no OverflowError')\n"
            "print(h.greet.__doc__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode != 0 or doc not in out.stdout:
        raise common.BuildError(f"{so.name}: the built module does not behave ({doc!r} expected):\n"
                                f"{out.stdout}{out.stderr}")


def measure(peer: Peer, reps: int) -> dict:
    shutil.rmtree(peer.root, ignore_errors=True)
    peer.write()
    log(f"[{peer.name}] cold build ...")
    values = {"cold_build": peer.build()}
    wheel = peer.wheel()
    so = extension_of(wheel, peer.root / "_unpacked")
    check_imports(so, "Return a greeting.")
    values.update(extension_size=so.stat().st_size, wheel_size=wheel.stat().st_size,
                  exported_symbols=len(exported(so)))
    warm, noop = [], []
    for _ in range(reps):
        doc = peer.edit()
        warm.append(peer.build())
        so = extension_of(peer.wheel(), peer.root / f"_unpacked{peer.edits}")
        check_imports(so, doc)
        noop.append(peer.build())
    values.update(warm_rebuild=statistics.median(warm), noop_rebuild=statistics.median(noop))
    log(f"[{peer.name}] cold {values['cold_build']:.1f} s, warm {values['warm_rebuild']:.1f} s "
        f"(runs {', '.join(f'{w:.1f}' for w in warm)}), no-op {values['noop_rebuild']:.2f} s, "
        f"extension {values['extension_size']:,} B, wheel {values['wheel_size']:,} B, "
        f"{values['exported_symbols']} exported ({', '.join(exported(so))})")
    return values


def tool_versions() -> str:
    def version(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "missing"
    from importlib import metadata

    pkgs = []
    for dist in ("nanobind", "scikit-build-core", "maturin"):
        try:
            pkgs.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pkgs.append(f"{dist} missing")
    swift = version(["swift", "--version"])
    return f"{swift}; {version(['cargo', '--version'])}; PyO3 0.17.3 (Debian); {', '.join(pkgs)}"


def fmt(case: str, value: float) -> str:
    if case.endswith("_size"):
        return f"{value / 1e6:.2f} MB"
    if case == "exported_symbols":
        return f"{value:.0f}"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def print_results(results: dict, skipped: dict) -> None:
    peers = [p for p in PEER_ORDER if p in results]
    base = results.get("swiftbind")
    width = 19
    print(f"{'case':<17}" + "".join(f"{p:>{width}}" for p in peers))
    print("-" * (17 + width * len(peers)))
    for case, _unit in CASES:
        cells = []
        for p in peers:
            v = results[p][case]
            ratio = f" ({v / base[case]:.2f}x)" if base and base[case] else ""
            cells.append(f"{fmt(case, v) + ratio:>{width}}")
        print(f"{case:<17}" + "".join(cells))
    for p, why in skipped.items():
        print(f"{p}: not measured: {why}")
    print("(ratio: value / swiftbind's; times are wall-clock seconds, sizes in MB = 10^6 bytes)")


def main(argv: list) -> list:
    ap = argparse.ArgumentParser(prog="run.py build")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--peers", default=",".join(PEER_ORDER))
    args = ap.parse_args(argv)
    wanted = [p for p in args.peers.split(",") if p]
    for p in wanted:
        if p not in PEERS:
            raise SystemExit(f"unknown peer {p!r}; choose from {', '.join(PEER_ORDER)}")
    print(f"build: {common.machine_description()}")
    print(f"tools: {tool_versions()}")
    skipped = {}
    missing = common.ensure_packages(PIP_PEERS)
    if missing:
        for p in ("nanobind", "pyo3"):
            skipped[p] = "; ".join(missing.values())
    if "swiftbind-abi3" in wanted and not abi3_available():
        skipped["swiftbind-abi3"] = "this checkout has no [tool.swiftbind] abi3 option yet"
    if "pyo3" in wanted and not (common.DEBIAN_REGISTRY / f"pyo3-{common.PYO3_VERSION}").is_dir():
        skipped["pyo3"] = ("PyO3 0.17.3 is not in /usr/share/cargo/registry: "
                           "apt-get install -y librust-pyo3-dev cargo")
    if "pyo3" in wanted and shutil.which("cargo") is None:
        skipped["pyo3"] = "cargo not found: apt-get install -y cargo"
    root = common.build_dir(NAME)
    results, records = {}, []
    for name in [p for p in PEER_ORDER if p in wanted and p not in skipped]:
        try:
            results[name] = measure(PEERS[name](root / name), args.reps)
        except (common.BuildError, subprocess.SubprocessError, OSError) as e:
            skipped[name] = str(e).splitlines()[0]
            log(f"[{name}] left out: {e}")
            continue
        for case, unit in CASES:
            records.append({"case": case, "peer": name, "value": results[name][case], "unit": unit})
    print()
    print_results(results, skipped)
    return records
