"""`make sanitize`: fuzz batches and the core suites under AddressSanitizer
(default; SANITIZER=valgrind for memcheck instead).

ASan: every fixture is rebuilt with `-sanitize=address` into
pytests/_build/asan-<tag>/ and the toolchain's ASan runtime is preloaded into
an ordinary python (CPython itself is not instrumented, but with
PYTHONMALLOC=malloc every object comes from ASan's malloc, so a Python object
freed during a conversion and then read by Swift is reported).

valgrind:

Python runs with PYTHONMALLOC=malloc so every object allocation goes through
malloc, where memcheck sees it (use-after-free of a Python object freed by a
conversion, reads past a buffer, uninitialised reads).  Errors are split into
those with a frame in a fixture extension (``fx_*.so``: the swiftbind
runtime is linked into each) and the rest; the target fails on any of the
former.  Suppressions: pytests/fuzz/valgrind.supp (each entry explained).

    SANITIZE_BATCHES=2 SANITIZE_COUNT=150 SANITIZE_SUITES=pytests/test_functions.py python3 pytests/fuzz/sanitize.py
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SUPP = HERE / "valgrind.supp"
SUITES = os.environ.get("SANITIZE_SUITES", "pytests/test_functions.py pytests/test_conversions.py "
                        "pytests/test_buffers.py pytests/test_classes.py").split()
# memcheck runs python ~50x slower: one batch of 150 cases takes ~10 minutes
BATCHES = int(os.environ.get("SANITIZE_BATCHES", 2))
COUNT = int(os.environ.get("SANITIZE_COUNT", 150))

_HEADLINE = re.compile(r"^==\d+== (\S.*)$")
_ERROR = re.compile(r"(Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and dest|"
                    r"Argument|Jump to|Process terminating)")
_FRAME = re.compile(r"^==\d+==    (at|by) 0x[0-9A-F]+: (.*)$")


def asan_dir() -> Path:
    tag = sysconfig.get_config_var("EXT_SUFFIX").split(".")[1]
    return REPO / "pytests" / "_build" / f"asan-{tag}"


def asan_runtime() -> str:
    """The ASan runtime of the Swift toolchain, preloaded into python."""
    swiftc = Path(shutil.which("swiftc")).resolve()
    found = sorted((swiftc.parent.parent / "lib").glob("swift/clang/lib/linux/libclang_rt.asan-x86_64.so"))
    if not found:
        raise SystemExit("sanitize: no libclang_rt.asan-x86_64.so next to swiftc")
    return str(found[0])


def build_asan() -> Path:
    """Every fixture built with -sanitize=address (its own scratch folder) into
    pytests/_build/asan-<tag>/.  swiftbind.builder takes no extra compiler
    flags, so this calls `swift build` as it does, plus the sanitizer."""
    sys.path.insert(0, str(REPO / "pytests"))
    from conftest import fixture_names  # noqa: E402
    out = asan_dir()
    out.mkdir(parents=True, exist_ok=True)
    scratch = REPO / "pytests" / "_build" / "asan-scratch"
    names = fixture_names()
    env = dict(os.environ, SWIFTBIND_RUNTIME=str(REPO), SWIFTBIND_FIXTURES=",".join(names))
    include = sysconfig.get_paths()["include"]
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for name in names:
        cmd = ["swift", "build", "-c", "release", "--product", name, "--scratch-path", str(scratch),
               "--manifest-cache", "local", "-Xswiftc", "-static-stdlib", "-Xswiftc", "-sanitize=address",
               "-Xcc", f"-I{include}"]
        print(f"sanitize: building {name} with -sanitize=address", flush=True)
        subprocess.run(cmd, cwd=REPO / "pytests" / "fixtures", env=env, check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copy2(scratch / "release" / f"lib{name}.so", out / f"{name}{suffix}")
    return out


def asan_run(args, log_dir: Path, timeout=1800):
    env = dict(os.environ, PYTHONMALLOC="malloc", LD_PRELOAD=asan_runtime(), SWIFTBIND_FUZZ_BUILD=str(asan_dir()),
               ASAN_OPTIONS=f"detect_leaks=0:log_path={log_dir}/asan:handle_segv=1:allow_user_segv_handler=1")
    if args[:2] == ["-m", "pytest"]:
        args = ["-m", "pytest", "-p", "fuzz.asan_plugin", *args[2:]]
        env["PYTHONPATH"] = str(REPO / "pytests")
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, timeout=timeout, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace")


def asan_reports(log_dir: Path):
    """[(headline, frames)] of every ASan report in log_dir."""
    out = []
    for log in sorted(log_dir.glob("asan*")):
        head, frames = None, []
        for line in log.read_text(errors="replace").splitlines():
            m = re.search(r"ERROR: AddressSanitizer: (.*)", line)
            if m:
                head, frames = m.group(1), []
                out.append((head, frames))
            elif head and re.match(r"\s+#\d+ ", line):
                frames.append(line.strip())
    return out


def valgrind(args, log_dir: Path, timeout=1800):
    cmd = ["valgrind", "--tool=memcheck", "--leak-check=no", "--num-callers=40", "--error-limit=no",
           f"--suppressions={SUPP}", f"--log-file={log_dir}/vg.%p", sys.executable, *args]
    env = dict(os.environ, PYTHONMALLOC="malloc")
    return subprocess.run(cmd, cwd=REPO, env=env, timeout=timeout, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace")


def errors_in(log: Path):
    """[(headline, frames)] of every error reported in one valgrind log."""
    out, current = [], None
    for line in log.read_text(errors="replace").splitlines():
        frame = _FRAME.match(line)
        if frame and current is not None:
            current[1].append(frame.group(2))
            continue
        head = _HEADLINE.match(line)
        if head and _ERROR.match(head.group(1)):
            current = (head.group(1), [])
            out.append(current)
        elif not frame:
            current = None
    return out


def _ours(frames) -> bool:
    return any(re.search(r"/fx_\w+\.cpython[^ )]*\.so|SwiftBind|swiftbind|/Sources/SwiftBind/|fx_\w+\.swift", f)
               for f in frames)


def main() -> int:
    tool = os.environ.get("SANITIZER", "asan")
    ours, theirs, crashed = [], [], []
    if tool == "asan":
        build_asan()
        batches, count, only = int(os.environ.get("SANITIZE_BATCHES", 4)), int(os.environ.get("SANITIZE_COUNT", 1500)), "."
    else:
        batches, count, only = BATCHES, COUNT, "^fx_(?!jobs|parallel|gil)"
    with tempfile.TemporaryDirectory(prefix=f"swiftbind-{tool}-") as tmp:
        runs = [["pytests/fuzz/runner.py", "--seed", str(9000 + i), "--count", str(count), "--only", only]
                for i in range(batches)]
        # RSS bounds measure ASan's quarantine of freed memory (hundreds of
        # MB by design), not a leak of ours: those tests run in `make test`.
        skip = ["-k", "not leak and not memory_bounded"] if tool == "asan" else []
        runs += [["-m", "pytest", "-q", "-p", "no:cacheprovider", *skip, s] for s in SUITES]
        for i, args in enumerate(runs):
            log_dir = Path(tmp) / str(i)
            log_dir.mkdir()
            print(f"sanitize: {tool} python3 {' '.join(args)}", flush=True)
            proc = (asan_run if tool == "asan" else valgrind)(args, log_dir)
            if proc.returncode != 0:
                crashed.append((args, proc.returncode, proc.stdout[-1500:]))
            reports = asan_reports(log_dir) if tool == "asan" else [
                e for log in sorted(log_dir.glob("vg.*")) for e in errors_in(log)]
            for head, frames in reports:
                (ours if _ours(frames) else theirs).append((" ".join(args), head, frames[:14]))
    print(f"sanitize ({tool}): {len(ours)} errors through swiftbind frames, {len(theirs)} elsewhere, "
          f"{len(crashed)} runs failed")
    for where, head, frames in ours[:20]:
        print(f"  SWIFTBIND {head}   [{where}]")
        for f in frames:
            print(f"      {f}")
    for where, head, frames in theirs[:5]:
        print(f"  other: {head}   [{where}]\n      " + "\n      ".join(frames[:4]))
    for args, rc, tail in crashed:
        print(f"  run failed (rc {rc}): {' '.join(args)}\n" + tail)
    return 1 if ours or crashed else 0


if __name__ == "__main__":
    sys.exit(main())
