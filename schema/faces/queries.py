# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Face queries: one face, and faces filtered by cluster, photo or state."""

from __future__ import annotations

import strawberry

from core.repositories import search
from schema.connections import Connection, connection, page_of
from schema.context import Info
from schema.faces.types import AssignedBy, Face
from schema.ids import decode_id
from schema.loaders import prime


@strawberry.input
class FaceFilter:
    cluster_id: strawberry.ID | None = None
    photo_id: strawberry.ID | None = None
    unknown: bool | None = strawberry.field(default=None, description="True: faces in no cluster.")
    assigned_by: AssignedBy | None = None
    min_quality: float | None = None


def _query(found: FaceFilter | None) -> search.FaceQuery:
    if found is None:
        return search.FaceQuery()
    return search.FaceQuery(
        cluster_id=decode_id("Cluster", found.cluster_id, field="clusterId") if found.cluster_id else None,
        photo_id=decode_id("Photo", found.photo_id, field="photoId") if found.photo_id else None,
        unknown=found.unknown,
        assigned_by=found.assigned_by.value if found.assigned_by else None,
        min_quality=found.min_quality,
    )


@strawberry.type
class FaceQueries:
    @strawberry.field(description="One of your faces; null when it does not exist or is not yours.")
    async def face(self, info: Info, id: strawberry.ID) -> Face | None:
        info.context.owner_id  # noqa: B018 - signed in, or Unauthenticated
        row = await info.context.loaders.face.load(decode_id("Face", id))
        return Face.from_row(row) if row is not None else None

    @strawberry.field(description="Your faces, newest first.")
    async def faces(
        self, info: Info, filter: FaceFilter | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Face]:
        ctx = info.context
        owner_id = ctx.owner_id
        page = page_of(first, after)
        query = _query(filter)
        rows = await ctx.read(
            lambda session: search.search_faces(session, owner_id=owner_id, query=query, limit=page.fetch,
                                                offset=page.offset)
        )
        for row in rows:
            prime(ctx.loaders.face, {row.id: row})

        async def count() -> int:
            if not page.offset and len(rows) <= page.limit:
                return len(rows)
            return await ctx.read(lambda session: search.count_faces(session, owner_id=owner_id, query=query))

        return connection(rows, page, Face.from_row, count)
