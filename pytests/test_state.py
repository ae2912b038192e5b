"""Module state: created at import, one per module object, persists between calls."""
import importlib
import sys

import pytest

from conftest import load_fixture, run_fresh_python_ok

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


def test_a_subinterpreter_import_raises_import_error():
    # The runtime keeps process-wide state (class registry, method slots,
    # job threads): modules load in the main interpreter only.
    out = run_fresh_python_ok("""
        import fx_state
        fx_state.bump(7)
        try:
            import _interpreters as interpreters
        except ImportError:
            import _xxsubinterpreters as interpreters
        try:
            sub = interpreters.create(isolated=False)
        except TypeError:
            sub = interpreters.create("legacy") if sys.version_info >= (3, 13) else interpreters.create()
        folder = sys.path[0]
        script = (f"import sys; sys.path.insert(0, {folder!r})\\n"
                  "try:\\n    import fx_state\\nexcept ImportError as e:\\n    msg = str(e)\\n"
                  "else:\\n    msg = 'imported'\\n"
                  "assert 'subinterpreter' in msg, msg\\n")
        interpreters.run_string(sub, script)
        interpreters.destroy(sub)
        assert fx_state.counter() == 7
        print("ok")
    """)
    assert out.strip() == "ok"
