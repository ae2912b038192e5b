#!/usr/bin/env python3
"""Run ONE variant of the transfer benchmark in this (fresh) process.

    python3 worker.py VARIANT SIZE_MIB REPS [--measure time|peak_in|peak_out]
                      [--manifest PATH]

Prints one JSON object on the last line of stdout.  ``bench.py`` starts one
worker per variant and measurement, so that every peak-memory figure comes
from a process that has seen nothing but that variant.

Every variant does the same work: each byte of the input becomes ``b ^ 0x5A``
(``memcpy`` copies unchanged).  A variant is split into two phases:

* ``send(inp)``  -- hand the input to the native side, which processes it.
  Afterwards the processed data exists somewhere (in the input buffer itself,
  in a new bytes object, or in native memory) -- the "in" half.
* ``receive(state)`` -- turn it into a Python object the caller owns and free
  any native memory -- the "out" half.  The round trip is both.

Measurements (``MiB`` = 2**20 bytes, ``n`` = SIZE_MIB * MiB):

* ``time``: create the input once, then REPS times time ``receive(send(inp))``
  with ``time.perf_counter`` (the output is checked on ~4096 sampled offsets,
  then dropped, outside the timed region); minor page faults per round trip
  (``getrusage``) are reported too.
* ``peak_in``: baseline = VmRSS after imports, library loading and a small
  warm-up round trip; the kernel's peak counter (VmHWM) is reset there when
  the kernel allows it.  Create the input, ``send`` it, read VmHWM.
  Reported: ``(VmHWM - baseline) / n``, so the input alone counts 1.0.
* ``peak_out``: the same, then ``receive``, then read VmHWM -- the peak over
  the whole round trip, with the caller still holding its input.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_MANIFEST = HERE.parent / "_build" / "transfer" / "manifest.json"
MiB = 1 << 20
KEY = 0x5A

VARIANTS = ("swiftbind-zerocopy", "swiftbind-copy", "c-ext", "c-ext-inplace",
            "ctypes-c", "go", "memcpy")


def proc_status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def make_input(n: int, mutable: bool):
    """n bytes of a repeating 0..255 pattern, built without a transient copy."""
    pattern = bytes(range(256))
    if n % 256 == 0:
        return (bytearray(pattern) if mutable else pattern) * (n // 256)
    data = os.urandom(n)  # one allocation, filled in place
    return bytearray(data) if mutable else data


def load(variant: str, manifest: dict):
    """Return (make_input(n), send, receive, transform?) for a variant."""
    if variant in ("swiftbind-zerocopy", "swiftbind-copy"):
        sys.path.insert(0, str(Path(manifest["kobj"]).parent))
        import kobj  # noqa: E402
        if variant == "swiftbind-zerocopy":
            def send(buf):
                kobj.xor_inplace(buf)
                return buf
            return (lambda n: make_input(n, True)), send, (lambda s: s), True
        return (lambda n: make_input(n, False)), kobj.xor_copy, (lambda s: s), True

    if variant in ("c-ext", "c-ext-inplace"):
        sys.path.insert(0, str(Path(manifest["xorext"]).parent))
        import xorext  # noqa: E402
        if variant == "c-ext-inplace":
            def send(buf):
                xorext.xor_inplace(buf)
                return buf
            return (lambda n: make_input(n, True)), send, (lambda s: s), True
        return (lambda n: make_input(n, False)), xorext.xor_copy, (lambda s: s), True

    if variant in ("ctypes-c", "memcpy"):
        lib = ctypes.CDLL(manifest["xorlib"])
        if variant == "memcpy":
            lib.copy_bytes.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
            lib.copy_bytes.restype = None
            dst_holder = {}

            def make(n):
                # the pre-faulted destination is allocated with the input,
                # outside the timed region: bytearray(n) zero-fills every page
                dst = dst_holder[n] = bytearray(n)
                dst_holder["addr", n] = ctypes.addressof((ctypes.c_char * n).from_buffer(dst))
                return make_input(n, False)

            def send(data):
                n = len(data)
                lib.copy_bytes(dst_holder["addr", n], data, n)
                return dst_holder[n]
            return make, send, (lambda s: s), False
        fn, free = lib.xor_process, lib.xor_free
    elif variant == "go":
        lib = ctypes.CDLL(manifest["golib"])
        fn, free = lib.Process, lib.Free
    else:
        raise SystemExit(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")

    # The seed's design: bytes in as char* + length, a malloc'd result back,
    # ctypes.string_at to make bytes of it, then the library frees it.
    fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t if variant == "ctypes-c" else ctypes.c_longlong]
    fn.restype = ctypes.c_void_p
    free.argtypes = [ctypes.c_void_p]
    free.restype = None

    def send(data):
        ptr = fn(data, len(data))
        if not ptr:
            raise MemoryError("native allocation failed")
        return ptr, len(data)

    def receive(state):
        ptr, n = state
        out = ctypes.string_at(ptr, n)
        free(ptr)
        return out

    return (lambda n: make_input(n, False)), send, receive, True


def sample_offsets(n: int) -> list[int]:
    step = max(1, n // 4096)
    return sorted(set(range(0, n, step)) | {n - 1})


def check(out, before: list[int], offsets: list[int], transform: bool, n: int) -> None:
    if len(out) != n:
        raise AssertionError(f"output has {len(out)} bytes, expected {n}")
    for i, b in zip(offsets, before):
        want = b ^ KEY if transform else b
        if out[i] != want:
            raise AssertionError(f"byte {i}: got {out[i]}, expected {want}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("variant", choices=VARIANTS)
    ap.add_argument("size_mib", type=float)
    ap.add_argument("reps", type=int)
    ap.add_argument("--measure", choices=("time", "peak_in", "peak_out"), default="time")
    ap.add_argument("--manifest", default=str(DEFAULT_MANIFEST))
    args = ap.parse_args(argv)
    manifest = json.loads(Path(args.manifest).read_text())
    n = int(args.size_mib * MiB)
    make, send, receive, transform = load(args.variant, manifest)

    # warm-up: one small round trip (loads code, starts runtimes, fills caches)
    small = make(1 << 16)
    small_offsets = sample_offsets(len(small))
    small_before = [small[i] for i in small_offsets]
    check(receive(send(small)), small_before, small_offsets, transform, len(small))
    del small
    gc.collect()

    result: dict = {"variant": args.variant, "size_bytes": n, "reps": args.reps,
                    "measure": args.measure, "pid": os.getpid()}
    offsets = sample_offsets(n)
    base_rss = proc_status_kib("VmRSS") * 1024
    result["hwm_reset"] = reset_peak()
    result["baseline_rss"] = base_rss
    result["baseline_hwm"] = proc_status_kib("VmHWM") * 1024

    inp = make(n)
    result["after_input"] = (proc_status_kib("VmHWM") * 1024 - base_rss) / n

    if args.measure in ("peak_in", "peak_out"):
        before = [inp[i] for i in offsets]
        state = send(inp)
        result["peak_in"] = (proc_status_kib("VmHWM") * 1024 - base_rss) / n
        if args.measure == "peak_out":
            out = receive(state)
            del state
            result["peak_out"] = (proc_status_kib("VmHWM") * 1024 - base_rss) / n
            check(out, before, offsets, transform, n)
        result["peak"] = result[args.measure]
    else:
        times, faults = [], []
        for _ in range(args.reps):
            before = [inp[i] for i in offsets]
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            t0 = time.perf_counter()
            out = receive(send(inp))
            t1 = time.perf_counter()
            faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
            times.append(t1 - t0)
            check(out, before, offsets, transform, n)
            if out is not inp:
                del out
            else:
                out = None
        result["times"] = times
        result["minor_faults"] = faults
        result["peak"] = (proc_status_kib("VmHWM") * 1024 - base_rss) / n
    result["rss_end"] = proc_status_kib("VmRSS") * 1024
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
