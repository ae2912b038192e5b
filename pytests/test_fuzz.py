"""The crash fuzzer (pytests/fuzz/, docs/testing.md), bounded for `make test`:
hostile values into every bound function, method, property and protocol slot
of the fixture modules, in subprocess batches.  Fails on any crash, hang,
SystemError, exception left set, BaseException, or result of the wrong type;
Python exceptions are fine.  `make fuzz` runs the same campaign long."""
import json
import os
import subprocess
import sys
import warnings

import pytest

from conftest import build_fixtures
from fuzz import campaign, targets

RUNNER = [sys.executable, str(campaign.RUNNER)]
# About a minute per process on a 2-core machine.
CALLS = int(os.environ.get("FUZZ_TEST_CALLS", 6000))
BATCH = int(os.environ.get("FUZZ_TEST_BATCH", 1500))
SEED = int(os.environ.get("FUZZ_TEST_SEED", 20261201))


@pytest.fixture(scope="module")
def built():
    return build_fixtures()


def test_every_fixture_module_has_targets(built):
    found = targets.summary(targets.collect())
    for name in targets.fixture_names():
        assert name in found and sum(found[name].values()) > 0, f"{name}: nothing to fuzz"


def test_fuzz_batches_do_not_crash(built):
    res = campaign.campaign(CALLS, batch=BATCH, jobs=2, seed=SEED, timeout=240)
    lines = []

    class Out:
        def write(self, s):
            lines.append(s)

    campaign.report(res, Out())
    text = "".join(lines)
    print(text)
    if res.typeerror_unnamed:
        warnings.warn("fuzz: argument-conversion TypeErrors that do not name the parameter:\n" +
                      "\n".join(t["message"] for t in res.typeerror_unnamed[:5]))
    assert not res.failed, text
    assert res.calls >= CALLS * 0.9
    # every target ran (bar a few by chance, and those held back whole)
    names = {t.name for t in targets.collect()}
    missing = sorted(names - set(res.per_target))
    assert len(missing) <= 0.05 * len(names), f"never ran: {missing}"


def test_the_harness_reports_a_crash_with_its_case(built, tmp_path):
    """Proof the test can fail: a target that segfaults on purpose."""
    r = campaign.run_batch(1, 400, 120, extra_args=["--canary", "--only", "canary|fx_state"])
    assert r["status"] == "crash" and r["signal"] == "SIGSEGV", r
    assert r["case"].startswith("canary.segfault("), r


def test_a_case_replays_from_its_seed(built, tmp_path):
    """The seed, count and index of a case reproduce exactly that case."""
    out = tmp_path / "case"
    subprocess.run([*RUNNER, "--seed", "7", "--count", "60", "--case-file", str(out), "--only", "fx_state.(get|put|counter)"],
                   check=True, capture_output=True)
    seed, count, index, text = out.read_text().rstrip("\n").split("\t", 3)
    replay = subprocess.run([*RUNNER, "--seed", seed, "--count", count, "--replay", index, "--only", "fx_state.(get|put|counter)"],
                            check=True, capture_output=True, text=True)
    assert replay.stdout.splitlines()[0] == f"case {index}: {text}"
    assert json.loads(replay.stdout.splitlines()[-1])["calls"] == 1
