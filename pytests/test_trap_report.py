"""A trap in user Swift code is never silent: before the process dies it
says which module and bound function was running, and shows the Python
traceback; with faulthandler on, faulthandler's report follows."""
import signal

from conftest import run_fresh_python as run_script


def inner_call():
    return "import fx_errors\ndef compute():\n    return fx_errors.trapping_add(2**62, 2**62)\ncompute()\n"


def test_an_overflow_trap_names_the_function_and_shows_the_traceback():
    result = run_script(inner_call())
    assert result.returncode == -signal.SIGILL, (result.returncode, result.stderr)
    err = result.stderr
    assert "swiftbind: fatal: Swift code trapped (SIGILL) in fx_errors.trapping_add()" in err
    assert "(most recent call first):" in err  # CPython's dumper, or faulthandler's
    assert 'line 4 in compute' in err and 'line 5 in <module>' in err


def test_a_failed_unwrap_is_reported_with_the_swift_message():
    result = run_script("import fx_errors\nfx_errors.trapping_unwrap('x')\n")
    assert result.returncode in (-signal.SIGILL, -signal.SIGTRAP), result.returncode
    assert "Swift code trapped" in result.stderr and "fx_errors.trapping_unwrap()" in result.stderr


def test_a_trap_after_a_nested_call_names_the_outer_function():
    result = run_script("import fx_errors\nfx_errors.trap_after_callback(lambda: str(fx_errors.checked_add(1, 2)) + 'x')\n")
    assert result.returncode == -signal.SIGILL, result.stderr
    assert "trapped (SIGILL) in fx_errors.trap_after_callback()" in result.stderr


def test_the_trapping_module_reports_when_several_are_loaded():
    # Each module has its own runtime copy and handler (chained): only the
    # trapping library's reports, once, with its current call.
    result = run_script("import fx_functions, fx_errors, fx_classes, fx_state\n"
                        "fx_state.bump(1); fx_classes.make_counter('a')\n"
                        "fx_errors.trapping_add(2**62, 2**62)\n")
    assert result.returncode == -signal.SIGILL
    assert result.stderr.count("swiftbind: fatal") == 1, result.stderr
    assert "trapped (SIGILL) in fx_errors.trapping_add()" in result.stderr


def test_faulthandler_still_reports_after_ours():
    result = run_script(inner_call(), "-X", "faulthandler")
    assert result.returncode == -signal.SIGILL
    err = result.stderr
    assert "fx_errors.trapping_add()" in err
    assert "Fatal Python error: Illegal instruction" in err  # faulthandler's own report
    assert "line 4 in compute" in err


def test_the_report_can_be_turned_off():
    result = run_script(inner_call(), env={"SWIFTBIND_TRAP_REPORT": "0", "PATH": "/usr/bin:/bin"})
    assert result.returncode == -signal.SIGILL
    assert "swiftbind: fatal" not in result.stderr


def test_no_report_and_no_cost_when_nothing_traps():
    result = run_script("import fx_errors\nprint(fx_errors.checked_add(1, 2))\n")
    assert result.returncode == 0 and result.stdout.strip() == "3" and result.stderr == ""
