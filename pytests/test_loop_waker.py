"""The loop waker (Concurrency/LoopWaker.swift): finished Swift jobs wake
their asyncio loop through one eventfd reader per loop, without the GIL on
the worker; loops that cannot hold one fall back to call_soon_threadsafe."""
import asyncio
import gc
import os

import pytest

from conftest import load_fixture

fx = load_fixture("fx_jobs")


def wakers(loop):
    return [k for k in vars(loop) if k.startswith("_swiftbind_waker_")]


def open_fds():
    return len(os.listdir("/proc/self/fd"))


def test_one_waker_per_loop_resolves_every_await():
    loop = asyncio.new_event_loop()
    try:
        async def main():
            values = [await fx.add_async(i, 1) for i in range(50)]
            values += await asyncio.gather(*(fx.sleep_async(5, i) for i in range(20)))
            return values
        assert loop.run_until_complete(main()) == [i + 1 for i in range(50)] + list(range(20))
        assert len(wakers(loop)) == 1
    finally:
        loop.close()


def test_errors_and_cancellation_go_through_the_waker():
    async def main():
        with pytest.raises(ValueError, match="^bad$"):
            await fx.fail_async("bad")
        task = asyncio.ensure_future(fx.sleep_async(5000))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await fx.add_async(1, 2)
    assert asyncio.run(main()) == 3


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_closed_loops_give_their_descriptor_back():
    async def main():
        return await fx.add_async(1, 1)
    asyncio.run(main())            # warm: whatever asyncio opens once
    gc.collect()
    before = open_fds()
    for _ in range(40):
        assert asyncio.run(main()) == 2
    gc.collect()
    assert open_fds() - before <= 2


class NoAttributesLoop(asyncio.SelectorEventLoop):
    """A loop that refuses new attributes, as loops without a __dict__ do."""

    def __setattr__(self, name, value):
        if name.startswith("_swiftbind_waker_"):
            raise AttributeError(name)
        super().__setattr__(name, value)


def test_a_loop_that_cannot_hold_a_waker_falls_back():
    loop = NoAttributesLoop()
    try:
        async def main():
            return [await fx.add_async(i, i) for i in range(20)]
        assert loop.run_until_complete(main()) == [2 * i for i in range(20)]
        assert wakers(loop) == []
        assert not loop._selector.get_map() or all(
            key.fd == loop._ssock.fileno() for key in loop._selector.get_map().values())
    finally:
        loop.close()


def test_a_busy_loop_still_gets_its_results():
    async def spin(stop):
        while not stop.is_set():
            await asyncio.sleep(0)

    async def main():
        stop = asyncio.Event()
        spinners = [asyncio.ensure_future(spin(stop)) for _ in range(4)]
        try:
            return [await fx.sleep_async(1, i) for i in range(30)]
        finally:
            stop.set()
            await asyncio.gather(*spinners)
    assert asyncio.run(main()) == list(range(30))
