# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""libraryStatus as a query, and as a subscription that pushes changes while photos are processed."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator

import anyio
import anyio.to_thread
import strawberry

from core.services import library
from schema.context import Info, Services
from schema.library.types import LibraryStatus

POLL_SECONDS = 1.0


def _counts(services: Services, owner_id: uuid.UUID) -> library.LibraryStatus:
    with services.sessions() as session:
        return library.library_status(session, owner_id=owner_id)


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
        services = info.context.services
        interval = min(max(interval_seconds, 0.2), 60.0)
        last: library.LibraryStatus | None = None
        while True:
            counts = await anyio.to_thread.run_sync(_counts, services, owner_id)
            if counts != last:
                last = counts
                yield LibraryStatus.from_counts(counts)
            await anyio.sleep(interval)
