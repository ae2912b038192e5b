"""Writing wheels and sdists by hand (zipfile / tarfile), reproducibly.

A wheel is a zip with ``<name>-<version>.dist-info/{METADATA,WHEEL,RECORD}``;
RECORD lists every file with its sha256 (urlsafe base64, no padding) and size.
Timestamps come from ``SOURCE_DATE_EPOCH`` (default 1980-01-01) so the same
inputs give the same bytes.
"""
from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import os
import stat
import tarfile
import time
import zipfile
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple, Union

from .settings import ProjectMetadata

GENERATOR = "swiftbind"


def _date_time() -> Tuple[int, ...]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    return time.gmtime(max(epoch, 315532800))[:6]


def metadata_text(meta: ProjectMetadata) -> str:
    """The core metadata file (METADATA / PKG-INFO), version 2.4."""
    return meta.text()


def entry_points_text(entry_points: Dict[str, Dict[str, str]]) -> str:
    out = []
    for group, items in entry_points.items():
        out.append(f"[{group}]")
        out.extend(f"{k} = {v}" for k, v in items.items())
        out.append("")
    return "\n".join(out)


def expand_tags(tag: str) -> List[str]:
    """A compressed tag set, one tag each: ``cp311-cp311-a.b`` -> ``cp311-cp311-a``, ``...-b``."""
    interpreters, abis, platforms = (part.split(".") for part in tag.split("-"))
    return [f"{i}-{a}-{p}" for i in interpreters for a in abis for p in platforms]


def wheel_text(tag: str, purelib: bool) -> str:
    from . import __version__

    tags = "".join(f"Tag: {t}\n" for t in expand_tags(tag))
    return (f"Wheel-Version: 1.0\nGenerator: {GENERATOR} {__version__}\n"
            f"Root-Is-Purelib: {'true' if purelib else 'false'}\n{tags}")


def record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


class WheelWriter:
    """Collects files, then writes ``<name>-<version>-<tag>.whl`` in one go.

    >>> w = WheelWriter(meta, "cp311-cp311-linux_x86_64")
    >>> w.add("hello.cpython-311-x86_64-linux-gnu.so", so_path)
    >>> w.write(Path("dist"))
    """

    def __init__(self, meta: ProjectMetadata, tag: str, purelib: bool = False):
        from packaging.tags import parse_tag

        if len(tag.split("-")) != 3 or not parse_tag(tag):
            raise ValueError(f"{tag!r} is not a wheel tag (interpreter-abi-platform)")
        self.meta = meta
        self.tag = tag
        self.purelib = purelib
        self._files: Dict[str, Tuple[bytes, bool]] = {}

    @property
    def dist_info(self) -> str:
        return f"{self.meta.wheel_name}-{self.meta.version}.dist-info"

    @property
    def filename(self) -> str:
        return f"{self.meta.wheel_name}-{self.meta.version}-{self.tag}.whl"

    def add(self, arcname: str, source: Union[Path, str, bytes], executable: Optional[bool] = None) -> None:
        """Add a file; ``source`` is a path or the bytes themselves."""
        if isinstance(source, (str, Path)):
            path = Path(source)
            data = path.read_bytes()
            if executable is None:
                executable = bool(path.stat().st_mode & stat.S_IXUSR)
        else:
            data = source
        arcname = arcname.replace(os.sep, "/").lstrip("/")
        if arcname in self._files:
            raise ValueError(f"{arcname} added twice to the wheel")
        self._files[arcname] = (data, bool(executable))

    @property
    def files(self) -> List[str]:
        """The archive names added so far."""
        return list(self._files)

    def discard(self, arcname: str) -> None:
        """Forget a file added earlier (a stale one, about to be replaced)."""
        self._files.pop(arcname, None)

    def add_tree(self, root: Path, prefix: str = "", skip_suffixes: Iterable[str] = ()) -> None:
        """Add every file below ``root``, skipping caches and ``skip_suffixes``."""
        skip = (".pyc", *skip_suffixes)
        for path in sorted(Path(root).rglob("*")):
            rel = path.relative_to(root)
            if path.is_dir() or "__pycache__" in rel.parts or path.name.endswith(skip):
                continue
            self.add(f"{prefix}{rel.as_posix()}", path)

    def metadata_files(self) -> Dict[str, bytes]:
        files = {"METADATA": metadata_text(self.meta).encode("utf-8"),
                 "WHEEL": wheel_text(self.tag, self.purelib).encode("utf-8")}
        if self.meta.entry_points:
            files["entry_points.txt"] = entry_points_text(self.meta.entry_points).encode("utf-8")
        for rel in self.meta.license_files:
            # PEP 639: each License-File, at its path below .dist-info/licenses/.
            files[f"licenses/{rel.as_posix()}"] = (self.meta.project_dir / rel).read_bytes()
        return files

    def write(self, out_dir: Path) -> Path:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        entries: List[Tuple[str, bytes, bool]] = [(n, d, x) for n, (d, x) in sorted(self._files.items())]
        entries += [(f"{self.dist_info}/{n}", d, False) for n, d in self.metadata_files().items()]
        record = io.StringIO()
        rows = csv.writer(record, lineterminator="\n")
        for name, data, _ in entries:
            rows.writerow([name, record_hash(data), len(data)])
        rows.writerow([f"{self.dist_info}/RECORD", "", ""])
        entries.append((f"{self.dist_info}/RECORD", record.getvalue().encode("utf-8"), False))
        from packaging.utils import parse_wheel_filename

        parse_wheel_filename(self.filename)  # name, version and tags as installers read them
        target = out_dir / self.filename
        tmp = target.with_suffix(".whl.part")
        when = _date_time()
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data, executable in entries:
                info = zipfile.ZipInfo(name, date_time=when)
                info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
        os.replace(tmp, target)
        return target


def write_metadata_dir(meta: ProjectMetadata, tag: str, directory: Path, purelib: bool = False) -> str:
    """``prepare_metadata_for_build_wheel``: write the dist-info folder, return its name."""
    writer = WheelWriter(meta, tag, purelib)
    dist_info = Path(directory) / writer.dist_info
    dist_info.mkdir(parents=True, exist_ok=True)
    for name, data in writer.metadata_files().items():
        (dist_info / name).parent.mkdir(parents=True, exist_ok=True)
        (dist_info / name).write_bytes(data)
    return writer.dist_info


# Never part of an sdist: build output, caches, VCS data, editor links.
SDIST_EXCLUDE = {".git", ".hg", ".svn", ".build", ".swiftpm", ".build-swiftbind",
                 ".swiftbind-runtime", "__pycache__", "dist", "build", "venv", ".venv",
                 ".pytest_cache", ".mypy_cache", ".tox", ".nox", "Package.resolved"}


def _sdist_skip(rel: Path) -> bool:
    for part in rel.parts:
        if part in SDIST_EXCLUDE or part.startswith((".venv", ".build")):
            return True
    return rel.suffix in {".so", ".pyc", ".o", ".whl"} or rel.name.endswith(".tar.gz")


class GitIgnore:
    """The patterns of a project's top-level ``.gitignore``, as far as an sdist needs.

    Supported: comments, blank lines, ``dir/`` (folders only), a leading or inner
    ``/`` (anchored at the project root), ``*``/``?``/``[...]`` and ``**``,
    ``!pattern`` (re-include).  Nested ``.gitignore`` files are not read.
    """

    def __init__(self, text: str = ""):
        import re

        self.rules: List[Tuple[bool, bool, "re.Pattern[str]"]] = []
        for line in text.splitlines():
            line = line.rstrip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line[1:] if negate else line
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            line = line.lstrip("/")
            self.rules.append((negate, dir_only, re.compile(self._regex(line, anchored))))

    @staticmethod
    def _regex(pattern: str, anchored: bool) -> str:
        import re

        out, i = "", 0
        while i < len(pattern):
            c = pattern[i]
            if pattern.startswith("**/", i):
                out, i = out + "(?:.*/)?", i + 3
                continue
            if pattern.startswith("**", i):
                out, i = out + ".*", i + 2
                continue
            if c == "*":
                out += "[^/]*"
            elif c == "?":
                out += "[^/]"
            elif c == "[":
                j = pattern.find("]", i + 1)
                if j < 0:
                    out += re.escape(c)
                else:
                    out, i = out + "[" + pattern[i + 1:j].replace("!", "^", 1) + "]", j
            else:
                out += re.escape(c)
            i += 1
        return ("^" if anchored else "^(?:.*/)?") + out + "$"

    def ignored(self, rel: str, is_dir: bool) -> bool:
        hit = False
        for negate, dir_only, regex in self.rules:
            if dir_only and not is_dir:
                continue
            if regex.match(rel):
                hit = not negate
        return hit


def sdist_files(project_dir: Path) -> List[Path]:
    """The project's source files (relative paths): everything but build output,
    virtual environments, VCS data and what ``.gitignore`` ignores."""
    project_dir = Path(project_dir)
    gitignore = project_dir / ".gitignore"
    rules = GitIgnore(gitignore.read_text(encoding="utf-8", errors="replace")
                      if gitignore.is_file() else "")
    found: List[Path] = []

    def walk(folder: Path) -> None:
        for path in sorted(folder.iterdir()):
            rel = path.relative_to(project_dir)
            if path.is_symlink() or _sdist_skip(rel):
                continue
            if path.is_dir():
                # Any virtual environment, whatever its name.
                if not (path / "pyvenv.cfg").exists() and not rules.ignored(rel.as_posix(), True):
                    walk(path)
            elif not rules.ignored(rel.as_posix(), False):
                found.append(rel)
    walk(project_dir)
    return found


def write_sdist(meta: ProjectMetadata, project_dir: Path, out_dir: Path,
                extra: Optional[Dict[str, Path]] = None) -> Path:
    """Write ``<name>-<version>.tar.gz`` with the project's sources and PKG-INFO.

    ``extra`` maps archive paths (relative to the sdist root) to files to add.
    """
    project_dir = Path(project_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = f"{meta.wheel_name}-{meta.version}"
    files: Dict[str, Union[Path, bytes]] = {}
    for rel in sdist_files(project_dir):
        files[rel.as_posix()] = project_dir / rel
    for name, path in (extra or {}).items():
        files[name] = path
    files["PKG-INFO"] = metadata_text(meta).encode("utf-8")
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    target = out_dir / f"{base}.tar.gz"
    tmp = out_dir / f"{base}.tar.gz.part"
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=mtime) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            src = files[name]
            data = src.read_bytes() if isinstance(src, Path) else src
            info = tarfile.TarInfo(f"{base}/{name}")
            info.size = len(data)
            info.mtime = mtime
            info.mode = 0o755 if isinstance(src, Path) and src.stat().st_mode & stat.S_IXUSR else 0o644
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    os.replace(tmp, target)
    return target
