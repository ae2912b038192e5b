"""examples/kobj (the seed's module) builds like a user project: zero-copy
in place, copying into new bytes, module state, and its background job."""
import asyncio

import pytest

from conftest import REPO

EXAMPLE = REPO / "examples" / "kobj"


@pytest.fixture(scope="module")
def kobj(tmp_path_factory):
    import importlib
    import sys
    from swiftbind.builder import build_extension
    out = tmp_path_factory.mktemp("kobj")
    build_extension(EXAMPLE, out, quiet=True)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("kobj")
    finally:
        sys.path.remove(str(out))


def test_state_and_copy_and_inplace(kobj):
    kobj.initialise(key=1)
    assert kobj.status()["key"] == 1 and kobj.status()["initialised"] is True
    data = bytes(range(10))
    assert kobj.xor_copy(data) == bytes(b ^ 1 for b in data)
    buf = bytearray(data)
    kobj.xor_inplace(buf)
    assert buf == bytearray(b ^ 1 for b in data)
    assert kobj.status()["calls"] == 2 and kobj.status()["bytes_processed"] == 20
    with pytest.raises(ValueError):
        kobj.xor_inplace(b"read-only bytes")
    kobj.initialise()
    assert kobj.status()["key"] == kobj.DEFAULT_KEY


def test_background_job_progress_and_result(kobj):
    data = bytes(range(256)) * 4096            # 1 MiB
    job = kobj.xor_job(data, key=7, chunk=65536)
    assert job.result(timeout=60) == bytes(b ^ 7 for b in data)
    assert job.done() and job.progress == 1.0
    assert job.message == f"{len(data)} of {len(data)} bytes"


def test_background_job_can_be_awaited(kobj):
    async def main():
        return await kobj.xor_job(b"\x00\x01", key=255)
    assert asyncio.run(main()) == b"\xff\xfe"


def test_background_job_errors_and_cancel(kobj):
    with pytest.raises(ValueError, match="chunk must be > 0"):
        kobj.xor_job(b"abc", chunk=0).result(timeout=30)
    import concurrent.futures
    job = kobj.xor_job(bytes(64 << 20), chunk=1)  # 64 Mi one-byte steps: long enough to cancel
    job.cancel()
    with pytest.raises(concurrent.futures.CancelledError):
        job.result(timeout=60)
    assert job.cancelled()


def test_arrays_sized_from_python_fail_at_once(kobj):
    # ramp_f32 allocates its result whole, up front: a size that cannot be
    # had is an exception before any element is computed (it used to run
    # for minutes growing a Swift array, then die).
    with pytest.raises(MemoryError, match=r"unable to allocate 4.00 EiB for an array with shape \(1152921504606846976,\)"):
        kobj.ramp_f32(2**60)
    with pytest.raises(ValueError, match=r"array is too big: shape \(4611686018427387904,\) of float32"):
        kobj.ramp_f32(2**62)                  # 2**64 bytes: more than any size NumPy allows either
    with pytest.raises(ValueError, match="n must be >= 0, not -1"):
        kobj.ramp_f32(-1)
    np = pytest.importorskip("numpy")
    assert np.asarray(kobj.ramp_f32(4, 0.5)).tolist() == [0.0, 0.5, 1.0, 1.5]
    kobj.initialise(gain=2.0)
    assert np.asarray(kobj.scale_f32([[1, 2], [3, 4]])).tolist() == [[2, 4], [6, 8]]
    assert np.asarray(kobj.cumsum_i32([1, 2, 3])).tolist() == [1, 3, 6]
    kobj.initialise()
