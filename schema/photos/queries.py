# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Photo queries: one photo, the search, the places."""

from __future__ import annotations

import strawberry
from sqlmodel import Session

from core.repositories import search
from core.repositories.rows import PhotoRow
from schema.connections import Connection, connection, page_of, wants_total
from schema.context import Info
from schema.ids import decode_id
from schema.loaders import PageFaces, prime
from schema.photos.inputs import PhotoFilter, PhotoOrder, to_query
from schema.photos.nested import read_below, selected_below
from schema.photos.types import Photo


@strawberry.type
class Place:
    name: str
    country: str | None
    photo_count: int


@strawberry.type
class PhotoQueries:
    @strawberry.field(description="One of your photos; null when it does not exist or is not yours.")
    async def photo(self, info: Info, id: strawberry.ID) -> Photo | None:
        info.context.owner_id  # noqa: B018 - signed in, or Unauthenticated
        row = await info.context.loaders.photo.load(decode_id("Photo", id))
        return Photo.from_row(row) if row is not None else None

    @strawberry.field(description="Your photos, filtered; newest first unless orderBy says otherwise.")
    async def photos(
        self,
        info: Info,
        filter: PhotoFilter | None = None,
        order_by: PhotoOrder = PhotoOrder.TAKEN_AT_DESC,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Photo]:
        ctx = info.context
        owner_id = ctx.owner_id
        page = page_of(first, after)
        query = to_query(filter, order_by)
        below = selected_below(info)
        with_total = wants_total(info)

        def read(session: Session) -> tuple[list[PhotoRow], PageFaces | None, int | None]:
            rows = search.search_photos(session, owner_id=owner_id, query=query, limit=page.fetch, offset=page.offset)
            total = None if not with_total or page.shows_all(len(rows)) else search.count_photos(
                session, owner_id=owner_id, query=query)
            return rows, read_below(ctx.loaders, session, rows[: page.limit], below), total

        rows, nested, total = await ctx.read(read)  # one trip to the worker thread
        prime(ctx.loaders.photo, {row.id: row for row in rows})
        if nested is not None:
            ctx.loaders.prime_page(nested)

        async def count() -> int:
            if total is not None:
                return total
            if page.shows_all(len(rows)):
                return len(rows)  # the whole answer is on this page
            return await ctx.read(lambda session: search.count_photos(session, owner_id=owner_id, query=query))

        return connection(rows, page, Photo.from_row, count)

    @strawberry.field(description="Places your photos were taken at, most photographed first.")
    async def places(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Place]:
        ctx = info.context
        owner_id = ctx.owner_id
        page = page_of(first, after, default=100)
        rows = await ctx.read(
            lambda session: search.places(session, owner_id=owner_id, limit=page.fetch, offset=page.offset)
        )

        async def count() -> int:
            return await ctx.read(lambda session: search.count_places(session, owner_id=owner_id))

        return connection(
            rows, page, lambda p: Place(name=p.name, country=p.country, photo_count=p.photo_count), count
        )
