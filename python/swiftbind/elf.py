"""Just enough ELF reading to check a built extension, without readelf.

An extension must not list libpython in DT_NEEDED (the interpreter that loads
it already provides the C API; a second libpython breaks static builds and
other versions), and it must export ``PyInit_<name>``.
"""
from __future__ import annotations

import struct
from pathlib import Path
from typing import Dict, List

from .errors import ExtensionCheckError

_SHT_DYNSYM = 11
_SHT_DYNAMIC = 6
_SHT_GNU_VERNEED = 0x6FFFFFFE  # .gnu.version_r
_DT_NEEDED = 1


class _Elf:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.data = self.path.read_bytes()
        d = self.data
        if d[:4] != b"\x7fELF":
            raise ExtensionCheckError(f"{self.path} is not an ELF shared library")
        self.is64 = d[4] == 2
        self.end = "<" if d[5] == 1 else ">"
        if self.is64:
            shoff, = struct.unpack_from(self.end + "Q", d, 0x28)
            shentsize, shnum = struct.unpack_from(self.end + "HH", d, 0x3A)
        else:
            shoff, = struct.unpack_from(self.end + "I", d, 0x20)
            shentsize, shnum = struct.unpack_from(self.end + "HH", d, 0x2E)
        self.sections = [self._section(shoff + i * shentsize) for i in range(shnum)]

    def _section(self, off: int) -> Dict[str, int]:
        if self.is64:
            f = struct.unpack_from(self.end + "IIQQQQIIQQ", self.data, off)
        else:
            f = struct.unpack_from(self.end + "IIIIIIIIII", self.data, off)
        return {"type": f[1], "offset": f[4], "size": f[5], "link": f[6], "info": f[7],
                "entsize": f[9]}

    def _string(self, strtab: Dict[str, int], index: int) -> str:
        start = strtab["offset"] + index
        return self.data[start:self.data.index(b"\0", start)].decode("utf-8", "replace")

    def needed(self) -> List[str]:
        names = []
        fmt = self.end + ("qQ" if self.is64 else "iI")
        size = struct.calcsize(fmt)
        for sec in self.sections:
            if sec["type"] != _SHT_DYNAMIC:
                continue
            strtab = self.sections[sec["link"]]
            for off in range(sec["offset"], sec["offset"] + sec["size"], size):
                tag, val = struct.unpack_from(fmt, self.data, off)
                if tag == 0:
                    break
                if tag == _DT_NEEDED:
                    names.append(self._string(strtab, val))
        return names

    def version_needs(self) -> Dict[str, List[str]]:
        """``.gnu.version_r``: library -> the symbol versions needed from it.

        Each Elf_Verneed (16 bytes: version, count, file, aux, next) names a
        library and chains ``count`` Elf_Vernaux entries (16 bytes: hash,
        flags, other, name, next), one per version such as ``GLIBC_2.17``.
        The layout is the same in 32- and 64-bit files.
        """
        needs: Dict[str, List[str]] = {}
        for sec in self.sections:
            if sec["type"] != _SHT_GNU_VERNEED:
                continue
            strtab = self.sections[sec["link"]]
            off = sec["offset"]
            for _ in range(sec["info"]):
                _ver, count, file, aux, nxt = struct.unpack_from(self.end + "HHIII", self.data, off)
                versions = needs.setdefault(self._string(strtab, file), [])
                a = off + aux
                for _ in range(count):
                    _hash, _flags, _other, name, anext = struct.unpack_from(
                        self.end + "IHHII", self.data, a)
                    versions.append(self._string(strtab, name))
                    a += anext
                if nxt == 0:
                    break
                off += nxt
        return needs

    def undefined_symbols(self) -> List[str]:
        """Names the library imports (undefined entries of its dynamic symbol table)."""
        return self._symbols(defined=False)

    def defined_symbols(self) -> List[str]:
        return self._symbols(defined=True)

    def _symbols(self, defined: bool) -> List[str]:
        names = []
        for sec in self.sections:
            if sec["type"] != _SHT_DYNSYM:
                continue
            strtab = self.sections[sec["link"]]
            entsize = sec["entsize"] or (24 if self.is64 else 16)
            for off in range(sec["offset"], sec["offset"] + sec["size"], entsize):
                if self.is64:
                    name, info, _other, shndx = struct.unpack_from(self.end + "IBBH", self.data, off)
                else:
                    name, = struct.unpack_from(self.end + "I", self.data, off)
                    info, = struct.unpack_from(self.end + "B", self.data, off + 12)
                    shndx, = struct.unpack_from(self.end + "H", self.data, off + 14)
                # shndx 0 = undefined (imported); a LOCAL entry (binding 0)
                # is not visible to other objects, whatever the linker kept.
                if name and (shndx != 0) == defined and info >> 4 in _VISIBLE_BINDINGS:
                    names.append(self._string(strtab, name))
        return names


# STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE
_VISIBLE_BINDINGS = (1, 2, 10)


def needed_libraries(path) -> List[str]:
    """The DT_NEEDED entries of a shared library (what ``readelf -d`` shows as NEEDED)."""
    return _Elf(path).needed()


def exported_symbols(path) -> List[str]:
    """Names the library defines in its dynamic symbol table."""
    return _Elf(path).defined_symbols()


def version_needs(path) -> Dict[str, List[str]]:
    """Symbol versions the library needs, per library (what ``objdump -p`` lists
    under "Version References"), e.g. ``{"libc.so.6": ["GLIBC_2.2.5", ...]}``."""
    return _Elf(path).version_needs()


def imported_symbols(path) -> List[str]:
    """Names the library takes from other objects (its undefined dynamic symbols)."""
    return _Elf(path).undefined_symbols()


def check_extension(path, init_name: str) -> None:
    """Fail with a clear message unless ``path`` can be loaded as extension ``init_name``."""
    elf = _Elf(path)
    bad = [n for n in elf.needed() if n.startswith("libpython")]
    if bad:
        raise ExtensionCheckError(
            f"{Path(path).name} links against {', '.join(bad)} (DT_NEEDED), so it would load a "
            "second copy of Python; an extension must get the C API from the interpreter that "
            "imports it. Depend only on the `SwiftBind` product (not `SwiftBindEmbed`) and drop "
            "any `.linkedLibrary(\"python3...\")` from Package.swift")
    symbol = "PyInit_" + init_name
    if symbol not in elf.defined_symbols():
        raise ExtensionCheckError(
            f"{Path(path).name} does not export {symbol}, so `import {init_name}` would fail; "
            f"add `@_cdecl(\"{symbol}\") public func {symbol}() -> PythonModuleInit` to the "
            "Swift target, or set [tool.swiftbind] module to the name the code exports")

