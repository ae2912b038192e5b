"""The manylinux platform tag an extension earns, read from the ELF file itself.

The rules are auditwheel's (``auditwheel show`` names the same tag):

- every symbol version the extension needs (``.gnu.version_r``) from the
  ``GLIBC``, ``GLIBCXX``, ``CXXABI`` and ``GCC`` families must exist in the
  policy's glibc / libstdc++ / libgcc (versions from the dynamic loader
  itself, ``ld-linux*``, do not count);
- every ``DT_NEEDED`` library must be on the policy's allow-list (the loader
  and libpython aside);
- the oldest policies also forbid a few libc/libm/libpthread symbols that
  their glibc lacked under the same version node.

The oldest policy that passes gives the tag, with PEP 600's legacy alias
where it has one: ``manylinux_2_17_x86_64.manylinux2014_x86_64``.

:data:`POLICIES` is our own compact copy of auditwheel's
``policy/manylinux-policy.json`` (6.8): the highest numeric version of each
family per policy and the named versions (``TM_1``...) it also has.  The
numeric versions of a family are contiguous in that file apart from gaps where
glibc defined no version node, so "highest allowed version" decides the same.
Not checked: the LIBATOMIC and ZLIB families and zlib's internal-symbol list
(they matter only for extensions linking libatomic or libz with symbol
versions, which Swift extensions do not).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

from .errors import CompatibilityError

FAMILIES = ("GLIBC", "GLIBCXX", "CXXABI", "GCC")

# name, legacy alias, highest GLIBC / GLIBCXX / CXXABI / GCC version, named versions.
_X86_64 = (
    ("manylinux_2_5", "manylinux1", ("2.5", "3.4.8", "1.3.1", "4.2.0"), ()),
    ("manylinux_2_12", "manylinux2010", ("2.12", "3.4.13", "1.3.3", "4.3.0"), ()),
    ("manylinux_2_17", "manylinux2014", ("2.17", "3.4.19", "1.3.7", "4.8.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_24", None, ("2.24", "3.4.22", "1.3.10", "4.8.0"), ("CXXABI_TM_1", "CXXABI_FLOAT128")),
    ("manylinux_2_26", None, ("2.26", "3.4.22", "1.3.10", "4.8.0"), ("CXXABI_TM_1", "CXXABI_FLOAT128")),
    ("manylinux_2_27", None, ("2.27", "3.4.24", "1.3.11", "7.0.0"), ("CXXABI_TM_1", "CXXABI_FLOAT128")),
    ("manylinux_2_28", None, ("2.28", "3.4.24", "1.3.11", "7.0.0"), ("CXXABI_TM_1", "CXXABI_FLOAT128")),
    ("manylinux_2_31", None, ("2.31", "3.4.28", "1.3.12", "7.0.0"), ("CXXABI_TM_1", "CXXABI_FLOAT128")),
    ("manylinux_2_34", None, ("2.34", "3.4.29", "1.3.13", "7.0.0"), ("CXXABI_TM_1", "CXXABI_FLOAT128")),
    ("manylinux_2_35", None, ("2.35", "3.4.30", "1.3.13", "12.0.0"), ("CXXABI_TM_1", "CXXABI_FLOAT128")),
    ("manylinux_2_36", None, ("2.36", "3.4.30", "1.3.13", "12.0.0"),
     ("CXXABI_TM_1", "CXXABI_FLOAT128", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_37", None, ("2.36", "3.4.30", "1.3.13", "12.0.0"),
     ("CXXABI_TM_1", "CXXABI_FLOAT128", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_38", None, ("2.38", "3.4.30", "1.3.13", "12.0.0"),
     ("CXXABI_TM_1", "CXXABI_FLOAT128", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_39", None, ("2.39", "3.4.33", "1.3.15", "14.0.0"),
     ("CXXABI_TM_1", "CXXABI_FLOAT128", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_40", None, ("2.40", "3.4.33", "1.3.15", "14.0.0"),
     ("CXXABI_TM_1", "CXXABI_FLOAT128", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_41", None, ("2.41", "3.4.33", "1.3.15", "14.0.0"),
     ("CXXABI_TM_1", "CXXABI_FLOAT128", "GLIBC_ABI_DT_RELR")),
)
_AARCH64 = (
    ("manylinux_2_17", "manylinux2014", ("2.18", "3.4.19", "1.3.7", "4.7.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_24", None, ("2.24", "3.4.22", "1.3.10", "4.7.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_26", None, ("2.26", "3.4.24", "1.3.11", "7.0.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_27", None, ("2.27", "3.4.24", "1.3.11", "7.0.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_28", None, ("2.28", "3.4.24", "1.3.11", "7.0.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_31", None, ("2.31", "3.4.28", "1.3.12", "7.0.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_34", None, ("2.34", "3.4.29", "1.3.13", "11.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_35", None, ("2.35", "3.4.30", "1.3.13", "11.0"), ("CXXABI_TM_1",)),
    ("manylinux_2_36", None, ("2.36", "3.4.30", "1.3.13", "11.0"), ("CXXABI_TM_1", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_37", None, ("2.36", "3.4.30", "1.3.13", "11.0"), ("CXXABI_TM_1", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_38", None, ("2.38", "3.4.30", "1.3.13", "11.0"), ("CXXABI_TM_1", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_39", None, ("2.39", "3.4.33", "1.3.15", "14.0.0"), ("CXXABI_TM_1", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_40", None, ("2.40", "3.4.33", "1.3.15", "14.0.0"), ("CXXABI_TM_1", "GLIBC_ABI_DT_RELR")),
    ("manylinux_2_41", None, ("2.41", "3.4.33", "1.3.15", "14.0.0"), ("CXXABI_TM_1", "GLIBC_ABI_DT_RELR")),
)

#: Libraries every policy allows; manylinux_2_12 adds libexpat, 2_24 libmvec.
_BASE_LIBS = frozenset({
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1",
    "libnsl.so.1", "libanl.so.1", "libresolv.so.2", "libgcc_s.so.1", "libstdc++.so.6",
    "libatomic.so.1", "libz.so.1", "libX11.so.6", "libXext.so.6", "libXrender.so.1",
    "libICE.so.6", "libSM.so.6", "libGL.so.1", "libgobject-2.0.so.0", "libgthread-2.0.so.0",
    "libglib-2.0.so.0"})

#: Symbols manylinux_2_5 .. 2_17 forbid although their version node is old enough.
_OLD_BLACKLIST = {
    "libc.so.6": frozenset({"__cxa_thread_atexit_impl", "__issignaling", "__issignalingf",
                            "__issignalingl", "pthread_getattr_default_np",
                            "pthread_setattr_default_np"}),
    "libm.so.6": frozenset({"__issignaling", "__issignalingf", "__issignalingl"}),
    "libpthread.so.0": frozenset({"pthread_getattr_default_np", "pthread_setattr_default_np"}),
}


@dataclass(frozen=True)
class Policy:
    name: str                      # manylinux_2_17
    alias: Optional[str]           # manylinux2014
    highest: Dict[str, Tuple[int, ...]]
    named: FrozenSet[str]
    libs: FrozenSet[str]
    blacklist: Dict[str, FrozenSet[str]]

    def tag(self, arch: str) -> str:
        """``manylinux_2_17_x86_64.manylinux2014_x86_64`` (a compressed tag set)."""
        tags = [f"{self.name}_{arch}"] + ([f"{self.alias}_{arch}"] if self.alias else [])
        return ".".join(tags)

    def allows_version(self, version: str) -> bool:
        family, _, number = version.partition("_")
        if family not in self.highest:
            return True  # a family the policy does not constrain (another library's own)
        if version in self.named:
            return True
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", number):
            return False  # GLIBC_PRIVATE and named versions the policy lacks
        return _numbers(number) <= self.highest[family]


def _numbers(version: str) -> Tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


def _policies(rows) -> List[Policy]:
    out = []
    for name, alias, highest, named in rows:
        glibc_minor = int(name.split("_")[2])
        libs = set(_BASE_LIBS)
        if glibc_minor >= 12:
            libs.add("libexpat.so.1")
        if glibc_minor >= 24:
            libs.add("libmvec.so.1")
        out.append(Policy(name, alias, dict(zip(FAMILIES, map(_numbers, highest))),
                          frozenset(named), frozenset(libs),
                          _OLD_BLACKLIST if glibc_minor <= 17 else {}))
    return out


#: Oldest first, per architecture (as sysconfig's platform names it).
POLICIES: Dict[str, List[Policy]] = {"x86_64": _policies(_X86_64), "aarch64": _policies(_AARCH64)}


@dataclass(frozen=True)
class Requirements:
    """What an ELF file asks of the system it loads on."""

    needed: Tuple[str, ...]            # DT_NEEDED, loader and libpython aside
    versions: Dict[str, Tuple[str, ...]]  # library -> symbol versions (loader aside)
    imported: FrozenSet[str]           # undefined dynamic symbols

    @classmethod
    def of(cls, path) -> "Requirements":
        from .elf import _Elf

        elf = _Elf(Path(path))
        return cls(needed=tuple(n for n in elf.needed() if not _is_exempt(n)),
                   versions={lib: tuple(v) for lib, v in elf.version_needs().items()
                             if not _is_exempt(lib)},
                   imported=frozenset(elf.undefined_symbols()))

    def highest(self, family: str) -> Optional[str]:
        """The highest numeric ``FAMILY_x.y`` version needed, e.g. ``GLIBC_2.34``."""
        found = [v for vs in self.versions.values() for v in vs
                 if v.partition("_")[0] == family and re.fullmatch(r"[0-9.]+", v.partition("_")[2])]
        return max(found, key=lambda v: _numbers(v.partition("_")[2]), default=None)

    def violations(self, policy: Policy) -> List[str]:
        """Why ``policy`` refuses the file (empty when it passes), one phrase each."""
        why = [f"{lib} (DT_NEEDED) is not on its list of system libraries"
               for lib in self.needed if lib not in policy.libs]
        for lib, versions in self.versions.items():
            why += [f"{v} from {lib} is newer than it allows" for v in versions
                    if not policy.allows_version(v)]
        for lib, names in policy.blacklist.items():
            if lib in self.needed:
                why += [f"{s} from {lib} is forbidden by it" for s in sorted(self.imported & names)]
        return why


def _is_exempt(lib: str) -> bool:
    # auditwheel skips the dynamic loader; libpython is refused by elf.check_extension.
    return "ld-linux" in lib or lib in ("ld64.so.1", "ld64.so.2") or lib.startswith("libpython")


def policy_for(paths: Iterable, arch: str) -> Policy:
    """The oldest policy every one of ``paths`` satisfies, or a :class:`CompatibilityError`
    naming what stops the newest one."""
    policies = POLICIES.get(arch)
    if policies is None:
        raise CompatibilityError(
            f"swiftbind knows the manylinux policies of {', '.join(POLICIES)} only, not {arch}; "
            "pass --compat linux (or set [tool.swiftbind] compat = \"linux\") for a wheel that "
            "installs on this kind of machine only")
    reqs = [(Path(p), Requirements.of(p)) for p in paths]
    for policy in policies:
        if all(not r.violations(policy) for _, r in reqs):
            return policy
    newest = policies[-1]
    path, req = next((p, r) for p, r in reqs if r.violations(newest))
    problems = req.violations(newest)
    raise CompatibilityError(
        f"{path.name} meets no manylinux policy, so PyPI would refuse its wheel: "
        f"{'; '.join(problems[:3])}{' ...' if len(problems) > 3 else ''} (checked against "
        f"{newest.name}, the newest policy). Link that library statically or drop the "
        "dependency, or build in an older manylinux container; to get a plain linux_ wheel "
        "for this machine only, pass --compat linux or set [tool.swiftbind] compat = \"linux\" "
        "(`auditwheel repair` can then vendor the library into a manylinux wheel)")


def platform_tag(paths: Iterable, platform: str, compat: str = "manylinux") -> str:
    """The wheel's platform tag for extensions ``paths`` built for sysconfig ``platform``.

    ``compat="linux"`` keeps the plain ``linux_<arch>`` tag; non-Linux
    platforms keep theirs.
    """
    plain = platform.replace("-", "_").replace(".", "_")
    if compat == "linux" or not platform.startswith("linux-"):
        return plain
    return policy_for(paths, platform.split("-", 1)[1]).tag(platform.split("-", 1)[1])
