"""The Python an extension is built for: headers, EXT_SUFFIX and wheel tag.

The running interpreter answers from :mod:`sysconfig`; another interpreter
(``python=`` / ``--python``) is asked by running it once.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple

from .errors import ToolchainError

# What describes an interpreter.  Run by the target interpreter itself (as
# _QUERY) or, for the running one, in-process; must work on every supported
# Python (3.9+).
_DESCRIBE = r"""
import sys, sysconfig
def describe():
    return {
        "implementation": sys.implementation.name,
        "version": list(sys.version_info[:2]),
        "abiflags": getattr(sys, "abiflags", ""),
        "include": sysconfig.get_paths()["include"],
        "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "platform": sysconfig.get_platform(),
        "executable": sys.executable,
    }
"""
_QUERY = _DESCRIBE + "import json\nprint(json.dumps(describe()))\n"


@dataclass(frozen=True)
class PythonTarget:
    executable: str
    implementation: str
    version: Tuple[int, int]
    abiflags: str
    include: str
    ext_suffix: str
    platform: str

    @property
    def interpreter_tag(self) -> str:
        return "cp%d%d" % self.version

    @property
    def abi_tag(self) -> str:
        # sys.abiflags is "" for a default build, "t" for free-threaded, "d" for debug.
        return self.interpreter_tag + self.abiflags

    @property
    def platform_tag(self) -> str:
        return self.platform.replace("-", "_").replace(".", "_")

    @property
    def tag(self) -> str:
        """The wheel tag, e.g. ``cp311-cp311-linux_x86_64`` or ``cp313-cp313t-linux_x86_64``."""
        return f"{self.interpreter_tag}-{self.abi_tag}-{self.platform_tag}"

    def check_headers(self) -> None:
        if not (Path(self.include) / "Python.h").is_file():
            raise ToolchainError(
                f"Python.h not found in {self.include}; install the development headers, "
                "e.g. `apt-get install python3-dev` / use a CPython build with headers")
        if self.implementation != "cpython":
            raise ToolchainError(
                f"{self.executable} is {self.implementation}, but swiftbind builds CPython "
                "extensions only; pass a CPython interpreter with --python")


def _from_dict(d: dict) -> PythonTarget:
    return PythonTarget(executable=d["executable"], implementation=d["implementation"],
                        version=tuple(d["version"]), abiflags=d["abiflags"] or "",
                        include=d["include"], ext_suffix=d["ext_suffix"] or ".so",
                        platform=d["platform"])


def _is_running(python: str) -> bool:
    if os.path.abspath(python) == os.path.abspath(sys.executable):
        return True
    try:
        # A venv's python is a symlink to its base; sysconfig answers the same.
        return os.path.samefile(python, sys.executable) and sys.prefix == sys.base_prefix
    except OSError:
        return False


def python_target(python: Optional[str] = None) -> PythonTarget:
    """Describe ``python`` (default: the running interpreter)."""
    if python is None or _is_running(python):
        namespace: dict = {}
        exec(_DESCRIBE, namespace)
        return _from_dict(namespace["describe"]())
    try:
        out = subprocess.run([python, "-c", _QUERY], check=True, capture_output=True, text=True).stdout
        return _from_dict(json.loads(out.strip().splitlines()[-1]))
    except FileNotFoundError:
        raise ToolchainError(f"the Python interpreter {python!r} does not exist; pass the path "
                             "of an installed python (e.g. --python /usr/bin/python3.12)") from None
    except (subprocess.CalledProcessError, ValueError, IndexError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        raise ToolchainError(f"could not ask {python} for its build settings: {detail.strip()}; "
                             "check that it is a working CPython 3.9+") from None
