"""What a project's ``pyproject.toml`` may say, and how it is read.

The :data:`FIELDS` table is the single description of ``[tool.swiftbind]``:
the reader validates against it, ``python/README.md`` mirrors it, and an
unknown key is answered with the list of known ones.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
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


@dataclass
class ProjectMetadata:
    """The ``[project]`` table, as far as a wheel's METADATA needs it."""

    name: str
    version: str
    summary: str = ""
    requires_python: str = ""
    dependencies: List[str] = field(default_factory=list)
    optional_dependencies: Dict[str, List[str]] = field(default_factory=dict)
    readme_text: str = ""
    readme_type: str = ""
    license_text: str = ""
    authors: List[Dict[str, str]] = field(default_factory=list)
    urls: Dict[str, str] = field(default_factory=dict)
    keywords: List[str] = field(default_factory=list)
    classifiers: List[str] = field(default_factory=list)
    entry_points: Dict[str, Dict[str, str]] = field(default_factory=dict)

    @property
    def wheel_name(self) -> str:
        """The name as it appears in wheel and dist-info file names."""
        return re.sub(r"[-_.]+", "_", self.name).lower()


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
    def need(key: str, kind: type) -> Any:
        if key not in project:
            raise ConfigError(f"{pyproject}: [project] needs `{key} = ...`")
        value = project[key]
        if not isinstance(value, kind):
            raise ConfigError(f"{pyproject}: [project] {key} must be a {kind.__name__}")
        return value

    dynamic = project.get("dynamic", [])
    if dynamic:
        raise ConfigError(f"{pyproject}: [project] dynamic = {dynamic!r} is not supported by "
                          "swiftbind.build; write these fields out in [project]")
    meta = ProjectMetadata(name=need("name", str), version=need("version", str))
    meta.summary = project.get("description", "")
    meta.requires_python = project.get("requires-python", "")
    meta.dependencies = list(project.get("dependencies", []))
    meta.optional_dependencies = {k: list(v) for k, v in project.get("optional-dependencies", {}).items()}
    meta.keywords = list(project.get("keywords", []))
    meta.classifiers = list(project.get("classifiers", []))
    meta.urls = dict(project.get("urls", {}))
    meta.authors = list(project.get("authors", []))
    readme = project.get("readme")
    if isinstance(readme, str):
        readme = {"file": readme}
    if isinstance(readme, dict):
        if "file" in readme:
            path = pyproject.parent / readme["file"]
            try:
                meta.readme_text = path.read_text(encoding="utf-8")
            except OSError:
                raise ConfigError(f"{pyproject}: readme file {readme['file']!r} cannot be read") from None
        else:
            meta.readme_text = readme.get("text", "")
        suffix = Path(readme.get("file", "")).suffix.lower()
        meta.readme_type = readme.get("content-type") or {
            ".md": "text/markdown", ".rst": "text/x-rst"}.get(suffix, "text/plain")
    lic = project.get("license")
    if isinstance(lic, dict):
        meta.license_text = lic.get("text", "")
    elif isinstance(lic, str):
        meta.license_text = lic
    eps = {"console_scripts": dict(project.get("scripts", {})),
           "gui_scripts": dict(project.get("gui-scripts", {}))}
    eps.update({k: dict(v) for k, v in project.get("entry-points", {}).items()})
    meta.entry_points = {k: v for k, v in eps.items() if v}
    return meta


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
