"""PEP 517 / PEP 660 build backend for swiftbind projects.

Name it in a project's ``pyproject.toml``::

    [build-system]
    requires = ["swiftbind>=0.1"]
    build-backend = "swiftbind.build"

pip imports this module for every build step, so it imports nothing heavy
until a hook runs.  ``config_settings`` understood: ``profile=debug`` builds
a debug extension (default ``release``), ``python=/path/to/python`` targets
another interpreter (rarely useful under pip), ``compat=linux`` writes a
plain ``linux_<arch>`` wheel instead of a manylinux one, ``abi3=3.10`` one
abi3 wheel for CPython 3.10+ (``abi3=none``: version-specific).
"""
from __future__ import annotations

import sys

__all__ = ["build_wheel", "build_sdist", "build_editable", "get_requires_for_build_wheel",
           "get_requires_for_build_sdist", "get_requires_for_build_editable",
           "prepare_metadata_for_build_wheel", "prepare_metadata_for_build_editable"]


def _friendly(hook):
    """Report a SwiftBindBuildError as its message (pip shows it), not a traceback."""
    import functools

    @functools.wraps(hook)
    def run(*args, **kwargs):
        from .errors import SwiftBindBuildError

        try:
            return hook(*args, **kwargs)
        except SwiftBindBuildError as e:
            print(f"swiftbind: error: {e}", file=sys.stderr, flush=True)
            raise SystemExit(1) from None
    return run


def _requires():
    # pyproject.toml is read with tomllib on 3.11+; older Pythons need tomli.
    return [] if sys.version_info >= (3, 11) else ["tomli>=1.1"]


def _options(config_settings):
    config_settings = config_settings or {}
    profile = config_settings.get("profile", "release")
    if profile not in ("release", "debug"):
        from .errors import ConfigError

        raise ConfigError(f"config setting profile={profile!r} is unknown; use release or debug")
    return profile == "release", config_settings.get("python")


def get_requires_for_build_wheel(config_settings=None):
    return _requires()


def get_requires_for_build_sdist(config_settings=None):
    return _requires()


def get_requires_for_build_editable(config_settings=None):
    return _requires()


@_friendly
def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    from .settings import load_settings
    from .target import python_target
    from .wheel import write_metadata_dir

    _, python = _options(config_settings)
    settings = load_settings(".")
    return write_metadata_dir(settings.metadata, python_target(python).tag, metadata_directory)


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


@_friendly
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    from . import builder

    release, python = _options(config_settings)
    compat = (config_settings or {}).get("compat")
    abi3 = (config_settings or {}).get("abi3")
    return builder.build_wheel(".", wheel_directory, python=python, release=release,
                               quiet=False, compat=compat, abi3=abi3).name


@_friendly
def build_sdist(sdist_directory, config_settings=None):
    from . import builder

    return builder.build_sdist(".", sdist_directory).name


@_friendly
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """Build the extension in place and install a .pth pointing at the project.

    Edits to Python files show up at once; after editing Swift code run
    ``swiftbind develop`` (or reinstall) to rebuild the extension.
    """
    from . import builder
    from .settings import load_settings
    from .target import python_target
    from .wheel import WheelWriter

    release, python = _options(config_settings)
    settings = load_settings(".")
    builder.develop(settings.project_dir, python=python, release=release, quiet=False,
                    abi3=(config_settings or {}).get("abi3"))
    writer = WheelWriter(settings.metadata, python_target(python).tag, purelib=False)
    where = builder.develop_dir(settings)
    writer.add(f"_swiftbind_editable_{settings.metadata.wheel_name}.pth",
               (str(where) + "\n").encode("utf-8"))
    return writer.write(wheel_directory).name
