# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""libraryStatus as a query, and as a subscription that pushes changes while photos are processed."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing

import strawberry

from core.services import library
from schema.context import Info
from schema.library.types import LibraryStatus

POLL_SECONDS = 1.0


@strawberry.type
class LibraryQueries:
    @strawberry.field(description="Counts for your library.")
    async def library_status(self, info: Info) -> LibraryStatus:
        owner_id = info.context.owner_id
        counts = await info.context.read(lambda session: library.library_status(session, owner_id=owner_id))
        return LibraryStatus.from_counts(counts)


@strawberry.type
class LibrarySubscriptions:
    @strawberry.subscription(description="The counts now, then again each time they change (checked every second).")
    async def library_status(
        self, info: Info, interval_seconds: float = POLL_SECONDS
    ) -> AsyncGenerator[LibraryStatus, None]:
        owner_id = info.context.owner_id
        interval = min(max(interval_seconds, 0.2), 60.0)
        # Subscriptions of one owner at one interval share one poller (schema.library.feeds).
        async with aclosing(info.context.services.status_feeds.watch(owner_id, interval)) as changes:
            async for counts in changes:
                yield LibraryStatus.from_counts(counts)
