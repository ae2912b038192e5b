"""examples/parallel builds like a user project and its demo's four ways
(one call, parallel Swift, process pool, Dask) agree."""
import os
import subprocess
import sys

import pytest

from conftest import REPO

EXAMPLE = REPO / "examples" / "parallel"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from swiftbind.builder import build_extension
    out = tmp_path_factory.mktemp("primes")
    build_extension(EXAMPLE, out, quiet=True)
    return out


def test_demo_four_ways_agree(built):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(built), os.environ.get("PYTHONPATH", "")]))
    try:
        import distributed  # noqa: F401
        extra = []
    except ImportError:
        extra = ["--skip-dask"]
    r = subprocess.run([sys.executable, str(EXAMPLE / "demo.py"), "300000", "--workers", "2", *extra],
                       capture_output=True, text=True, timeout=240, env=env, cwd=built)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = [line for line in r.stdout.splitlines() if "25,997" in line]  # primes below 300,000
    assert len(lines) == 4 - len(extra), r.stdout


def test_job_and_async_forms(built):
    code = (
        "import asyncio, primes\n"
        "job = primes.count_primes_job(0, 300_000, steps=10)\n"
        "assert job.result(timeout=60) == 25_997 and job.progress == 1.0\n"
        "async def main():\n    return await primes.count_primes_async(0, 300_000)\n"
        "assert asyncio.run(main()) == 25_997\n"
        "try:\n    primes.count_primes(5, 1)\nexcept ValueError as e:\n    print(e)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(built)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "need lo <= hi, got lo=5, hi=1"


def run_primes(code: str, built) -> subprocess.CompletedProcess:
    prelude = ("import asyncio, primes\n"
               "def awaited(job):\n    async def main():\n        return await job\n    return asyncio.run(main())\n")
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, PYTHONPATH=str(built)))


@pytest.mark.parametrize("form", ["count_primes", "count_primes_parallel", "count_primes_job", "count_primes_async"])
def test_a_range_longer_than_an_int_is_an_overflow_error(built, form):
    # hi - lo overflows: each form used to trap (range.count, chunk sizes).
    call = {"count_primes_job": "primes.count_primes_job(lo, hi).result(timeout=60)",
            "count_primes_async": "awaited(primes.count_primes_async(lo, hi))"}.get(
        form, f"primes.{form}(lo, hi)")
    r = run_primes(f"lo, hi = -2**63, 2**63 - 1\ntry:\n    {call}\nexcept OverflowError as e:\n    print(e)\n", built)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (f"the range [lo, hi) is too long: hi - lo must be at most {2**63 - 1}, "
                                f"got lo={-2**63}, hi={2**63 - 1}")


def test_ranges_at_the_ends_of_int(built):
    # The largest prime below 2**63 is 2**63 - 25; near Int.max, d * d and
    # piece + 100_000 used to overflow.
    code = (
        "top = 2**63 - 1\n"
        "print(primes.count_primes(top - 25, top - 23))\n"
        "print(primes.count_primes_parallel(top - 25, top - 23, chunks=2))\n"
        "print(awaited(primes.count_primes_async(top - 25, top - 23)))\n"
        "print(primes.count_primes_job(top - 25, top - 23, steps=2).result(timeout=60))\n"
        "print(primes.count_primes_parallel(-2**63, -2**63 + 1000), primes.count_primes_async is not None)\n"
        "print(primes.count_primes_parallel(0, 1000, chunks=2**62))\n"
    )
    r = run_primes(code, built)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "1", "1", "1", "0", "True", "168"]
