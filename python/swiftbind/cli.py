"""The ``swiftbind`` command line (also ``python -m swiftbind``)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from .errors import SwiftBindBuildError


def _cmd_new(args) -> None:
    if args.embed:
        from .embed import new_embed_project

        root = new_embed_project(args.name, Path(args.path))
        print(f"created {root}\nnext: cd {root} && swift run {args.name} $(swiftbind embed-flags)")
        return
    from .scaffold import new_project

    root = new_project(args.name, Path(args.path))
    print(f"created {root}\nnext: cd {root} && swiftbind develop && "
          f"python -c 'import {args.name}; print({args.name}.greet(\"world\"))'")


def _cmd_develop(args) -> None:
    from .builder import develop

    for path in develop(args.dir, python=args.python, release=not args.debug, quiet=args.quiet,
                        abi3=args.abi3):
        print(path)


def _interpreters(args) -> Optional[List[str]]:
    """The executables of --interpreter / --find-interpreters; None when neither is given."""
    from .errors import ConfigError
    from .interpreters import find_interpreters, named_interpreters

    if not (args.interpreter or args.find_interpreters):
        return None
    if args.python:
        raise ConfigError("--python names one interpreter, --interpreter/--find-interpreters "
                          "several; use one of them")
    found = find_interpreters() if args.find_interpreters else []
    named = named_interpreters(args.interpreter or [])
    return [t.executable for t in [*found, *named]]


def _cmd_build(args) -> None:
    from .builder import build_sdist, build_wheel, build_wheels

    out = Path(args.out)
    pythons = _interpreters(args)
    if args.sdist:
        print(build_sdist(args.dir, out))
    if args.wheel or not args.sdist:
        if pythons is None:
            wheels = [build_wheel(args.dir, out, python=args.python, release=not args.debug,
                                  quiet=args.quiet, compat=args.compat, abi3=args.abi3)]
        else:
            wheels = build_wheels(args.dir, out, pythons, release=not args.debug,
                                  quiet=args.quiet, compat=args.compat, abi3=args.abi3)
        for wheel in wheels:
            print(wheel)


def _cmd_stubs(args) -> None:
    from .builder import stubs

    for path in stubs(args.dir, args.out, python=args.python):
        print(path)


def _cmd_embed_flags(args) -> None:
    from .embed import embed_flags

    print(" ".join(embed_flags(args.python)))


def _cmd_runtime_path(args) -> None:
    from . import runtime_path

    print(runtime_path())


def _cmd_wheelhouse(args) -> None:
    from ._self_backend import write_dependency_wheels, write_self_wheel

    wheel = write_self_wheel(Path(args.dir))
    print(wheel)
    for dependency in write_dependency_wheels(Path(args.dir)):
        print(dependency)
    print(f"point pip at it: PIP_FIND_LINKS={Path(args.dir).resolve()} pip install ./yourproject",
          file=sys.stderr)


def _cmd_generate_ci(args) -> None:
    from .ci import generate_github

    print(generate_github(args.dir, out=args.out, force=args.force))


def parser() -> argparse.ArgumentParser:
    from . import __version__

    p = argparse.ArgumentParser(
        prog="swiftbind", description="Build CPython extension modules written in Swift.")
    p.add_argument("--version", action="version", version=f"swiftbind {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    s = sub.add_parser("new", help="create a project with a Swift extension module")
    s.add_argument("name", help="module and project name (a Python identifier)")
    s.add_argument("--path", default=".", help="folder to create the project in (default: .)")
    s.add_argument("--embed", action="store_true",
                   help="create a Swift program that embeds Python (SwiftBindEmbed), with a test, "
                        "instead of an extension module")
    s.set_defaults(func=_cmd_new)

    def build_options(s, quiet_default):
        s.add_argument("dir", nargs="?", default=".", help="project folder (default: .)")
        s.add_argument("--debug", action="store_true", help="debug build (default: release)")
        s.add_argument("--python", default=None, metavar="PYTHON",
                       help="interpreter to build for (default: the one running swiftbind)")
        s.add_argument("--abi3", default=None, metavar="3.X",
                       help="build one abi3 extension for CPython 3.X and newer (the limited API; "
                            "lowest 3.10), or `none` for a version-specific one; default: "
                            "[tool.swiftbind] abi3, else version-specific")
        group = s.add_mutually_exclusive_group()
        group.add_argument("-q", "--quiet", dest="quiet", action="store_true", default=quiet_default,
                           help="show compiler output only when it fails")
        group.add_argument("-v", "--verbose", dest="quiet", action="store_false",
                           help="show compiler output as it runs")

    s = sub.add_parser("develop", help="build the extension in place (next to the Python sources)")
    build_options(s, quiet_default=False)
    s.set_defaults(func=_cmd_develop)

    s = sub.add_parser("build", help="build a wheel (and/or an sdist)")
    build_options(s, quiet_default=False)
    s.add_argument("--out", "-o", default="dist", help="output folder (default: dist)")
    s.add_argument("--sdist", action="store_true", help="write an sdist (alone unless --wheel)")
    s.add_argument("--wheel", action="store_true", help="with --sdist: write the wheel too")
    s.add_argument("--compat", choices=("manylinux", "linux"), default=None,
                   help="platform tag on Linux: manylinux (the oldest policy the extension "
                        "meets; fails if none) or linux (this machine only, PyPI refuses it); "
                        "default: [tool.swiftbind] compat, else manylinux")
    s.add_argument("-i", "--interpreter", nargs="+", metavar="PYTHON", default=None,
                   help="build one wheel for each of these interpreters (names on PATH or "
                        "paths), in one run")
    s.add_argument("--find-interpreters", "--find-interpreter", action="store_true",
                   help="build one wheel for every CPython 3.9-3.13 found on PATH (python3.X) "
                        "and in ~/.pyenv/versions; with --interpreter, those too")
    s.set_defaults(func=_cmd_build)

    s = sub.add_parser("generate-ci", help="write a CI workflow that builds, tests and "
                                           "publishes the wheels")
    s.add_argument("provider", choices=("github",), help="CI service (github: GitHub Actions)")
    s.add_argument("dir", nargs="?", default=".", help="project folder (default: .)")
    s.add_argument("--out", "-o", default=None, type=Path,
                   help="file to write (default: DIR/.github/workflows/wheels.yml)")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")
    s.set_defaults(func=_cmd_generate_ci)

    s = sub.add_parser("stubs", help="write the type stub (NAME.pyi) of the in-place built extension")
    s.add_argument("dir", nargs="?", default=".", help="project folder (default: .)")
    s.add_argument("--out", "-o", default=None,
                   help="folder to write into (default: beside the extension)")
    s.add_argument("--python", default=None, metavar="PYTHON",
                   help="interpreter the extension was built for (default: the one running swiftbind)")
    s.set_defaults(func=_cmd_stubs)

    s = sub.add_parser("embed-flags", help="print the swift build/run/test flags that embed a "
                                           "CPython: swift build $(swiftbind embed-flags)")
    s.add_argument("--python", default=None, metavar="PYTHON",
                   help="interpreter to embed (default: the one running swiftbind)")
    s.set_defaults(func=_cmd_embed_flags)

    s = sub.add_parser("runtime-path", help="print the folder of the Swift runtime package")
    s.set_defaults(func=_cmd_runtime_path)

    s = sub.add_parser("wheelhouse", help="write the swiftbind wheel itself (and its "
                                          "dependencies') into DIR, for PIP_FIND_LINKS=DIR")
    s.add_argument("dir", help="folder to write the wheel into")
    s.set_defaults(func=_cmd_wheelhouse)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except SwiftBindBuildError as e:
        print(f"swiftbind: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
