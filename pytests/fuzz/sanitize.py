"""`make sanitize`: fuzz batches and the core suites under valgrind memcheck.

Python runs with PYTHONMALLOC=malloc so every object allocation goes through
malloc, where memcheck sees it (use-after-free of a Python object freed by a
conversion, reads past a buffer, uninitialised reads).  Errors are split into
those with a frame in a fixture extension (``fx_*.so``: the swiftbind
runtime is linked into each) and the rest; the target fails on any of the
former.  Suppressions: pytests/fuzz/valgrind.supp (each entry explained).

AddressSanitizer was the first choice; see docs/testing.md for why this
target uses valgrind today.

    SANITIZE_BATCHES=2 SANITIZE_COUNT=150 SANITIZE_SUITES=pytests/test_functions.py python3 pytests/fuzz/sanitize.py
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
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


def main() -> int:
    ours, theirs, crashed = [], [], []
    with tempfile.TemporaryDirectory(prefix="swiftbind-vg-") as tmp:
        runs = [["pytests/fuzz/runner.py", "--seed", str(9000 + i), "--count", str(COUNT),
                 "--only", "^fx_(?!jobs|parallel|gil)"] for i in range(BATCHES)]
        runs += [["-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", s] for s in SUITES]
        for i, args in enumerate(runs):
            log_dir = Path(tmp) / str(i)
            log_dir.mkdir()
            print(f"sanitize: valgrind python3 {' '.join(args)}", flush=True)
            proc = valgrind(args, log_dir)
            if proc.returncode != 0:
                crashed.append((args, proc.returncode, proc.stdout[-2000:]))
            for log in sorted(log_dir.glob("vg.*")):
                for head, frames in errors_in(log):
                    mine = any(re.search(r"/fx_\w+\.cpython[^ )]*\.so|SwiftBind|swiftbind", f) for f in frames)
                    (ours if mine else theirs).append((" ".join(args), head, frames[:12]))
    print(f"sanitize: {len(ours)} errors through swiftbind frames, {len(theirs)} elsewhere, "
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
