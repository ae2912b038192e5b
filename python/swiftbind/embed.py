"""``swiftbind embed-flags`` and ``swiftbind new --embed NAME``: a Swift program
that embeds CPython.

A Swift package that imports ``SwiftBindEmbed`` needs the interpreter's headers
(for the runtime's C shim) and its libpython (to link).  SwiftPM refuses
``unsafeFlags`` in a package used as a dependency, and a system-library target
over ``python3-embed``'s pkg-config would make every extension module link
libpython too (extension modules must not), so the flags travel on the command
line, printed by this module for one interpreter:

    swift build $(swiftbind embed-flags)
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

from .errors import ConfigError

_PROBE = r"""
import json, sys, sysconfig
v = sysconfig.get_config_var
print(json.dumps({
    "include": sysconfig.get_paths()["include"],
    "libdir": v("LIBDIR"),
    "ldversion": v("LDVERSION") or "%d.%d" % sys.version_info[:2],
    "shared": bool(v("Py_ENABLE_SHARED")),
    "version": "%d.%d" % sys.version_info[:2],
    "executable": sys.executable,
}))
"""


def describe_interpreter(python: Optional[str] = None) -> Dict[str, object]:
    """What embedding ``python`` (default: the running interpreter) needs to know."""
    exe = python or sys.executable
    try:
        out = subprocess.run([exe, "-c", _PROBE], check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        raise ConfigError(f"--python {exe}: no such interpreter; pass the path of a CPython 3.9-3.13")
    except subprocess.CalledProcessError as e:
        raise ConfigError(f"--python {exe} failed to describe itself: {e.stderr.strip()}")
    return json.loads(out)


def embed_flags(python: Optional[str] = None) -> List[str]:
    """The ``swift build``/``swift run``/``swift test`` flags that embed ``python``.

    -I for Python.h, -L and -lpython3.X for libpython, and an rpath so the
    program finds libpython at run time without LD_LIBRARY_PATH.
    """
    info = describe_interpreter(python)
    include, libdir = str(info["include"]), str(info["libdir"])
    if not (Path(include) / "Python.h").is_file():
        raise ConfigError(f"Python.h not found in {include}; install the development headers "
                          f"of {info['executable']} (Debian: python{info['version']}-dev)")
    lib = f"python{info['ldversion']}"
    found = [p for p in (Path(libdir) / f"lib{lib}.so", Path(libdir) / f"lib{lib}.a") if p.is_file()]
    if not found:
        raise ConfigError(f"lib{lib}.so not found in {libdir}; {info['executable']} was built without a "
                          "libpython to link (pyenv: PYTHON_CONFIGURE_OPTS=--enable-shared)")
    return ["-Xcc", f"-I{include}", "-Xlinker", f"-L{libdir}", "-Xlinker", f"-l{lib}",
            "-Xlinker", "-rpath", "-Xlinker", libdir]


# --- swiftbind new --embed NAME -------------------------------------------

EMBED_PACKAGE_SWIFT = """\
// swift-tools-version:6.0
//
// A Swift program that embeds CPython through swiftbind.  Build, run and test
// it with the flags for your interpreter (the one set-up step):
//
//     swift build $(swiftbind embed-flags)
//     swift run {name} $(swiftbind embed-flags)
//     swift test $(swiftbind embed-flags)
import PackageDescription
// The swiftbind runtime package: the checkout or installed wheel that made
// this project; SWIFTBIND_RUNTIME overrides it (`swiftbind runtime-path`).
let runtime = Context.environment["SWIFTBIND_RUNTIME"] ?? {runtime}
let package = Package(
    name: "{name}",
    dependencies: [.package(name: "swiftbind", path: runtime)],
    targets: [
        .target(name: "{name}Core",
                dependencies: [.product(name: "SwiftBindEmbed", package: "swiftbind")]),
        .executableTarget(name: "{name}", dependencies: ["{name}Core"]),
        .testTarget(name: "{name}Tests", dependencies: ["{name}Core"]),
    ]
)
"""

EMBED_CORE = """\
import SwiftBindEmbed

/// What {name} asks Python.  Every member requires the GIL.
public enum Statistics {{
    /// The mean of `values`, by Python's `statistics.fmean`.
    public static func mean(_ values: [Double]) throws -> Double {{
        let statistics = try Python.import("statistics")
        return try statistics.callMethod("fmean", values, as: Double.self)
    }}

    /// The interpreter's version, `sys.version_info[:2]`.
    public static func pythonVersion() throws -> String {{
        let info = try Python.versionInfo
        return "\\(try Int(info[0])).\\(try Int(info[1]))"
    }}
}}
"""

EMBED_MAIN = """\
import SwiftBindEmbed
import {name}Core

PythonInterpreter.start(handleSignals: true)
do {{
    let (mean, version) = try withGIL {{
        (try Statistics.mean([1, 2, 3, 4]), try Statistics.pythonVersion())
    }}
    print("mean: \\(mean) (Python \\(version))")
}} catch {{
    print("error: \\(error)")
}}
PythonInterpreter.finalize()
"""

EMBED_TEST = """\
import Testing
import SwiftBindEmbed
import {name}Core

@Suite struct {name}Tests {{
    init() {{ PythonInterpreter.start() }}

    @Test func meanComesFromPython() throws {{
        #expect(try withGIL {{ try Statistics.mean([1, 2, 3, 6]) }} == 3)
    }}

    @Test func pythonErrorsAreThrown() throws {{
        try withGIL {{ () throws in
            // fmean of nothing raises StatisticsError, a ValueError.
            let error = try #require(throws: PythonException.self) {{ try Statistics.mean([]) }}
            #expect(error.matches(.valueError))
        }}
    }}
}}
"""

EMBED_GITIGNORE = ".build/\nPackage.resolved\n"


def embed_project_files(name: str, runtime: str) -> Dict[str, str]:
    """Relative path -> text of every file ``swiftbind new --embed`` writes."""
    return {
        "Package.swift": EMBED_PACKAGE_SWIFT.format(name=name, runtime=json.dumps(runtime)),
        f"Sources/{name}Core/Statistics.swift": EMBED_CORE.format(name=name),
        f"Sources/{name}/main.swift": EMBED_MAIN.format(name=name),
        f"Tests/{name}Tests/{name}Tests.swift": EMBED_TEST.format(name=name),
        ".gitignore": EMBED_GITIGNORE,
    }


def new_embed_project(name: str, parent: Path = Path(".")) -> Path:
    """Write the Swift package ``name`` (a program embedding Python) into ``parent/name``."""
    from . import runtime_path
    from .scaffold import validate_name

    validate_name(name)
    root = Path(parent) / name
    if root.exists():
        raise ConfigError(f"{root} already exists; choose another name or --path, or remove it first")
    for rel, text in embed_project_files(name, str(Path(runtime_path()).resolve())).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
