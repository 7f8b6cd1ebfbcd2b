"""One poll of a library's counts, however many subscriptions watch it.

Every open tab of the web client subscribes to ``libraryStatus`` (once: one provider above its
pages), and a person may have several tabs and devices open, or other programs. The counts
take three grouped queries (23 ms on bench.api's 100k-photo library, on a slow day): polled
once a second per subscription, idle pages kept the database busy. Here subscriptions of one
owner at one interval share a feed: one poller reads the counts and wakes every watcher when
they change; it stops when the last watcher leaves.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Generic, TypeVar, cast

import anyio
import anyio.to_thread

T = TypeVar("T")


@dataclass
class _Feed(Generic[T]):
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    latest: T | None = None
    version: int = 0
    error: BaseException | None = None
    watchers: int = 0
    poller: asyncio.Task[None] | None = None

    def moved_past(self, seen: int) -> bool:
        return self.version > seen or self.error is not None


class Feeds(Generic[T]):
    """Shared pollers of ``read(owner_id)`` (blocking; run in a worker thread), one per (owner, interval)."""

    def __init__(self, read: Callable[[uuid.UUID], T]) -> None:
        self._read = read
        self._feeds: dict[tuple[uuid.UUID, float], _Feed[T]] = {}

    def pollers(self) -> int:
        """How many pollers run now (the tests read it)."""
        return sum(1 for feed in self._feeds.values() if feed.poller is not None and not feed.poller.done())

    async def watch(self, owner_id: uuid.UUID, interval: float) -> AsyncGenerator[T, None]:
        """The value now, then again each time it changes; a failed read ends every watcher with its error."""
        key = (owner_id, interval)
        feed = self._feeds.get(key)
        if feed is None:
            feed = self._feeds[key] = _Feed()
            feed.poller = asyncio.create_task(self._poll(key, feed, owner_id, interval))
        feed.watchers += 1
        seen = 0
        try:
            while True:
                async with feed.changed:
                    await feed.changed.wait_for(partial(feed.moved_past, seen))
                    if feed.error is not None:
                        raise feed.error
                    seen, value = feed.version, cast(T, feed.latest)  # set before the version moved
                yield value
        finally:
            feed.watchers -= 1
            if feed.watchers == 0:
                if self._feeds.get(key) is feed:
                    del self._feeds[key]
                if feed.poller is not None:
                    feed.poller.cancel()

    async def _poll(self, key: tuple[uuid.UUID, float], feed: _Feed[T], owner_id: uuid.UUID, interval: float
                    ) -> None:
        try:
            while True:
                value = await anyio.to_thread.run_sync(self._read, owner_id)
                if feed.version == 0 or value != feed.latest:
                    async with feed.changed:
                        feed.latest, feed.version = value, feed.version + 1
                        feed.changed.notify_all()
                await anyio.sleep(interval)
        except Exception as error:  # noqa: BLE001 - handed to every watcher, who raise it
            if self._feeds.get(key) is feed:
                del self._feeds[key]  # the next subscription starts afresh
            async with feed.changed:
                feed.error = error
                feed.changed.notify_all()
