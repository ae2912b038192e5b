"""Helpers shared by the benchmarks in ``benchmarks/*/bench.py``.

Every benchmark is run as ``python3 benchmarks/run.py NAME``; the driver puts
``benchmarks/`` on ``sys.path``, so a bench does ``import common``.

What is here:

* ``REPO``, ``BENCH_DIR``, ``build_dir(name)`` -- paths (builds go under the
  git-ignored ``benchmarks/_build/NAME/``).
* ``machine_description()`` -- one line naming the CPU model, cores, OS and
  Python, for every table header.
* ``ensure_packages({...})`` -- import a peer's Python package, ``pip install``
  it with the running interpreter when it is missing.
* ``python_ext_info()``, ``compile_native(...)``, ``load_extension(...)`` --
  build a C/C++ extension module (or a plain shared library for ctypes) for
  the running interpreter straight with ``cc``/``c++``, cached by a hash of
  everything that goes into it, and import it from a file.
* ``interleave(...)``, ``median``, ``quantile`` -- measure several peers in
  rounds, shuffling their order each round, so that machine noise (other
  processes on a small shared machine) hits every peer alike.
* ``print_table(...)`` -- a fixed-width table with a ratio-to-baseline column.

Nothing here prints unless asked, raises on a failed build with the
compiler's output in the message (benches report it and go on without the
peer), and nothing depends on anything outside the standard library.
"""
from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import platform
import random
import shlex
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent

# Flags every natively compiled peer gets, so that no peer wins on flags.
# -fvisibility=hidden is what pybind11 and nanobind require/recommend; the
# other peers export their PyInit_ through PyMODINIT_FUNC anyway.
COMMON_CFLAGS = ["-O3", "-DNDEBUG", "-fPIC", "-fvisibility=hidden", "-fno-strict-aliasing"]
CXXFLAGS = ["-std=c++17"]
LDFLAGS = ["-shared"]


class BuildError(RuntimeError):
    """A peer could not be built; the message says why (command and output)."""


# --------------------------------------------------------------------------
# paths and machine
# --------------------------------------------------------------------------

def build_dir(name: str) -> Path:
    """``benchmarks/_build/NAME/``, created."""
    d = BENCH_DIR / "_build" / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def machine_description() -> str:
    """E.g. ``AMD EPYC, 2 cores, Linux 6.1 x86_64, CPython 3.11.7 (gcc 12.2.0)``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    impl = platform.python_implementation()
    return (f"{cpu_model()}, {cores} cores, {platform.system()} {platform.release().split('-')[0]} "
            f"{platform.machine()}, {impl} {platform.python_version()}, cc: {compiler_version('cc')}")


def compiler_version(compiler: str = "cc") -> str:
    try:
        out = subprocess.run([compiler, "--version"], capture_output=True, text=True, timeout=30).stdout
        return out.splitlines()[0].strip() if out else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "not found"


# --------------------------------------------------------------------------
# peers from PyPI
# --------------------------------------------------------------------------

def ensure_packages(packages: Mapping[str, str], quiet: bool = True) -> dict[str, str]:
    """Make ``import NAME`` work for every ``{import_name: pip_name}``.

    Missing ones are installed with ``python -m pip install`` for the running
    interpreter (all in one pip call).  Returns ``{import_name: reason}`` for
    those that still cannot be imported; an empty dict means all is well.
    """
    def importable(mod: str) -> bool:
        importlib.invalidate_caches()
        return importlib.util.find_spec(mod) is not None

    missing = {m: p for m, p in packages.items() if not importable(m)}
    if not missing:
        return {}
    cmd = [sys.executable, "-m", "pip", "install", *sorted(set(missing.values()))]
    print(f"installing missing peers: {' '.join(cmd[4:])}", flush=True)
    try:
        r = subprocess.run(cmd, capture_output=quiet, text=True, timeout=600)
        tail = (r.stdout or "")[-800:] + (r.stderr or "")[-800:]
    except (OSError, subprocess.SubprocessError) as e:
        r, tail = None, str(e)
    failed = {}
    for m, p in missing.items():
        if not importable(m):
            why = f"pip install {p} failed" if r is None or r.returncode else f"{m} not importable after pip install {p}"
            failed[m] = f"{why}: {tail.strip()[-400:]}" if tail.strip() else why
    return failed


# --------------------------------------------------------------------------
# compiling for the running interpreter
# --------------------------------------------------------------------------

def python_ext_info() -> dict:
    """Include dir and extension suffix of the running interpreter."""
    return {
        "include": sysconfig.get_paths()["include"],
        "platinclude": sysconfig.get_paths()["platinclude"],
        "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX") or ".so",
        "version": sys.version,
    }


def hash_inputs(*parts: object, files: Iterable[Path] = ()) -> str:
    """A short sha256 over ``parts`` (reprs) and the contents of ``files``."""
    h = hashlib.sha256()
    for p in parts:
        h.update(repr(p).encode())
        h.update(b"\0")
    for f in sorted({Path(f) for f in files}):
        h.update(str(f).encode())
        h.update(b"\0")
        h.update(Path(f).read_bytes())
    return h.hexdigest()[:16]


def compile_native(name: str, sources: Sequence[Path | str], out_dir: Path, *,
                   cxx: bool = False, python: bool = True,
                   include_dirs: Sequence[Path | str] = (), defines: Sequence[str] = (),
                   extra_flags: Sequence[str] = (), deps: Iterable[Path] = (),
                   cache_key: object = None) -> Path:
    """Compile ``sources`` into one shared object and return its path.

    ``python=True`` builds an extension module ``NAME<EXT_SUFFIX>`` against the
    running interpreter's headers (without linking libpython, like pip does on
    Linux); ``python=False`` builds a plain ``libNAME.so`` (for ctypes).  Every
    build gets ``COMMON_CFLAGS`` (+ ``CXXFLAGS`` when ``cxx``).

    The result is cached in ``out_dir/NAME-<hash>/``; the hash covers the
    command line, the compiler's version, the interpreter, the sources,
    ``deps`` (headers and the like) and ``cache_key`` (e.g. package versions),
    so a second run with nothing changed does no work.  Raises ``BuildError``.
    """
    info = python_ext_info()
    compiler = os.environ.get("CXX" if cxx else "CC", "c++" if cxx else "cc")
    flags = [*COMMON_CFLAGS, *(CXXFLAGS if cxx else [])]
    incs = [*(include_dirs), *([info["include"], info["platinclude"]] if python else [])]
    inc_flags = []
    for d in incs:
        if f"-I{d}" not in inc_flags:
            inc_flags.append(f"-I{d}")
    filename = f"{name}{info['ext_suffix']}" if python else f"lib{name}.so"
    srcs = [str(s) for s in sources]
    cmd_tail = [*flags, *[f"-D{d}" for d in defines], *inc_flags, *extra_flags, *srcs, *LDFLAGS]
    key = hash_inputs(compiler, compiler_version(compiler), cmd_tail, info, cache_key,
                      files=[*map(Path, srcs), *deps])
    target_dir = out_dir / f"{name}-{key}"
    target = target_dir / filename
    if target.exists():
        return target
    if shutil.which(compiler) is None:
        raise BuildError(f"compiler {compiler!r} not found")
    tmp = target_dir.with_name(target_dir.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    cmd = [compiler, *cmd_tail, "-o", str(tmp / filename)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"{shlex.join(cmd)}: {e}") from None
    if r.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        out = (r.stdout + r.stderr).strip()
        raise BuildError(f"{compiler} failed (exit {r.returncode}): {first_error(out)}\n"
                         f"command: {shlex.join(cmd)}\n{out[-3000:]}")
    shutil.rmtree(target_dir, ignore_errors=True)
    tmp.rename(target_dir)
    return target


def first_error(output: str) -> str:
    """The first line of compiler/build output that reports an error (else
    its last line), for one-line failure reasons."""
    lines = [ln.strip() for ln in output.strip().splitlines() if ln.strip()]
    for ln in lines:
        if "error:" in ln or "Error:" in ln or "error " in ln.lower()[:12]:
            return ln[:300]
    return lines[-1][:300] if lines else "no output"


def load_extension(module_name: str, path: Path):
    """Import the extension module at ``path`` as ``module_name``
    (which must match its ``PyInit_`` suffix)."""
    loader = importlib.machinery.ExtensionFileLoader(module_name, str(path))
    spec = importlib.util.spec_from_file_location(module_name, str(path), loader=loader)
    if spec is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    sys.modules[module_name] = module
    return module


# PyO3 peers: Debian's crates (librust-pyo3-dev), for an offline cargo whose
# crates.io source is replaced by the registry folder Debian installs into.
DEBIAN_REGISTRY = Path("/usr/share/cargo/registry")
PYO3_VERSION = "0.17.3"
CARGO_CONFIG = f"""\
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "{DEBIAN_REGISTRY}"

[net]
offline = true
"""


def build_pyo3_extension(name: str, src: Path, out: Path):
    """The cargo crate ``src`` (a PyO3 ``cdylib`` named ``name``) built with
    cargo --release against Debian's crates, offline, in a copy under ``out``
    (so Cargo.lock and target/ stay out of the tree); cached on the sources,
    PyO3's version and the interpreter.  Returns the imported module."""
    if not (DEBIAN_REGISTRY / f"pyo3-{PYO3_VERSION}").is_dir():
        raise BuildError(f"PyO3 {PYO3_VERSION} is not in {DEBIAN_REGISTRY}: "
                         "apt-get install -y librust-pyo3-dev cargo")
    cargo = shutil.which("cargo")
    if cargo is None:
        raise BuildError("cargo not found: apt-get install -y cargo")
    files = [p for p in src.rglob("*") if p.is_file()]
    key = hash_inputs("pyo3", PYO3_VERSION, sys.version, files=files)
    root = out / f"{name}-{key}"
    so = root / f"{name}{python_ext_info()['ext_suffix']}"
    if not so.exists():
        for p in files:
            dest = root / p.relative_to(src)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(p.read_bytes())
        (root / ".cargo").mkdir(exist_ok=True)
        (root / ".cargo" / "config.toml").write_text(CARGO_CONFIG)
        env = dict(os.environ, PYO3_PYTHON=sys.executable)
        cmd = [cargo, "build", "--release", "--target-dir", str(root / "target")]
        r = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            raise BuildError(f"{shlex.join(cmd)} failed:\n{(r.stdout + r.stderr)[-2000:]}")
        (root / "target" / "release" / f"lib{name}.so").replace(so)
    return load_extension(name, so)


# --------------------------------------------------------------------------
# instruction counts (callgrind)
# --------------------------------------------------------------------------

CALLGRIND_N = (2_000, 12_000)
_CALLGRIND_CHILD = """\
import importlib.machinery, importlib.util, itertools, sys
name, path, attr, bind, setup, stmt, n = sys.argv[1:8]
loader = importlib.machinery.ExtensionFileLoader(name, path)
module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path, loader=loader))
loader.exec_module(module)
ns = {"repeat": itertools.repeat}
exec(f"def loop({bind}, n, repeat=repeat):\\n    {setup or 'pass'}\\n    for _ in repeat(None, n):\\n        {stmt}\\n", ns)
target = getattr(module, attr)
ns["loop"](target, 200)   # warm: the interpreter specialises the call sites
ns["loop"](target, int(n))
"""


@dataclass(frozen=True)
class CallgrindLoop:
    """``for _ in repeat(None, n): stmt`` inside ``def loop(bind, n)`` after
    ``setup``, with ``bind`` = ``getattr(module, attr)``; ``per`` operations
    per statement."""
    module: object
    attr: str
    bind: str
    setup: str
    stmt: str
    per: int = 1


def _callgrind_total(args: list[str]) -> int:
    exe = os.path.realpath(sys.executable)   # valgrind needs the binary, not a shim
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        exe, "-S", "-c", _CALLGRIND_CHILD, *args],
                       capture_output=True, text=True, timeout=600)
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    raise BuildError(f"callgrind gave no count (exit {r.returncode}): {r.stderr[-300:]}")


def callgrind_counts(loops: Mapping[object, CallgrindLoop]) -> dict | None:
    """Instructions per operation for each loop, loop cost included: every
    loop runs in a child under callgrind at two lengths (CALLGRIND_N), two
    children at a time, and the difference is divided by the extra
    operations.  Deterministic, whatever the load.  None without valgrind."""
    from concurrent.futures import ThreadPoolExecutor
    if shutil.which("valgrind") is None:
        print("\ninstruction counts skipped: valgrind not found (apt-get install -y valgrind)")
        return None
    print(f"\ncounting instructions with callgrind ({len(loops)} loops, 2 runs each, two at a time) ...",
          flush=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {(key, n): pool.submit(_callgrind_total, [
            loop.module.__name__, loop.module.__file__, loop.attr, loop.bind, loop.setup, loop.stmt, str(n)])
            for key, loop in loops.items() for n in CALLGRIND_N}
        counts = {}
        for key, loop in loops.items():
            try:
                lo, hi = (futures[(key, n)].result() for n in CALLGRIND_N)
            except (BuildError, subprocess.SubprocessError) as e:
                print(f"  {key}: {str(e).splitlines()[0]}", flush=True)
                continue
            counts[key] = (hi - lo) / (CALLGRIND_N[1] - CALLGRIND_N[0]) / loop.per
    return counts


def print_instruction_table(title: str, counts: Mapping[tuple[str, str], float],
                            peers: Sequence[str], cases: Sequence[str], baseline: str = "c") -> None:
    """Peers as rows, cases as columns, each count with its ratio to ``baseline``."""
    rows = []
    for p in peers:
        cells = [p]
        for case in cases:
            v, base = counts.get((case, p)), counts.get((case, baseline))
            cells.append(f"{v:.0f} ({v / base:.2f}x)" if v is not None and base else "-")
        rows.append(cells)
    print(f"\n{title} (callgrind, loop included; CPython {sys.version.split()[0]}), ratio to {baseline}:\n")
    print(markdown_table(["peer", *cases], rows))


# --------------------------------------------------------------------------
# statistics and interleaved timing
# --------------------------------------------------------------------------

def quantile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile, ``q`` in [0, 1]."""
    xs = sorted(values)
    if not xs:
        raise ValueError("quantile of nothing")
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return quantile(values, 0.5)


def spread(values: Sequence[float]) -> float:
    """Half the interquartile range relative to the median (0.03 = +-3%)."""
    m = median(values)
    return (quantile(values, 0.75) - quantile(values, 0.25)) / 2 / m if m else 0.0


def progress(benchmark: str, peer: str, what: str) -> None:
    """One progress line: which benchmark, which peer, how far."""
    print(f"  [{benchmark}] {peer}: {what}", flush=True)


def interleave(measures: Mapping[str, Callable[[], float]], rounds: int,
               seed: int | None = 0, between: Callable[[int], None] | None = None) -> dict[str, list[float]]:
    """Call every ``measures[peer]()`` once per round, in a fresh random order
    each round; return ``{peer: [one value per round]}``.

    Keep each measurement short (tens of milliseconds) and use many rounds:
    a burst of load from another process then spoils one sample of every
    peer rather than all samples of one peer.  ``between(round)`` is called
    after each round (e.g. for progress dots).
    """
    rng = random.Random(seed)
    peers = list(measures)
    out: dict[str, list[float]] = {p: [] for p in peers}
    for r in range(rounds):
        rng.shuffle(peers)
        for p in peers:
            out[p].append(measures[p]())
        if between:
            between(r)
    return out


def calibrate(run: Callable[[int], float], target_s: float = 0.02, start: int = 1000,
              limit: int = 1 << 30) -> int:
    """Find a loop count ``n`` for which ``run(n)`` (returning seconds) takes
    about ``target_s``."""
    n = start
    while True:
        t = run(n)
        if t >= target_s / 4 or n >= limit:
            break
        n *= 4
    if t <= 0:
        return n
    return max(1, min(limit, int(n * target_s / t)))


def perf_ns() -> int:
    return time.perf_counter_ns()


# --------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------

def fmt_value(v: float) -> str:
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def print_table(title: str, rows: Sequence[Mapping], baseline: str | None = None,
                unit: str = "ns", value_key: str = "value", note_key: str = "note",
                spread_key: str | None = "spread", file=None) -> None:
    """Print ``rows`` (mappings with ``peer``, ``value`` and optionally
    ``spread`` -- a fraction -- and ``note``) as a table, with a
    ``x <baseline>`` column giving value / value of the baseline peer."""
    file = file or sys.stdout
    base = next((r[value_key] for r in rows if r["peer"] == baseline), None)
    has_spread = spread_key is not None and any(spread_key in r for r in rows)
    has_note = any(r.get(note_key) for r in rows)
    header = [f"{'peer':<11}", f"{unit + '/call':>10}"]
    if has_spread:
        header.append(f"{'+-':>6}")
    if base:
        header.append(f"{'x ' + baseline:>8}")
    if has_note:
        header.append("  note")
    print(title, file=file)
    line = " ".join(header)
    print(line, file=file)
    print("-" * max(len(line), 40), file=file)
    for r in rows:
        cells = [f"{r['peer']:<11}", f"{fmt_value(r[value_key]):>10}"]
        if has_spread:
            s = r.get(spread_key)
            cells.append(f"{s * 100:>5.1f}%" if s is not None else f"{'':>6}")
        if base:
            cells.append(f"{r[value_key] / base:>7.2f}x")
        if has_note:
            cells.append("  " + (r.get(note_key) or ""))
        print(" ".join(cells).rstrip(), file=file)
    print(file=file)


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub markdown table (for pasting into README files)."""
    out = ["| " + " | ".join(columns) + " |",
           "|" + "|".join("---" if i == 0 else "---:" for i in range(len(columns))) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)
