"""Core metadata 2.4 by the book: the `[project]` table is validated by
pyproject-metadata and packaging, `license` is an SPDX expression
(`License-Expression`, PEP 639), license files are listed (`License-File`) and
copied into `.dist-info/licenses/`, and what is written reads back through
`packaging.metadata` with validation on and passes `twine check`.

The fake `swift` of test_build_tool builds the extension, so this takes seconds.
"""
from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile

import pytest

from test_build_tool import fake_swift, make_project, needs_cc  # noqa: F401 (fixture)

from swiftbind import builder  # noqa: E402 (test_build_tool put python/ on sys.path)
from swiftbind.errors import ConfigError  # noqa: E402
from swiftbind.settings import load_settings, project_metadata  # noqa: E402

from packaging.metadata import Metadata  # noqa: E402


def licensed_project(tmp_path, license_line='license = "mit OR Apache-2.0"',
                     files_line='license-files = ["LICENSE", "licenses/*.txt"]'):
    proj = make_project(tmp_path / "lic")
    text = (proj / "pyproject.toml").read_text()
    text = text.replace('description = "A test project."',
                        f'description = "A test project."\n{license_line}\n{files_line}\n'
                        'readme = "README.md"')
    (proj / "pyproject.toml").write_text(text)
    (proj / "README.md").write_text("# lic\n\nA *licensed* project.\n")
    (proj / "LICENSE").write_text("MIT License\n")
    (proj / "licenses").mkdir()
    (proj / "licenses" / "APACHE.txt").write_text("Apache License 2.0\n")
    return proj


@needs_cc
def test_wheel_and_sdist_carry_license_expression_and_files(tmp_path, fake_swift):
    proj = licensed_project(tmp_path)
    wheel = builder.build_wheel(proj, tmp_path / "dist", quiet=True)
    sdist = builder.build_sdist(proj, tmp_path / "dist")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        text = zf.read("lic-1.2.3.dist-info/METADATA").decode()
        assert zf.read("lic-1.2.3.dist-info/licenses/LICENSE") == b"MIT License\n"
        assert zf.read("lic-1.2.3.dist-info/licenses/licenses/APACHE.txt") == b"Apache License 2.0\n"
        record = zf.read("lic-1.2.3.dist-info/RECORD").decode()
    assert "lic-1.2.3.dist-info/licenses/LICENSE," in record
    meta = Metadata.from_email(text, validate=True)  # raises on anything packaging rejects
    assert str(meta.metadata_version) == "2.4"
    assert meta.license_expression == "MIT OR Apache-2.0"  # canonical SPDX case
    assert meta.license_files == ["LICENSE", "licenses/APACHE.txt"]
    assert [str(r) for r in meta.requires_dist] == ["numpy>=1.0", 'tomli; python_version < "3.11"',
                                                    'pytest; extra == "test"']
    assert meta.description_content_type == "text/markdown"
    with tarfile.open(sdist) as tar:
        members = tar.getnames()
        pkg_info = tar.extractfile("lic-1.2.3/PKG-INFO").read().decode()
    assert {"lic-1.2.3/LICENSE", "lic-1.2.3/licenses/APACHE.txt"} <= set(members)
    assert Metadata.from_email(pkg_info, validate=True).license_files == meta.license_files
    assert names >= {"lic-1.2.3.dist-info/WHEEL", "lic-1.2.3.dist-info/RECORD"}
    twine = pytest.importorskip("twine", reason="pip install -r pytests/requirements-ship.txt")
    assert twine
    out = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.count("PASSED") == 2, out.stdout + out.stderr


def test_license_files_default_to_pep639_globs(tmp_path):
    proj = licensed_project(tmp_path, files_line="")
    (proj / "COPYING.md").write_text("copying\n")
    (proj / "NOTICE").write_text("notice\n")
    meta = load_settings(proj).metadata
    assert [p.as_posix() for p in meta.license_files] == ["COPYING.md", "LICENSE", "NOTICE"]
    assert "License-File: COPYING.md\nLicense-File: LICENSE\nLicense-File: NOTICE\n" in meta.text()


def test_name_and_version_are_normalised_in_file_names(tmp_path):
    meta = project_metadata({"name": "Fast.Thing-Two", "version": "1.0.0-RC1"}, tmp_path)
    assert (meta.wheel_name, meta.version) == ("fast_thing_two", "1.0.0rc1")
    assert "Name: Fast.Thing-Two\nVersion: 1.0.0rc1\n" in meta.text()


@pytest.mark.parametrize("project, message", [
    ({"name": "x", "version": "1.0-bad!"}, r'"project.version" is an invalid PEP 440 version'),
    ({"name": "-x-", "version": "1"}, r"Invalid project name '-x-'"),
    ({"name": "x", "version": "1", "dependencies": ["num py>>1"]},
     r'"project.dependencies\[0\]" is an invalid PEP 508 requirement'),
    ({"name": "x", "version": "1", "requires-python": "3.9+"}, r'"project.requires-python"'),
    ({"name": "x", "version": "1", "license": "MIT OR Nonsense-1.0"},
     r"license = 'MIT OR Nonsense-1.0' is not an SPDX license expression"),
    ({"name": "x", "version": "1", "license-files": ["NOPE*"]}, r"NOPE\*"),
])
def test_bad_project_tables_name_the_field(tmp_path, project, message):
    with pytest.raises(ConfigError, match=message):
        project_metadata(project, tmp_path)


def test_missing_version_is_named(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"\[project\] needs `version = \.\.\.`"):
        load_settings(tmp_path)
