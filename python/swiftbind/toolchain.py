"""The Swift toolchain: finding ``swift``, running ``swift build``, stripping.

The build flags live here and nowhere else (see docs/dev/conventions.md):
``-c release --product P --scratch-path S -Xswiftc -static-stdlib -Xcc -I<include>``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from .errors import CompileError, ToolchainError

_FALLBACK = "/opt/swift/usr/bin/swift"


def find_swift() -> str:
    """Return the swift driver: ``$SWIFT``, else ``swift`` on PATH, else /opt/swift."""
    explicit = os.environ.get("SWIFT")
    if explicit:
        path = shutil.which(explicit)
        if path is None:
            raise ToolchainError(
                f"SWIFT={explicit} is not an executable; install Swift 6.x from swift.org and "
                "set SWIFT=/path/to/swift (e.g. /opt/swift/usr/bin/swift), or unset SWIFT to "
                "use the swift on PATH")
        return path
    path = shutil.which("swift")
    if path is None and os.access(_FALLBACK, os.X_OK):
        path = _FALLBACK
    if path is None:
        raise ToolchainError(
            "swift was not found on PATH or in /opt/swift/usr/bin; install Swift 6.x from "
            "swift.org and put it on PATH, or set SWIFT=/path/to/swift")
    return path


# The linker version script of every extension: only the module init
# functions are dynamic symbols.  Everything else (the static Swift runtime,
# SwiftBind, the user's code: over a thousand symbols otherwise) stays local,
# so two extensions in one process never bind to each other's copies.
EXPORTS_MAP = "{\n  global: PyInit_*;\n  local: *;\n};\n"


def write_exports_map(scratch: Path) -> Path:
    """Writes the version script into the scratch folder (only when it changed)."""
    path = scratch / "swiftbind-exports.map"
    if not path.exists() or path.read_text() != EXPORTS_MAP:
        scratch.mkdir(parents=True, exist_ok=True)
        path.write_text(EXPORTS_MAP)
    return path


def swift_build_command(swift: str, product: str, scratch: Path, include: str,
                        release: bool = True, extra_flags: Sequence[str] = ()) -> List[str]:
    return [swift, "build", "-c", "release" if release else "debug",
            "--product", product, "--scratch-path", str(scratch),
            # The evaluated manifest is cached in the scratch folder, not in
            # ~/.cache, so refresh_build_plan() can drop it with the plan.
            "--manifest-cache", "local",
            "-Xswiftc", "-static-stdlib", "-Xcc", f"-I{include}",
            "-Xlinker", f"--version-script={scratch / 'swiftbind-exports.map'}", *extra_flags]


def _source_fingerprint(roots: List[Path]) -> str:
    """The set of source files (names, not contents) under ``roots``."""
    import hashlib
    digest = hashlib.sha256()
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in (".swift", ".c", ".h", ".modulemap") and ".build" not in str(path.relative_to(root)):
                digest.update(str(path).encode() + b"\0")
    return digest.hexdigest()


def refresh_build_plan(scratch: Path, roots: List[Path]) -> None:
    """Forget SwiftPM's build plan when source files were added or removed.

    SwiftPM's incremental build notices edited files but not new or deleted
    ones in a package it planned before (a runtime upgrade adding a file, a
    new fixture folder): the stale plan then fails to link or misses
    products.  The plan and the locally cached manifest are cheap to redo.
    """
    stamp = scratch / ".swiftbind-sources"
    fingerprint = _source_fingerprint(roots)
    if stamp.is_file() and stamp.read_text() == fingerprint:
        return
    for plan in [*scratch.glob("*.yaml"), *scratch.glob("*/*/description.json"),
                 *scratch.glob("*/description.json"), scratch / "manifest.db", *scratch.glob("manifests")]:
        if plan.is_dir():
            shutil.rmtree(plan, ignore_errors=True)
        elif plan.exists():
            plan.unlink()
    scratch.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)


def _summarise(output: str) -> str:
    errors = [line for line in output.splitlines() if ": error:" in line]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return errors[0].strip() + more
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no output"


def swift_build(project_dir: Path, product: str, scratch: Path, include: str, *,
                release: bool = True, quiet: bool = True,
                env: Optional[Dict[str, str]] = None, extra_flags: Sequence[str] = ()) -> Path:
    """Build ``product`` and return the path of ``lib<product>.so``.

    On failure the compiler's own output goes to stderr unchanged and a
    :class:`CompileError` with a one-line summary is raised.
    """
    swift = find_swift()
    write_exports_map(scratch)
    cmd = swift_build_command(swift, product, scratch, include, release, extra_flags)
    full_env = dict(os.environ, **(env or {}))
    if quiet:
        proc = subprocess.run(cmd, cwd=project_dir, env=full_env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace")
        output = proc.stdout
    else:
        print("swiftbind: " + " ".join(cmd), file=sys.stderr, flush=True)
        # Tee: show progress live, keep the text for the summary line.
        proc = subprocess.Popen(cmd, cwd=project_dir, env=full_env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
        chunks = []
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stderr.write(line)
            chunks.append(line)
        proc.wait()
        output = "".join(chunks)
    if proc.returncode != 0:
        if quiet:
            sys.stderr.write(output)
            if not output.endswith("\n"):
                sys.stderr.write("\n")
        sys.stderr.flush()
        raise CompileError(
            f"swift build of product {product!r} in {project_dir} failed (exit "
            f"{proc.returncode}): {_summarise(output)}")
    config = "release" if release else "debug"
    lib = scratch / config / f"lib{product}.so"
    if not lib.exists():
        found = sorted(scratch.glob(f"*/{config}/lib{product}.so"))
        if not found:
            raise CompileError(
                f"swift build succeeded but lib{product}.so is not in {scratch}/{config}; make "
                f"sure Package.swift declares `.library(name: \"{product}\", type: .dynamic, ...)`")
        lib = found[0]
    return lib


def strip(path: Path) -> None:
    """Strip symbols the loader does not need (`strip --strip-unneeded`)."""
    tool = shutil.which("strip")
    if tool is None:
        print("swiftbind: warning: `strip` not found (install binutils); the extension is "
              "left unstripped", file=sys.stderr)
        return
    subprocess.run([tool, "--strip-unneeded", str(path)], check=True)
