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
