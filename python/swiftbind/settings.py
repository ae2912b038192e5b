"""What a project's ``pyproject.toml`` may say, and how it is read.

The :data:`FIELDS` table is the single description of ``[tool.swiftbind]``:
the reader validates against it, ``python/README.md`` mirrors it, and an
unknown key is answered with the list of known ones.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

from .errors import ConfigError, SwiftBindBuildError


@dataclass(frozen=True)
class Field:
    key: str
    type: type
    default: Any
    doc: str


#: Every key of ``[tool.swiftbind]``.
FIELDS = (
    Field("module", str, None,
          "Dotted import name of the extension (`hello`, `pkg._ext`). Its last part is the "
          "PyInit_ suffix the Swift code exports with @_cdecl. Default: the project name "
          "with `-` replaced by `_`."),
    Field("product", str, None,
          "SwiftPM dynamic-library product that builds the extension. Default: the last "
          "part of `module`."),
    Field("python-source", str, None,
          "Folder (relative to pyproject.toml) whose Python packages go into the wheel "
          "beside the extension; `swiftbind develop` builds into it. Default: none."),
    Field("strip", bool, True,
          "Strip the extension (`strip --strip-unneeded`) before it is installed."),
    Field("compat", str, "manylinux",
          "Wheel platform tag on Linux. `manylinux`: the oldest manylinux policy the built "
          "extension satisfies (read from its ELF file, auditwheel's rules); the build fails "
          "if it meets none. `linux`: a plain `linux_<arch>` wheel for this kind of machine "
          "only (PyPI refuses it). CLI: `--compat`; PEP 517: `-C compat=linux`."),
    Field("abi3", str, None,
          "Build one extension for every CPython from this version on (`\"3.10\"`: the limited "
          "API, `NAME.abi3.so`, a `cp310-abi3` wheel). 3.10 is the lowest; buffers, NDArray and "
          "DLPack need `\"3.11\"` or newer. Default: a version-specific build. "
          "CLI: `--abi3 3.10` (`--abi3 none` for version-specific); PEP 517: `-C abi3=3.10`."),
)

COMPAT_CHOICES = ("manylinux", "linux")

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


#: PEP 639's suggested default when ``[project]`` has no ``license-files``.
DEFAULT_LICENSE_FILES = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")
METADATA_VERSION = "2.4"


class ProjectMetadata:
    """The ``[project]`` table (PEP 621), read and checked by pyproject-metadata.

    Names, versions (PEP 440), requirements (PEP 508), ``requires-python`` and
    the readme are validated by ``pyproject-metadata`` and ``packaging``, and
    ``license`` as an SPDX expression by ``packaging.licenses`` (PEP 639).
    :meth:`text` is the core metadata file (METADATA / PKG-INFO), version 2.4.
    """

    def __init__(self, standard, project_dir: Path):
        self.standard = standard
        self.project_dir = Path(project_dir)

    @classmethod
    def from_project(cls, project: dict, project_dir=".", where: str = "pyproject.toml") -> "ProjectMetadata":
        """Validate a ``[project]`` table; raise :class:`ConfigError` naming the field."""
        from pyproject_metadata import ConfigurationError, StandardMetadata

        project_dir = Path(project_dir)
        project = dict(project)
        if "license-files" not in project:
            # Sorted, relative, only files: what a wheel's .dist-info/licenses/ gets.
            found = {p.relative_to(project_dir).as_posix() for g in DEFAULT_LICENSE_FILES
                     for p in project_dir.glob(g) if p.is_file()}
            if found:
                project["license-files"] = sorted(found)
        try:
            # A legacy `license = {text = ...}` still works; pyproject-metadata warns
            # (ConfigurationWarning) that an SPDX expression is what 2.4 wants.
            standard = StandardMetadata.from_pyproject({"project": project}, project_dir,
                                                       metadata_version=METADATA_VERSION)
        except ConfigurationError as e:
            raise ConfigError(f"{where}: {e}") from None
        if isinstance(standard.license, str):
            from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

            try:
                standard.license = canonicalize_license_expression(standard.license)
            except InvalidLicenseExpression as e:
                raise ConfigError(f"{where}: [project] license = {standard.license!r} is not an SPDX "
                                  f"license expression ({e}); write e.g. license = \"MIT\" or "
                                  "\"Apache-2.0 OR MIT\" (https://spdx.org/licenses/)") from None
        return cls(standard, project_dir)

    @property
    def name(self) -> str:
        return self.standard.name

    @property
    def version(self) -> str:
        """The normalised PEP 440 version (``1.0.0-rc1`` -> ``1.0.0rc1``)."""
        return str(self.standard.version)

    @property
    def wheel_name(self) -> str:
        """The name as it appears in wheel, sdist and dist-info file names."""
        from packaging.utils import canonicalize_name

        return canonicalize_name(self.name).replace("-", "_")

    @property
    def entry_points(self) -> Dict[str, Dict[str, str]]:
        eps = {"console_scripts": dict(self.standard.scripts),
               "gui_scripts": dict(self.standard.gui_scripts)}
        eps.update({k: dict(v) for k, v in self.standard.entrypoints.items()})
        return {k: v for k, v in eps.items() if v}

    @property
    def license_files(self) -> List[Path]:
        """License files relative to the project folder (``.dist-info/licenses/<path>``)."""
        return [Path(p) for p in (self.standard.license_files or [])]

    def text(self) -> str:
        """The core metadata file (METADATA / PKG-INFO)."""
        return str(self.standard.as_rfc822())


def project_metadata(project: dict, project_dir=".") -> ProjectMetadata:
    """``[project]`` as a dict -> :class:`ProjectMetadata` (tests and the self backend)."""
    return ProjectMetadata.from_project(project, project_dir)


@dataclass
class Settings:
    """A project's build settings (``[tool.swiftbind]``) plus its metadata."""

    project_dir: Path
    metadata: ProjectMetadata
    module: str
    product: str
    python_source: Optional[str] = None
    strip: bool = True
    compat: str = "manylinux"
    abi3: Optional[str] = None

    @property
    def modules(self) -> Dict[str, str]:
        return {self.module: self.product}

    @property
    def python_source_dir(self) -> Optional[Path]:
        return self.project_dir / self.python_source if self.python_source else None


def load_toml(path: Path) -> dict:
    """Parse a TOML file with tomllib (3.11+) or tomli (older Pythons)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        try:
            import tomli as tomllib
        except ImportError:
            raise SwiftBindBuildError(
                f"reading {path.name} on Python {sys.version_info[0]}.{sys.version_info[1]} "
                "needs tomli; run `pip install tomli` (pip's isolated builds install it "
                "automatically)") from None
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist; run the command in a project folder "
                          "(one with pyproject.toml), or create one with `swiftbind new NAME`") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path} is not valid TOML: {e}") from None


def validate_module_name(module: str, where: str = "module") -> None:
    parts = module.split(".")
    if not all(_IDENT.match(p) for p in parts):
        raise ConfigError(
            f"{where} = {module!r} is not a dotted Python import name; use ASCII letters, "
            "digits and `_`, with `.` between packages, e.g. `hello` or `mypkg._core`")


def _metadata(project: dict, pyproject: Path) -> ProjectMetadata:
    for key in ("name", "version"):
        if key not in project:
            raise ConfigError(f"{pyproject}: [project] needs `{key} = ...`")
    dynamic = project.get("dynamic", [])
    if dynamic:
        raise ConfigError(f"{pyproject}: [project] dynamic = {dynamic!r} is not supported by "
                          "swiftbind.build; write these fields out in [project]")
    return ProjectMetadata.from_project(project, pyproject.parent, where=str(pyproject))


def load_settings(project_dir) -> Settings:
    """Read ``project_dir/pyproject.toml`` into :class:`Settings`.

    Raises :class:`ConfigError` naming the key and the fix when something is off.
    """
    project_dir = Path(project_dir).resolve()
    pyproject = project_dir / "pyproject.toml"
    data = load_toml(pyproject)
    meta = _metadata(data.get("project", {}), pyproject)
    tool = data.get("tool", {}).get("swiftbind", {})
    known = {f.key: f for f in FIELDS}
    for key, value in tool.items():
        if key not in known:
            raise ConfigError(f"{pyproject}: unknown key [tool.swiftbind] {key!r}; known keys "
                              f"are {', '.join(known)} (see python/README.md)")
        if not isinstance(value, known[key].type):
            raise ConfigError(f"{pyproject}: [tool.swiftbind] {key} must be a "
                              f"{known[key].type.__name__}, not {value!r}")
    module = tool.get("module") or meta.name.replace("-", "_").replace(".", "_")
    validate_module_name(module, "[tool.swiftbind] module")
    product = tool.get("product") or module.rsplit(".", 1)[-1]
    source = tool.get("python-source")
    if source is not None and not (project_dir / source).is_dir():
        raise ConfigError(f"{pyproject}: [tool.swiftbind] python-source = {source!r} is not a "
                          "folder; create it or remove the key")
    compat = tool.get("compat", "manylinux")
    validate_compat(compat, f"{pyproject}: [tool.swiftbind] compat")
    from .abi3 import parse_floor
    abi3 = tool.get("abi3")
    parse_floor(abi3, f"{pyproject}: [tool.swiftbind] abi3")
    return Settings(project_dir=project_dir, metadata=meta, module=module, product=product,
                    python_source=source, strip=tool.get("strip", True), compat=compat, abi3=abi3)


def validate_compat(compat: str, where: str = "compat") -> None:
    if compat not in COMPAT_CHOICES:
        raise ConfigError(f"{where} = {compat!r} is unknown; use \"manylinux\" (the default: a "
                          "tag PyPI accepts) or \"linux\" (a wheel for this machine only)")
