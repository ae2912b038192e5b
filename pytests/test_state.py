"""Module state: created at import, one per module object, persists between calls."""
import importlib
import subprocess
import sys
import textwrap

import pytest

from conftest import build_fixtures, load_fixture

s = load_fixture("fx_state")


def test_state_persists_between_calls():
    start = s.counter()
    assert s.bump() == start + 1
    assert s.bump(5) == start + 6
    assert s.counter() == start + 6
    s.put("k", 3)
    assert s.get("k") == 3
    with pytest.raises(KeyError):
        s.get("missing")


def test_constants_added_at_import():
    assert s.VERSION == "1.0"
    assert s.GENERATION == s.generation()


def test_reimport_makes_fresh_state():
    old = sys.modules.pop("fx_state")
    try:
        fresh = importlib.import_module("fx_state")
        assert fresh is not old
        assert fresh.generation() == old.generation() + 1
        assert fresh.counter() == 0
        fresh.bump(10)
        assert old.counter() != 10 or old.generation() != fresh.generation()
        assert fresh.counter() == 10
    finally:
        sys.modules["fx_state"] = old


def test_subinterpreter_gets_its_own_state():
    folder = build_fixtures()
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(folder)!r})
        import fx_state
        fx_state.bump(7)
        try:
            import _xxsubinterpreters as interpreters
        except ImportError:
            import _interpreters as interpreters
        # swiftbind modules share the main GIL (Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED);
        # 3.12's create() defaults to an isolated interpreter with its own GIL.
        try:
            sub = interpreters.create(isolated=False)
        except TypeError:
            sub = interpreters.create("legacy") if sys.version_info >= (3, 13) else interpreters.create()
        interpreters.run_string(sub, "import sys; sys.path.insert(0, {str(folder)!r}); import fx_state; assert fx_state.counter() == 0, fx_state.counter(); fx_state.bump(1)")
        interpreters.destroy(sub)
        assert fx_state.counter() == 7
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
