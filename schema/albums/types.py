# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Albums a person makes; the album of a person is Cluster.photos."""

from __future__ import annotations

from datetime import datetime

import strawberry

from core import tables
from core.repositories import search
from schema.connections import Connection, connection, page_of
from schema.context import Info
from schema.ids import encode_id
from schema.photos.types import Photo


@strawberry.type
class Album:
    id: strawberry.ID
    name: str
    created_at: datetime
    updated_at: datetime
    _row: strawberry.Private[tables.Album]

    @classmethod
    def from_row(cls, row: tables.Album) -> Album:
        return cls(id=encode_id("Album", row.id), name=row.name, created_at=row.created_at,
                   updated_at=row.updated_at, _row=row)

    @strawberry.field
    async def photo_count(self, info: Info) -> int:
        count: int = await info.context.loaders.album_photo_count.load(self._row.id)
        return count

    @strawberry.field(description="The album's newest photo.")
    async def cover_photo(self, info: Info) -> Photo | None:
        row = await info.context.loaders.album_cover.load(self._row.id)
        return Photo.from_row(row) if row is not None else None

    @strawberry.field(description="The album's photos, newest first.")
    async def photos(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Photo]:
        ctx = info.context
        owner_id = ctx.owner_id
        page = page_of(first, after)
        query = search.PhotoQuery(album_id=self._row.id)
        rows = await ctx.read(
            lambda session: search.search_photos(session, owner_id=owner_id, query=query, limit=page.fetch,
                                                 offset=page.offset)
        )

        async def count() -> int:
            return await ctx.loaders.album_photo_count.load(self._row.id)  # type: ignore[no-any-return]

        return connection(rows, page, Photo.from_row, count)
