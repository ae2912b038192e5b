"""abi3: one extension for every CPython from a floor version on.

An abi3 build compiles the runtime and the module against the limited API
of the floor (``Py_LIMITED_API=0x030X0000``, and ``SWIFTBIND_LIMITED_API``
for Swift), names the file ``NAME.abi3.so`` and tags the wheel
``cp3X-abi3-<platform>``.  What the floor decides (docs/publishing.md):

* 3.10 is the lowest: METH_FASTCALL, which every bound function uses, and
  ``PyType_GetSlot`` on static types entered the limited API there.
* below 3.11 there is no buffer protocol: ``NDArray``, ``PythonBuffer`` and
  the other buffer views, buffer-exporting classes and DLPack are left out
  of the runtime (``SWIFTBIND_NO_BUFFER_API``); ``[UInt8]`` then accepts
  bytes and bytearray only.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from .errors import ConfigError

LOWEST = (3, 10)
HIGHEST = (3, 13)
EXT_SUFFIX = ".abi3.so"
# Public runtime types that need the buffer protocol (for the hint below).
BUFFER_TYPES = ("NDArray", "NumPyArray", "PythonBuffer", "MutablePythonBuffer", "StridedPythonBuffer",
                "MutableStridedPythonBuffer", "BufferOrCopy", "BufferDiagnostics", "buffer(get:", "NDArrayView",
                "MutableNDArrayView", "ShapePattern")


def parse_floor(value, where: str) -> Optional[Tuple[int, int]]:
    """``"3.10"`` -> ``(3, 10)``; ``None``/``"none"``/``""`` -> ``None`` (a version-specific build)."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in ("", "none", "no", "false"):
        return None
    m = re.fullmatch(r"(?:cp)?3\.?(\d+)", text)
    if not m:
        raise ConfigError(f"{where} = {value!r} is not a Python version; write the oldest CPython the "
                          f"wheel must run on, e.g. \"3.10\" (lowest: {LOWEST[0]}.{LOWEST[1]})")
    floor = (3, int(m.group(1)))
    if not LOWEST <= floor <= HIGHEST:
        raise ConfigError(f"{where} = {value!r}: swiftbind builds abi3 extensions for floors "
                          f"{LOWEST[0]}.{LOWEST[1]} to {HIGHEST[0]}.{HIGHEST[1]}; 3.10 is the lowest because "
                          "METH_FASTCALL (every bound function) entered the limited API in 3.10")
    return floor


def check_target(floor: Tuple[int, int], version: Tuple[int, int], executable: str) -> None:
    """The headers must be at least as new as the floor."""
    if tuple(version) < floor:
        raise ConfigError(f"abi3 = \"{floor[0]}.{floor[1]}\" needs the headers of CPython {floor[0]}.{floor[1]} "
                          f"or newer, but {executable} is {version[0]}.{version[1]}; build with "
                          f"--python python{floor[0]}.{floor[1]} (or newer)")


def swift_flags(floor: Tuple[int, int]) -> List[str]:
    flags = ["-Xcc", f"-DPy_LIMITED_API=0x{floor[0]:02X}{floor[1]:02X}0000",
             "-Xswiftc", "-DSWIFTBIND_LIMITED_API"]
    if floor < (3, 11):
        flags += ["-Xswiftc", "-DSWIFTBIND_NO_BUFFER_API"]
    return flags


def interpreter_tag(floor: Tuple[int, int]) -> str:
    return "cp%d%d" % floor


def scratch_tag(floor: Tuple[int, int], platform_tag: str) -> str:
    return f"{interpreter_tag(floor)}-abi3-{platform_tag}"


def explain(floor: Tuple[int, int], summary: str) -> Optional[str]:
    """A hint for a failed abi3 build whose first error names a buffer type."""
    if floor >= (3, 11) or not any(name in summary for name in BUFFER_TYPES):
        return None
    return ("the buffer views (NDArray, PythonBuffer, ...), DLPack and buffer-exporting classes "
            "need the buffer protocol, which entered the limited API in 3.11: set "
            "[tool.swiftbind] abi3 = \"3.11\" (or newer), or build version-specific wheels")
