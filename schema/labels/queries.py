# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""The labels in use, most used first."""

from __future__ import annotations

import strawberry

from core.repositories import labels as label_repo
from schema.connections import Connection, connection, page_of
from schema.context import Info
from schema.labels.types import Label


@strawberry.type
class LabelQueries:
    @strawberry.field(description="Labels on your photos, most used first.")
    async def labels(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Label]:
        ctx = info.context
        owner_id = ctx.owner_id
        page = page_of(first, after, default=100)
        rows = await ctx.read(
            lambda session: label_repo.label_counts(session, owner_id=owner_id, limit=page.fetch, offset=page.offset)
        )

        async def count() -> int:
            return await ctx.read(lambda session: label_repo.count_labels(session, owner_id=owner_id))

        return connection(rows, page, lambda row: Label(name=row[0], photo_count=row[1]), count)
