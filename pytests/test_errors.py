"""Swift errors become Python exceptions; Python exceptions pass through Swift."""
import builtins
import traceback

import pytest

from conftest import load_fixture

e = load_fixture("fx_errors")


@pytest.mark.parametrize("kind", ["TypeError", "ValueError", "KeyError", "IndexError", "OverflowError",
                                  "RuntimeError", "ZeroDivisionError", "NotImplementedError",
                                  "AttributeError", "OSError", "TimeoutError"])
def test_standard_exceptions(kind):
    with pytest.raises(getattr(builtins, kind)) as info:
        e.raise_standard(kind, "the message")
    assert type(info.value).__name__ == kind
    assert "the message" in str(info.value)


def test_module_exception_classes():
    assert issubclass(e.FxError, ValueError)
    assert issubclass(e.FxSubError, e.FxError)
    assert e.FxError.__module__ == "fx_errors"
    assert e.FxError.__doc__ == "The fixture's own error."
    with pytest.raises(e.FxError, match="^boom$"):
        e.raise_custom("boom")
    with pytest.raises(e.FxSubError, match="sub"):
        e.raise_sub("sub")
    with pytest.raises(ValueError):
        e.raise_custom("caught as the base")


def test_convertible_swift_errors():
    assert e.parse("12") == 12
    with pytest.raises(ValueError, match="empty input"):
        e.parse("")
    with pytest.raises(KeyError, match="bad token x"):
        e.parse("x")


def test_other_swift_errors_become_runtime_error():
    with pytest.raises(RuntimeError, match="something Swift-side went wrong"):
        e.plain_swift_error()


def test_callback_exception_passes_through_unchanged():
    class Special(Exception):
        pass

    marker = Special("from the callback")

    def callback():
        raise marker

    with pytest.raises(Special) as info:
        e.call(callback)
    assert info.value is marker
    frames = [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert "callback" in frames  # the callback's own frame is still in the traceback


def test_callback_results_and_arguments():
    assert e.call(len, [1, 2, 3]) == 3
    assert e.call(max, 3, 9, 4) == 9
    with pytest.raises(ValueError, match="invalid literal"):
        e.call(int, "z")


def test_swift_can_catch_python_exceptions():
    assert e.call_and_catch(lambda: 1 / 0) == "ZeroDivisionError('division by zero')"
    assert e.call_and_catch(lambda: None) is None


def test_c_api_errors_surface_as_python_exceptions():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        e.getattr_from_swift(1, "nope")


def test_checked_arithmetic_never_traps():
    assert e.checked_add(1, 2) == 3
    with pytest.raises(OverflowError, match="overflows Int"):
        e.checked_add(2**62, 2**62)
    with pytest.raises(ZeroDivisionError):
        e.checked_div(1, 0)
    with pytest.raises(OverflowError):
        e.checked_div(-2**63, -1)
