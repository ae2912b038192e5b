"""``swiftbind generate-ci github``: a GitHub Actions workflow that builds,
tests and publishes a project's wheels.

The workflow has four jobs:

- ``build``: one job per CPython version the project supports (or one job,
  with the floor's CPython, when ``abi3`` is configured: a limited-API wheel
  serves every version from the floor on),
  each installing Swift from swift.org and running ``swiftbind build``; the
  first also writes the sdist.  ``twine check`` and ``auditwheel show`` run
  on what was built, which is uploaded as an artifact.
- ``test``: for every supported version, install the wheel pip picks from the
  artifacts into a fresh venv, import the module, and run ``pytest`` when the
  project has a ``tests/`` folder.
- ``publish-testpypi`` then ``publish-pypi``: on a tag push only, trusted
  publishing (OIDC, ``permissions: id-token: write``, no token in secrets)
  through ``pypa/gh-action-pypi-publish``, TestPyPI first; each job runs in
  an environment (``testpypi``, ``pypi``) that PyPI's publisher settings name.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import List, Optional

from .errors import ConfigError

DEFAULT_PATH = Path(".github/workflows/wheels.yml")
#: When the local toolchain cannot be asked.
FALLBACK_SWIFT = "6.1"


def local_swift_version() -> str:
    """The version of the swift on this machine (``6.3.1``), the one the workflow installs."""
    from .toolchain import find_swift

    try:
        out = subprocess.run([find_swift(), "--version"], capture_output=True, text=True,
                             timeout=60).stdout
    except Exception:
        return FALLBACK_SWIFT
    found = re.search(r"Swift version (\d+\.\d+(?:\.\d+)?)", out)
    return found.group(1) if found else FALLBACK_SWIFT


def supported_versions(requires_python: Optional[str]) -> List[str]:
    """The CPython versions swiftbind supports that ``requires-python`` allows."""
    from packaging.specifiers import SpecifierSet

    from .interpreters import SUPPORTED

    spec = SpecifierSet(requires_python or "")
    versions = [f"{a}.{b}" for a, b in SUPPORTED if spec.contains(f"{a}.{b}.0", prereleases=True)]
    if not versions:
        raise ConfigError(f"requires-python = {requires_python!r} allows none of the CPython "
                          f"versions swiftbind builds for ({', '.join(f'{a}.{b}' for a, b in SUPPORTED)})")
    return versions


def _q(value) -> str:
    """A YAML scalar: JSON strings are valid YAML."""
    return json.dumps(value)


def _version(text: str):
    return tuple(int(x) for x in text.split("."))


def github_workflow(name: str, module: str, versions: List[str], abi3: Optional[str] = None,
                    swift_version: str = FALLBACK_SWIFT, swiftbind_requirement: str = "swiftbind") -> str:
    """The text of the workflow for project ``name`` whose extension is ``module``.

    ``abi3`` is the floor (``"3.10"``): one build with that CPython, tests on
    every version of ``versions`` from the floor on.
    """
    if abi3:
        build_versions = [abi3]
        versions = [v for v in versions if _version(v) >= _version(abi3)]
        if not versions:
            raise ConfigError(f"abi3 = {abi3!r} is newer than every version requires-python allows")
    else:
        build_versions = versions
    what = (f"one abi3 wheel (limited API, CPython {abi3}+), built with CPython {abi3}"
            if abi3 else "one wheel per CPython version")
    flow = f"""\
# Written by `swiftbind generate-ci github`: {what}, tested on every
# supported version, published with trusted publishing (TestPyPI, then PyPI)
# when a tag is pushed. Before the first release, add this workflow as a
# (pending) trusted publisher on test.pypi.org and pypi.org: repository, workflow
# file name and environment (`testpypi` / `pypi`).
name: wheels

on:
  push:
    branches: [main]
    tags: ["v*"]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

env:
  SWIFT_VERSION: {_q(swift_version)}
  # What pip installs to build: the swiftbind release this project was made with.
  SWIFTBIND: {_q(swiftbind_requirement)}

jobs:
  build:
    name: build (CPython ${{{{ matrix.python }}}})
    runs-on: ubuntu-22.04
    strategy:
      fail-fast: false
      matrix:
        python: {_q(build_versions)}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{{{ matrix.python }}}}
      - name: Install Swift ${{{{ env.SWIFT_VERSION }}}}
        run: |
          v="$SWIFT_VERSION"
          curl -fsSL "https://download.swift.org/swift-$v-release/ubuntu2204/swift-$v-RELEASE/swift-$v-RELEASE-ubuntu22.04.tar.gz" \\
            | sudo tar -xz -C /opt
          echo "/opt/swift-$v-RELEASE-ubuntu22.04/usr/bin" >> "$GITHUB_PATH"
      - name: Install the build tools
        run: python -m pip install "$SWIFTBIND" twine auditwheel
      - name: Build the wheel{'' if abi3 else ' (and, once, the sdist)'}
        run: |
          if [ "${{{{ matrix.python }}}}" = {_q(build_versions[0])} ]; then sdist=--sdist; else sdist=; fi
          swiftbind build --wheel $sdist --out dist
      - name: Check what PyPI will see
        run: |
          python -m twine check --strict dist/*
          python -m auditwheel show dist/*.whl
      - uses: actions/upload-artifact@v4
        with:
          name: dist-${{{{ matrix.python }}}}
          path: dist/

  test:
    name: test (CPython ${{{{ matrix.python }}}})
    needs: build
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        python: {_q(versions)}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{{{ matrix.python }}}}
      - uses: actions/download-artifact@v4
        with:
          pattern: dist-*
          merge-multiple: true
          path: dist/
      - name: Install the wheel into a fresh venv
        run: |
          python -m venv /tmp/venv
          /tmp/venv/bin/pip install --no-index --no-deps --find-links dist/ --only-binary :all: {_q(name)}
          /tmp/venv/bin/pip install --find-links dist/ {_q(name)}
      - name: Import it, run the tests
        working-directory: /tmp
        run: |
          /tmp/venv/bin/python -c "import {module}; print({module}.__name__, 'imports')"
          if [ -d "$GITHUB_WORKSPACE/tests" ]; then
            /tmp/venv/bin/pip install pytest
            /tmp/venv/bin/python -m pytest "$GITHUB_WORKSPACE/tests"
          fi

  publish-testpypi:
    name: publish to TestPyPI
    if: startsWith(github.ref, 'refs/tags/')
    needs: test
    runs-on: ubuntu-latest
    environment:
      name: testpypi
      url: https://test.pypi.org/p/{name}
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          pattern: dist-*
          merge-multiple: true
          path: dist/
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          repository-url: https://test.pypi.org/legacy/

  publish-pypi:
    name: publish to PyPI
    if: startsWith(github.ref, 'refs/tags/')
    needs: publish-testpypi
    runs-on: ubuntu-latest
    environment:
      name: pypi
      url: https://pypi.org/p/{name}
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@v4
        with:
          pattern: dist-*
          merge-multiple: true
          path: dist/
      - uses: pypa/gh-action-pypi-publish@release/v1
"""
    return flow


def _floor_text(abi3) -> Optional[str]:
    from .abi3 import parse_floor

    floor = parse_floor(abi3, "[tool.swiftbind] abi3")
    return f"{floor[0]}.{floor[1]}" if floor else None


def generate_github(project_dir, out: Optional[Path] = None, force: bool = False,
                    swift_version: Optional[str] = None) -> Path:
    """Write the workflow for the project in ``project_dir``; return its path."""
    from . import __version__
    from .settings import load_settings

    settings = load_settings(project_dir)
    meta = settings.metadata
    path = Path(out) if out is not None else settings.project_dir / DEFAULT_PATH
    if path.exists() and not force:
        raise ConfigError(f"{path} exists; pass --force to overwrite it, or --out to write "
                          "somewhere else")
    text = github_workflow(
        meta.name, settings.module, supported_versions(meta.standard.requires_python and
                                                       str(meta.standard.requires_python)),
        abi3=_floor_text(settings.abi3),
        swift_version=swift_version or local_swift_version(),
        swiftbind_requirement=f"swiftbind=={__version__}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
