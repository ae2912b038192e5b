"""Building extensions, wheels and in-place installs of a swiftbind project.

The command line, the PEP 517 backend, the tests and the benchmarks all go
through :func:`build_extension`, so every extension is built the same way.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from .errors import ConfigError
from .settings import Settings, load_settings, validate_module_name
from .target import python_target

SCRATCH = ".build-swiftbind"


def _log(quiet: bool, message: str) -> None:
    if not quiet:
        print(f"swiftbind: {message}", file=sys.stderr, flush=True)


def extension_relpath(module: str, ext_suffix: str) -> Path:
    """``pkg._ext`` -> ``pkg/_ext<EXT_SUFFIX>``."""
    parts = module.split(".")
    return Path(*parts[:-1], parts[-1] + ext_suffix)


def _install(lib: Path, dest: Path, init_name: str, do_strip: bool) -> None:
    """Copy ``lib`` to ``dest``, strip and check it, then move it into place.

    The final step is a rename, so a process that has the old extension
    mapped keeps a valid file.
    """
    from .elf import check_extension
    from .toolchain import strip

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(lib, tmp)
        os.chmod(tmp, 0o755)
        if do_strip:
            strip(tmp)
        check_extension(tmp, init_name)
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()


def stage_runtime(project_dir: Path) -> Path:
    """The runtime folder to hand to SwiftPM as ``SWIFTBIND_RUNTIME``.

    An installed runtime is mirrored into ``<project>/.build-swiftbind/runtime``
    first: pip builds in a fresh temporary environment every time, and a
    runtime whose path changes would be recompiled by every build.  Only
    changed files are copied (keeping their mtimes), so SwiftPM's incremental
    build sees an unchanged runtime as unchanged.  A source checkout is used
    where it is.
    """
    from . import checkout_root, runtime_path

    source = Path(runtime_path())
    if source == checkout_root():
        return source
    dest = Path(project_dir) / SCRATCH / "runtime"
    wanted = set()
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or "__pycache__" in rel.parts:
            continue
        wanted.add(rel)
        target = dest / rel
        if not target.is_file() or target.read_bytes() != path.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    for path in sorted(dest.rglob("*"), reverse=True):
        rel = path.relative_to(dest)
        if path.is_file() and rel not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return dest


def forget_moved_build(scratch: Path, project_dir: Path, runtime: Path, quiet: bool = True) -> None:
    """Drop the scratch folder of one wheel tag if it was built at another path.

    SwiftPM and clang keep absolute paths in their state (the module cache's
    ``.pcm`` files, build.db, the build plan): after the project folder (or
    the runtime it builds against) is moved, copied or renamed, the next
    build fails with "precompiled file ... was compiled with module cache
    path '<old path>'".  The paths of the last build are recorded in
    ``<scratch>/.swiftbind-paths``; when they differ, the folder is rebuilt
    from scratch (a cold build; nothing in it is worth salvaging).
    """
    stamp = scratch / ".swiftbind-paths"
    paths = f"project {project_dir}\nruntime {runtime}\n"
    if scratch.is_dir() and not (stamp.is_file() and stamp.read_text() == paths):
        if stamp.is_file() or not _plan_mentions(scratch, project_dir):
            _log(quiet, f"{scratch} was built at another path; starting it afresh")
            shutil.rmtree(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    stamp.write_text(paths)


def _plan_mentions(scratch: Path, project_dir: Path) -> bool:
    """For a scratch folder from before the stamp: does SwiftPM's plan name this
    project's path (then it was built here), or is there no plan at all?"""
    plans = [*scratch.glob("release.yaml"), *scratch.glob("debug.yaml")]
    return not plans or any(f"{project_dir}/" in p.read_text(errors="replace") for p in plans)


def build_extension(project_dir, out_dir, modules: Optional[Dict[str, str]] = None,
                    python: Optional[str] = sys.executable, release: bool = True,
                    quiet: bool = True, *, do_strip: Optional[bool] = None,
                    abi3: Optional[str] = None) -> List[Path]:
    """Build the project's extension module(s) into ``out_dir``; return their paths.

    ``modules`` maps dotted module names to SwiftPM products; ``None`` reads
    them from ``[tool.swiftbind]``.  Every product is built with its own
    ``swift build --product`` in one scratch folder
    (``<project>/.build-swiftbind/<wheel tag>``), so the runtime compiles once
    per Python version.  ``python`` picks the interpreter whose headers and
    EXT_SUFFIX are used.  ``pkg._ext`` lands in ``out_dir/pkg/_ext<EXT_SUFFIX>``.
    ``abi3="3.X"`` builds against the limited API instead (``_ext.abi3.so``,
    scratch folder ``cp3X-abi3-<platform>``; see :mod:`swiftbind.abi3`);
    ``None`` (or ``"none"``) builds for ``python``'s version only.
    """
    from . import abi3 as stable
    from .errors import CompileError
    from .toolchain import find_swift, refresh_build_plan, swift_build

    project_dir = Path(project_dir).resolve()
    out_dir = Path(out_dir).resolve()
    if not (project_dir / "Package.swift").is_file():
        raise ConfigError(f"{project_dir} has no Package.swift; build a swiftbind project "
                          "(create one with `swiftbind new NAME`)")
    settings: Optional[Settings] = None
    if modules is None:
        settings = load_settings(project_dir)
        modules = settings.modules
    for module in modules:
        validate_module_name(module)
    if do_strip is None:
        do_strip = settings.strip if settings else True
    find_swift()  # fail early, before asking the interpreter anything
    target = python_target(python)
    target.check_headers()
    floor = stable.parse_floor(abi3, "abi3")
    if floor:
        stable.check_target(floor, target.version, target.executable)
    tag = stable.scratch_tag(floor, target.platform_tag) if floor else target.tag
    ext_suffix = stable.EXT_SUFFIX if floor else target.ext_suffix
    flags = stable.swift_flags(floor) if floor else []
    scratch = project_dir / SCRATCH / tag
    runtime = stage_runtime(project_dir)
    env = {"SWIFTBIND_RUNTIME": str(runtime)}
    forget_moved_build(scratch, project_dir, runtime, quiet)
    refresh_build_plan(scratch, [project_dir / "Sources", runtime / "Sources"])
    built = []
    for module, product in modules.items():
        _log(quiet, f"building {module} (product {product}, "
                    f"{'release' if release else 'debug'}) for {tag}")
        try:
            lib = swift_build(project_dir, product, scratch, target.include,
                              release=release, quiet=quiet, env=env, extra_flags=flags)
        except CompileError as e:
            hint = stable.explain(floor, str(e)) if floor else None
            if hint is None:
                raise
            raise CompileError(f"{e}; {hint}") from None
        dest = out_dir / extension_relpath(module, ext_suffix)
        _install(lib, dest, module.rsplit(".", 1)[-1], do_strip)
        _log(quiet, f"wrote {dest} ({dest.stat().st_size / 1e6:.1f} MB)")
        built.append(dest)
    return built


def build_wheel(project_dir, wheel_dir, python: Optional[str] = None, release: bool = True,
                quiet: bool = True, compat: Optional[str] = None, abi3: Optional[str] = None) -> Path:
    """Build the extension and write a wheel for ``python`` into ``wheel_dir``.

    On Linux the wheel is tagged with the oldest manylinux policy the built
    extensions satisfy (see :mod:`swiftbind.manylinux`); ``compat="linux"``
    (default: ``[tool.swiftbind] compat``) keeps the plain ``linux_<arch>`` tag.
    ``abi3`` (default: ``[tool.swiftbind] abi3``; ``"none"``: version-specific)
    writes one ``cp3X-abi3`` wheel for every CPython from 3.X on.
    """
    from . import abi3 as stable
    from .manylinux import platform_tag
    from .settings import validate_compat
    from .wheel import WheelWriter

    settings = load_settings(project_dir)
    compat = compat or settings.compat
    validate_compat(compat, "--compat")
    abi3 = settings.abi3 if abi3 is None else abi3
    floor = stable.parse_floor(abi3, "abi3")
    target = python_target(python)
    with tempfile.TemporaryDirectory(prefix="swiftbind-wheel-") as tmp:
        paths = build_extension(settings.project_dir, tmp, settings.modules, python=target.executable,
                                release=release, quiet=quiet, do_strip=settings.strip, abi3=abi3)
        platform = platform_tag(paths, target.platform, compat)
        _log(quiet, f"platform tag {platform}" + ("" if compat == "manylinux" else f" (compat {compat})"))
        if floor:
            tag = f"{stable.interpreter_tag(floor)}-abi3-{platform}"
        else:
            tag = f"{target.interpreter_tag}-{target.abi_tag}-{platform}"
        writer = WheelWriter(settings.metadata, tag, purelib=False)
        source = settings.python_source_dir
        if source is not None:
            # Extensions lying in the sources are in-place builds (swiftbind develop),
            # possibly stale or for another Python: the fresh build replaces them.
            writer.add_tree(source, skip_suffixes=(".so",))
        for path in paths:
            writer.add(path.relative_to(tmp).as_posix(), path, executable=True)
        add_stubs(writer, settings.modules, paths, Path(tmp), target.executable, quiet)
        wheel = writer.write(Path(wheel_dir))
    _log(quiet, f"wrote {wheel}")
    return wheel


def build_wheels(project_dir, wheel_dir, pythons: List[str], release: bool = True,
                 quiet: bool = True, compat: Optional[str] = None,
                 abi3: Optional[str] = None) -> List[Path]:
    """One wheel per interpreter in ``pythons`` (paths), in one run.

    Each interpreter builds in its own scratch folder (one per wheel tag), so
    the runtime compiles once per Python version and a second run is
    incremental.  With abi3 (``abi3``, default ``[tool.swiftbind] abi3``) one
    wheel serves them all: it is built once, with the oldest interpreter
    given that is at least the floor.
    """
    from . import abi3 as stable
    from .interpreters import unique_targets

    targets = unique_targets(pythons)
    abi3 = load_settings(project_dir).abi3 if abi3 is None else abi3
    floor = stable.parse_floor(abi3, "abi3")
    if floor:
        usable = [t for t in targets if t.version >= floor]
        if not usable:
            found = ", ".join("%d.%d" % t.version for t in targets)
            raise ConfigError(f"abi3 = \"{floor[0]}.{floor[1]}\" needs the headers of CPython "
                              f"{floor[0]}.{floor[1]} or newer, but the interpreters given are {found}; "
                              f"add python{floor[0]}.{floor[1]} (or newer) to --interpreter")
        targets = [min(usable, key=lambda t: t.version)]
        _log(quiet, f"abi3 = {floor[0]}.{floor[1]}: one wheel for every interpreter, built with "
                    f"{targets[0].executable}")
    return [build_wheel(project_dir, wheel_dir, python=t.executable, release=release,
                        quiet=quiet, compat=compat, abi3=abi3) for t in targets]


def add_stubs(writer, modules: Dict[str, str], paths: List[Path], tmp: Path, python: str, quiet: bool) -> None:
    """Generates the type stubs of the built extensions (in ``python``) and
    adds them to the wheel, PEP 561 style (see :func:`stubgen.stub_layout`).
    A stub from an in-place build in the sources is replaced; a ``py.typed``
    the sources ship is kept."""
    from .stubgen import write_stubs

    stubs = tmp / "stubs"
    built = dict(zip(modules, paths))
    for path in write_stubs(built, stubs, python, stub_only=True, strict=False):
        arcname = path.relative_to(stubs).as_posix()
        if arcname in writer.files:
            if path.name == "py.typed":
                continue
            writer.discard(arcname)
        writer.add(arcname, path, executable=False)
        _log(quiet, f"type stub {arcname}")


def build_sdist(project_dir, sdist_dir) -> Path:
    from .wheel import write_sdist

    settings = load_settings(project_dir)
    return write_sdist(settings.metadata, settings.project_dir, Path(sdist_dir))


def develop_dir(settings: Settings) -> Path:
    """Where an in-place build puts the extension: python-source, else the project root."""
    return settings.python_source_dir or settings.project_dir


def link_runtime(project_dir: Path) -> Optional[Path]:
    """Point ``<project>/.swiftbind-runtime`` at the runtime, for editors and plain
    ``swift build``.  An existing real folder of that name is left alone.

    The link goes to the staged copy (or the checkout), never into pip's
    temporary build environment, so it stays valid after the build.
    """
    link = Path(project_dir) / ".swiftbind-runtime"
    target = stage_runtime(Path(project_dir))
    if link.is_symlink():
        if Path(os.readlink(link)) == target:
            return link
        link.unlink()
    elif link.exists():
        return None
    link.symlink_to(target, target_is_directory=True)
    return link


def develop(project_dir, python: Optional[str] = None, release: bool = True,
            quiet: bool = False, abi3: Optional[str] = None) -> List[Path]:
    """Build in place so ``import <module>`` works from the project (or an editable install),
    and write its type stub beside it.

    ``abi3`` as for :func:`build_wheel`.  An in-place abi3 build removes the
    version-specific file of the same module, which Python would import first.
    """
    from . import abi3 as stable
    from .stubgen import write_stubs

    settings = load_settings(project_dir)
    abi3 = settings.abi3 if abi3 is None else abi3
    link_runtime(settings.project_dir)
    paths = build_extension(settings.project_dir, develop_dir(settings), settings.modules,
                            python=python, release=release, quiet=quiet, do_strip=settings.strip,
                            abi3=abi3)
    if stable.parse_floor(abi3, "abi3"):
        suffix = python_target(python).ext_suffix
        for module in settings.modules:
            shadow = develop_dir(settings) / extension_relpath(module, suffix)
            if shadow.exists():
                _log(quiet, f"removed {shadow}: Python would import it before the abi3 build")
                shadow.unlink()
    stubs = write_stubs(dict(zip(settings.modules, paths)), develop_dir(settings),
                        python_target(python).executable, stub_only=False, strict=False)
    if stubs:
        _log(quiet, "type stub " + ", ".join(str(p) for p in stubs))
    return paths


def stubs(project_dir, out_dir=None, python: Optional[str] = None) -> List[Path]:
    """``swiftbind stubs``: the stub of each in-place built extension
    (``swiftbind develop``; version-specific, else abi3), written beside it
    or into ``out_dir``."""
    from . import abi3 as stable
    from .errors import ConfigError as _ConfigError
    from .stubgen import write_stubs

    settings = load_settings(project_dir)
    target = python_target(python)
    where = develop_dir(settings)
    built = {}
    for module in settings.modules:
        ext = where / extension_relpath(module, target.ext_suffix)
        if not ext.is_file():
            ext = where / extension_relpath(module, stable.EXT_SUFFIX)
        if not ext.is_file():
            raise _ConfigError(f"{where / extension_relpath(module, target.ext_suffix)} is not built; "
                               "run `swiftbind develop` first" + (f" (with --python {python})" if python else ""))
        built[module] = ext
    return write_stubs(built, Path(out_dir) if out_dir else where, target.executable, stub_only=False)
