"""Which interpreters a build is for: ``--interpreter PY...`` and ``--find-interpreters``.

Like maturin's ``-i`` / ``--find-interpreter``: the names given are looked up
on PATH (or taken as paths); the search finds CPython 3.9-3.13 as
``python3.X`` on PATH and in pyenv's folder (``$PYENV_ROOT/versions/*/bin``,
default ``~/.pyenv``).  Either way every interpreter is asked what it is, and
two names for the same Python version and ABI (``python3`` and
``python3.11``) build one wheel, not two.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterable, List, Optional

from .errors import ToolchainError
from .target import PythonTarget, python_target

#: The CPython versions ``--find-interpreters`` looks for (the ones swiftbind supports).
SUPPORTED = ((3, 9), (3, 10), (3, 11), (3, 12), (3, 13))


def _pyenv_versions() -> Path:
    return Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"


def candidates(versions: Iterable = SUPPORTED, path: Optional[str] = None) -> List[str]:
    """Executables that may be CPython ``versions``: PATH first, then pyenv."""
    found = []
    for major, minor in versions:
        name = f"python{major}.{minor}"
        on_path = shutil.which(name, path=path)
        if on_path:
            found.append(on_path)
        for exe in sorted(_pyenv_versions().glob(f"{major}.{minor}.*/bin/{name}")):
            if os.access(exe, os.X_OK):
                found.append(str(exe))
    return found


def resolve(name: str) -> str:
    """A name on PATH (``python3.12``) or a path, as an executable path."""
    if os.sep in name:
        if not os.access(name, os.X_OK):
            raise ToolchainError(f"--interpreter {name}: no executable at that path; pass a "
                                 "python on PATH (e.g. python3.12) or the full path of one")
        return name
    found = shutil.which(name)
    if found is None:
        raise ToolchainError(f"--interpreter {name}: not found on PATH; pass the full path "
                             f"(e.g. ~/.pyenv/versions/3.12.8/bin/python3.12), or use "
                             "--find-interpreters to search PATH and pyenv")
    return found


def _key(target: PythonTarget):
    return (target.implementation, target.version, target.abiflags)


def unique_targets(executables: Iterable[str], skip_broken: bool = False) -> List[PythonTarget]:
    """Describe each interpreter; keep the first of each version and ABI.

    ``skip_broken`` (for the search) passes over executables that cannot be
    asked or are not CPython with headers; named interpreters must work.
    """
    targets, seen = [], set()
    for exe in executables:
        try:
            target = python_target(exe)
            target.check_headers()
        except ToolchainError:
            if skip_broken:
                continue
            raise
        if _key(target) not in seen:
            seen.add(_key(target))
            targets.append(target)
    return targets


def find_interpreters(path: Optional[str] = None) -> List[PythonTarget]:
    """Every CPython 3.9-3.13 with headers on PATH or in pyenv, one per version, oldest first."""
    targets = unique_targets(candidates(path=path), skip_broken=True)
    targets = [t for t in targets if t.version in SUPPORTED]
    if not targets:
        raise ToolchainError(
            "--find-interpreters found no CPython 3.9-3.13 with headers (python3.X on PATH or "
            f"in {_pyenv_versions()}/*/bin); install one, or name it with --interpreter PATH")
    return sorted(targets, key=lambda t: t.version)


def named_interpreters(names: Iterable[str]) -> List[PythonTarget]:
    """The interpreters named with ``--interpreter``, one per version and ABI, in order."""
    return unique_targets(resolve(n) for n in names)
