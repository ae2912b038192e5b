"""``swiftbind new NAME``: the files of a fresh project."""
from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Dict

from .errors import ConfigError

# Names SwiftPM would confuse with the runtime's own package and targets.
_RESERVED = {"swiftbind", "cpython", "swiftbindembed"}

PACKAGE_SWIFT = """\
// swift-tools-version:6.0
import PackageDescription
// The build tool sets SWIFTBIND_RUNTIME; the fallback serves editors.
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? ".swiftbind-runtime"
let package = Package(
    name: "{name}",
    products: [.library(name: "{name}", type: .dynamic, targets: ["{name}"])],
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [.target(name: "{name}",
                      dependencies: [.product(name: "SwiftBind", package: "swiftbind")])]
)
"""

PYPROJECT = """\
[build-system]
requires = ["swiftbind>=0.1"]
build-backend = "swiftbind.build"

[project]
name = "{name}"
version = "0.1.0"
description = "A Python extension module written in Swift."
requires-python = ">=3.9"
# license = "MIT"          # an SPDX expression (PEP 639); LICENSE*, COPYING*, NOTICE* files go into the wheel

[tool.swiftbind]
module = "{name}"          # dotted import name of the extension; last part = PyInit_ suffix
# product = "{name}"       # SwiftPM dynamic-library product (default: last part of module)
# python-source = "python" # folder whose packages go into the wheel beside the extension
# abi3 = "3.10"            # one wheel for CPython 3.10 and newer (docs/publishing.md)
"""

SWIFT = """\
import SwiftBind

@_cdecl("PyInit_{name}")
public func PyInit_{name}() -> PythonModuleInit {{
    PythonModule.define("{name}", doc: "A Swift extension module.") {{ m in
        // The Python types come from the Swift ones: help({name}.greet) shows
        // greet(name: str, greeting: str = 'Hello') -> str, and the build
        // writes {name}.pyi for mypy, pyright and IDEs (docs/typing.md).
        m.def("greet(name, greeting='Hello')", doc: "Return a greeting.") {{ (name: String, greeting: String) -> String in
            "\\(greeting), \\(name)!"
        }}
        // Python ints have no size limit; Swift's `+` traps on overflow, which
        // would kill the interpreter. `checked` raises OverflowError instead.
        m.def("add(a, b)", doc: "Add two integers.") {{ (a: Int, b: Int) in
            try checked(a.addingReportingOverflow(b))
        }}
    }}
}}
"""

README = """\
# {name}

A CPython extension module written in Swift with [swiftbind].

```sh
pip install .                 # build a wheel and install it
swiftbind develop             # or: build in place, then `python -c "import {name}"`
python -c "import {name}; print({name}.greet('world'), {name}.add(2, 3))"
```

The Swift code is in `Sources/{name}/{name}.swift`; build settings are under
`[tool.swiftbind]` in `pyproject.toml`.

The module is typed: `help({name}.greet)` shows
`greet(name: str, greeting: str = 'Hello') -> str`, `swiftbind develop` writes
`{name}.pyi` beside the extension, and the wheel carries the stub as
`{name}-stubs/` (PEP 561), so mypy and pyright check calls with no setup.
"""

GITIGNORE = """\
# Swift and swiftbind build folders
.build/
.build-swiftbind/
.swiftpm/
.swiftbind-runtime
Package.resolved
# Python: virtual environments, caches, build output
venv/
.venv*/
env/
__pycache__/
*.so
# the type stub `swiftbind develop` writes beside the extension
/{name}.pyi
*.egg-info/
dist/
build/
wheels/
"""


def validate_name(name: str) -> None:
    """A project name must work as a Python module, a Swift identifier and a SwiftPM target."""
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name) or keyword.iskeyword(name):
        raise ConfigError(
            f"{name!r} cannot be a module name; use a Python identifier made of ASCII letters, "
            "digits and `_` that is not a keyword, e.g. `hello` or `fast_math`")
    if name.lower() in _RESERVED:
        raise ConfigError(f"{name!r} clashes with the swiftbind runtime's own package or "
                          "targets; pick another name")


def project_files(name: str) -> Dict[str, str]:
    """Relative path -> text of every file ``swiftbind new`` writes."""
    validate_name(name)
    return {
        "pyproject.toml": PYPROJECT.format(name=name),
        "Package.swift": PACKAGE_SWIFT.format(name=name),
        f"Sources/{name}/{name}.swift": SWIFT.format(name=name),
        "README.md": README.format(name=name),
        ".gitignore": GITIGNORE.format(name=name),
    }


def new_project(name: str, parent: Path = Path(".")) -> Path:
    """Write project ``name`` into ``parent/name``; refuse to touch an existing path."""
    files = project_files(name)
    root = Path(parent) / name
    if root.exists():
        raise ConfigError(f"{root} already exists; choose another name or --path, or remove it first")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
