# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Your albums."""

from __future__ import annotations

import strawberry

from core.repositories import albums as album_repo
from schema.albums.types import Album
from schema.connections import Connection, connection, page_of
from schema.context import Info
from schema.ids import decode_id


@strawberry.type
class AlbumQueries:
    @strawberry.field(description="Albums you made, newest first (the album of a person is person.photos).")
    async def albums(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Album]:
        ctx = info.context
        owner_id = ctx.owner_id
        page = page_of(first, after)
        rows = await ctx.read(
            lambda session: album_repo.albums_of(session, owner_id=owner_id, limit=page.fetch, offset=page.offset)
        )

        async def count() -> int:
            return await ctx.read(lambda session: album_repo.count_albums(session, owner_id=owner_id))

        return connection(rows, page, Album.from_row, count)

    @strawberry.field(description="One of your albums; null when unknown or not yours.")
    async def album(self, info: Info, id: strawberry.ID) -> Album | None:
        ctx = info.context
        owner_id = ctx.owner_id
        album_id = decode_id("Album", id)
        row = await ctx.read(lambda session: album_repo.get_album(session, owner_id=owner_id, album_id=album_id))
        return Album.from_row(row) if row is not None else None
