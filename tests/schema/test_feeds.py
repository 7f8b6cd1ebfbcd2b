"""libraryStatus feeds: one poller per owner and interval, however many watch; gone with the last watcher."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing, asynccontextmanager

import pytest

from schema.library.feeds import Feeds

INTERVAL = 0.02


class Counts:
    """A library whose count the test changes; remembers who was read, and can fail."""

    def __init__(self) -> None:
        self.value = 0
        self.reads: list[uuid.UUID] = []
        self.fail = False

    def __call__(self, owner_id: uuid.UUID) -> int:
        self.reads.append(owner_id)
        if self.fail:
            raise RuntimeError("database down")
        return self.value


@pytest.fixture
def counts() -> Counts:
    return Counts()


@pytest.fixture
def feeds(counts: Counts) -> Feeds[int]:
    return Feeds(counts)


@asynccontextmanager
async def two_watchers(feeds: Feeds[int], owner: uuid.UUID) -> AsyncIterator[tuple[AsyncGenerator[int, None], ...]]:
    """Two watchers of one owner's feed, past the first value (0) each."""
    async with aclosing(feeds.watch(owner, INTERVAL)) as first, aclosing(feeds.watch(owner, INTERVAL)) as second:
        assert await anext(first) == await anext(second) == 0
        yield first, second


def test_watchers_of_one_owner_share_one_poller(counts: Counts, feeds: Feeds[int]) -> None:
    anna, ben = uuid.uuid4(), uuid.uuid4()

    async def scenario() -> None:
        slow = 60.0  # one read each at the start, then none during the test
        async with aclosing(feeds.watch(anna, slow)) as first, aclosing(feeds.watch(anna, slow)) as second, \
                aclosing(feeds.watch(ben, slow)) as other:
            assert [await anext(first), await anext(second), await anext(other)] == [0, 0, 0]
            assert sorted(counts.reads) == sorted([anna, ben])  # anna's two watchers cost one read
            assert feeds.pollers() == 2
        await asyncio.sleep(0)
        assert feeds.pollers() == 0

    asyncio.run(scenario())


def test_every_watcher_sees_a_change_and_nobody_polls_after_the_last_leaves(counts: Counts, feeds: Feeds[int]) -> None:
    owner = uuid.uuid4()

    async def scenario() -> None:
        async with two_watchers(feeds, owner) as (first, second):
            counts.value = 3
            assert await asyncio.wait_for(anext(first), 1) == 3
            assert await asyncio.wait_for(anext(second), 1) == 3
        await asyncio.sleep(3 * INTERVAL)
        after = len(counts.reads)
        await asyncio.sleep(5 * INTERVAL)
        assert len(counts.reads) == after

    asyncio.run(scenario())


def test_an_unchanged_value_is_not_sent_again(feeds: Feeds[int]) -> None:

    async def scenario() -> None:
        async with aclosing(feeds.watch(uuid.uuid4(), INTERVAL)) as changes:
            assert await anext(changes) == 0
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(anext(changes), 10 * INTERVAL)

    asyncio.run(scenario())


def test_a_failed_read_ends_every_watcher_and_the_next_watch_starts_afresh(counts: Counts, feeds: Feeds[int]) -> None:
    owner = uuid.uuid4()

    async def scenario() -> None:
        async with two_watchers(feeds, owner) as watchers:
            counts.fail = True
            for watcher in watchers:
                with pytest.raises(RuntimeError, match="database down"):
                    await asyncio.wait_for(anext(watcher), 1)
        counts.fail, counts.value = False, 7
        async with aclosing(feeds.watch(owner, INTERVAL)) as again:
            assert await asyncio.wait_for(anext(again), 1) == 7

    asyncio.run(scenario())
