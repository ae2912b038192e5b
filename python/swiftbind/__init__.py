"""swiftbind: write CPython extension modules in Swift.

This package is the build side of swiftbind: the ``swiftbind`` command line,
the PEP 517 backend that user projects name in ``pyproject.toml``
(``build-backend = "swiftbind.build"``) and :func:`swiftbind.builder.build_extension`
for tests and benchmarks.  It also carries a copy of the Swift runtime, found by
:func:`runtime_path`.

Importing this package is cheap on purpose: pip imports the backend for every
build, so heavy modules are imported inside the functions that need them.
"""
from __future__ import annotations

import os

from .errors import SwiftBindBuildError

__version__ = "0.1.0"
__all__ = ["SwiftBindBuildError", "__version__", "runtime_path", "checkout_root"]

_HERE = os.path.dirname(os.path.abspath(__file__))


def checkout_root():
    """Return the repository root when running from a source checkout, else None.

    A checkout is recognised by ``../../Package.swift`` next to
    ``../../Sources/SwiftBind`` (this file lives in ``python/swiftbind/``).
    """
    from pathlib import Path

    root = Path(_HERE).parent.parent
    if (root / "Package.swift").is_file() and (root / "Sources" / "SwiftBind").is_dir():
        return root
    return None


def runtime_path():
    """Return the folder holding the Swift runtime package (``Package.swift``
    with the ``SwiftBind`` product).

    That is ``swiftbind/runtime/`` in an installed wheel, or the repository
    root when running from a source checkout (or an editable install of it).
    The build tool passes it to ``swift build`` as ``SWIFTBIND_RUNTIME``.
    """
    from pathlib import Path

    installed = Path(_HERE) / "runtime"
    if (installed / "Package.swift").is_file():
        return installed
    root = checkout_root()
    if root is not None:
        return root
    raise SwiftBindBuildError(
        f"the swiftbind runtime is missing: neither {installed}/Package.swift nor a "
        "source checkout around this package was found; reinstall swiftbind from its wheel "
        "(`pip install --force-reinstall swiftbind`) or from a full checkout of the repository"
    )
