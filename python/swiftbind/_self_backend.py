"""The build backend of swiftbind itself (``backend-path = ["python"]``).

The wheel holds ``python/swiftbind/`` plus the Swift runtime at
``swiftbind/runtime/`` (``runtime_manifest/Package.swift`` and copies of the
repository's ``Sources/CPython`` and ``Sources/SwiftBind``).  The editable
wheel is a .pth pointing at ``python/``; :func:`runtime_path` then finds the
checkout.  :func:`write_self_wheel` also serves ``swiftbind wheelhouse``, from
a checkout or by repacking an installed copy.
"""
from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent          # python/swiftbind
ROOT = PACKAGE.parent.parent                       # the repository
RUNTIME_TARGETS = ("CPython", "SwiftBind")
TAG = "py3-none-any"


def _requires():
    return [] if sys.version_info >= (3, 11) else ["tomli>=1.1"]


def get_requires_for_build_wheel(config_settings=None):
    return _requires()


get_requires_for_build_sdist = get_requires_for_build_editable = get_requires_for_build_wheel


def _is_checkout() -> bool:
    return (ROOT / "pyproject.toml").is_file() and (PACKAGE.parent.name == "python")


def _metadata():
    from .settings import _metadata as read_project, load_toml

    pyproject = ROOT / "pyproject.toml"
    return read_project(load_toml(pyproject).get("project", {}), pyproject)


def _checkout_writer():
    from .errors import SwiftBindBuildError
    from .wheel import WheelWriter

    writer = WheelWriter(_metadata(), TAG, purelib=True)
    writer.add_tree(PACKAGE, prefix="swiftbind/", skip_suffixes=(".so",))
    manifest = PACKAGE / "runtime_manifest" / "Package.swift"
    writer.add("swiftbind/runtime/Package.swift", manifest)
    for target in RUNTIME_TARGETS:
        source = ROOT / "Sources" / target
        if not source.is_dir():
            raise SwiftBindBuildError(f"{source} is missing; build the swiftbind wheel from a "
                                      "full checkout (or sdist) that has the Swift runtime sources")
        writer.add_tree(source, prefix=f"swiftbind/runtime/Sources/{target}/")
    return writer


def _installed_writer():
    """Repack an installed swiftbind (no checkout around) into a wheel."""
    from importlib import metadata

    from .settings import project_metadata
    from .wheel import WheelWriter

    dist = metadata.distribution("swiftbind")
    raw = {name: dist.read_text(name) for name in ("METADATA", "entry_points.txt")}

    class _Repack(WheelWriter):
        def metadata_files(self):
            files = super().metadata_files()
            files.update({k: v.encode("utf-8") for k, v in raw.items() if v})
            return files

    writer = _Repack(project_metadata({"name": dist.metadata["Name"], "version": dist.version}),
                     TAG, purelib=True)
    writer.add_tree(PACKAGE, prefix="swiftbind/", skip_suffixes=(".so",))
    return writer


def write_self_wheel(out_dir) -> Path:
    """Write the swiftbind wheel into ``out_dir`` (for ``swiftbind wheelhouse``)."""
    writer = _checkout_writer() if _is_checkout() else _installed_writer()
    return writer.write(Path(out_dir))


def _runtime_requirements():
    """swiftbind's own ``Requires-Dist`` for this interpreter (markers evaluated)."""
    from packaging.requirements import Requirement

    reqs = list(_metadata().standard.dependencies) if _is_checkout() else \
        [Requirement(r) for r in (_installed_dist().requires or [])]
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def _installed_dist(name: str = "swiftbind"):
    from importlib import metadata

    return metadata.distribution(name)


def write_dependency_wheels(out_dir) -> list:
    """Wheels of swiftbind's pure-Python dependencies, repacked from their installed
    copies, so that a wheelhouse serves pip's isolated builds with no index at all.

    Each dependency (and theirs, recursively) must be installed for this
    interpreter; the wheel is rebuilt from its RECORD (sources, dist-info,
    licenses; no caches, no INSTALLER/REQUESTED/direct_url.json).
    """
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    from .errors import SwiftBindBuildError
    from .settings import project_metadata
    from .wheel import WheelWriter

    todo, done, written = list(_runtime_requirements()), set(), []
    while todo:
        req = todo.pop(0)
        key = canonicalize_name(req.name)
        if key in done:
            continue
        done.add(key)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            raise SwiftBindBuildError(f"swiftbind needs {req} but it is not installed for "
                                      f"{sys.executable}; run `{sys.executable} -m pip install "
                                      f"'{req}'` and try again") from None
        wheel_meta = dist.read_text("WHEEL") or ""
        tags = [line.split(":", 1)[1].strip() for line in wheel_meta.splitlines() if line.startswith("Tag:")]
        if "Root-Is-Purelib: true" not in wheel_meta or len(tags) != 1:
            raise SwiftBindBuildError(f"{dist.metadata['Name']} {dist.version} is not a pure-Python "
                                      "install; download its wheel into the wheelhouse with `pip download`")
        files, dist_files = {}, {}
        for path in dist.files or []:
            parts = path.parts
            if parts[0] == ".." or "__pycache__" in parts or path.suffix == ".pyc":
                continue
            if parts[0].endswith(".dist-info"):
                if parts[-1] not in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json"):
                    dist_files["/".join(parts[1:])] = path.locate().read_bytes()
            else:
                files[path.as_posix()] = path.locate().read_bytes()

        class _Repack(WheelWriter):
            def metadata_files(self, _files=dist_files):
                return dict(_files)

        writer = _Repack(project_metadata({"name": dist.metadata["Name"], "version": dist.version}),
                         tags[0], purelib=True)
        for name, data in sorted(files.items()):
            writer.add(name, data)
        written.append(writer.write(Path(out_dir)))
        todo += [r for r in map(Requirement, dist.requires or [])
                 if r.marker is None or r.marker.evaluate({"extra": ""})]
    return written


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _checkout_writer().write(Path(wheel_directory)).name


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    from .wheel import WheelWriter

    writer = WheelWriter(_metadata(), TAG, purelib=True)
    writer.add("_swiftbind_editable.pth", (str(PACKAGE.parent) + "\n").encode("utf-8"))
    return writer.write(Path(wheel_directory)).name


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    from .wheel import write_metadata_dir

    return write_metadata_dir(_metadata(), TAG, Path(metadata_directory), purelib=True)


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_sdist(sdist_directory, config_settings=None):
    from .wheel import write_sdist

    extra = {"pyproject.toml": ROOT / "pyproject.toml"}
    for pattern in ("README*", "LICENSE*"):
        for path in ROOT.glob(pattern):
            extra[path.name] = path
    for top in [PACKAGE.parent] + [ROOT / "Sources" / t for t in RUNTIME_TARGETS]:
        for path in sorted(top.rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix not in (".pyc", ".so"):
                extra[rel.as_posix()] = path
    # An empty folder as the project: only the files listed above go in.
    import tempfile

    with tempfile.TemporaryDirectory() as empty:
        return write_sdist(_metadata(), Path(empty), Path(sdist_directory), extra=extra).name
