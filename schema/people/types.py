# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""The Cluster type: a group of faces; a named cluster is a person."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from core import tables
from core.repositories.rows import ClusterRow, FaceRow
from schema.connections import Connection, connection, known_count, page_of
from schema.context import Info
from schema.ids import encode_id
from schema.loaders import load_then

if TYPE_CHECKING:
    from schema.faces.types import Face
    from schema.photos.types import Photo


@strawberry.type(description="A group of faces of one person; named, it is a person (people(), person(id)).")
class Cluster:
    id: strawberry.ID
    name: str | None
    face_count: int
    photo_count: int
    hidden: bool
    created_at: datetime
    updated_at: datetime
    _row: strawberry.Private[tables.FaceCluster | ClusterRow]

    @classmethod
    def from_row(cls, row: tables.FaceCluster | ClusterRow) -> Cluster:
        return cls(
            id=encode_id("Cluster", row.id),
            name=row.name,
            face_count=row.face_count,
            photo_count=row.photo_count,
            hidden=row.hidden,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(description="True when the cluster has a name.")
    def is_person(self) -> bool:
        return self._row.name is not None

    @strawberry.field(description="The face shown for the cluster: the chosen cover, else its best face.")
    def cover_face(self, info: Info) -> Annotated[Face, strawberry.lazy("schema.faces.types")] | None:
        from schema.faces.types import Face

        loaders = info.context.loaders

        def best() -> Face | None:
            return load_then(loaders.faces_of_cluster, (self._row.id, 1, 0),
                             lambda rows: Face.from_row(rows[0]) if rows else None)

        def chosen(row: FaceRow | None) -> Face | None:
            # A cover that has left the cluster (moved, rejected) gives way to the best face.
            return Face.from_row(row) if row is not None and row.cluster_id == self._row.id else best()

        if self._row.cover_face_id is None:
            return best()
        return load_then(loaders.face, self._row.cover_face_id, chosen)

    @strawberry.field(description="The cluster's faces, best quality first.")
    async def faces(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Face, strawberry.lazy("schema.faces.types")]]:
        from schema.faces.types import Face

        page = page_of(first, after)
        loaders = info.context.loaders
        rows = await loaders.faces_of_cluster.load((self._row.id, page.fetch, page.offset))
        # The cluster's counts are kept right by every change to its faces.
        return connection(rows, page, Face.from_row, known_count(self._row.face_count))

    @strawberry.field(description="Photos the cluster's faces are in, newest first: the person's album.")
    async def photos(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Photo, strawberry.lazy("schema.photos.types")]]:
        from schema.photos.types import Photo

        page = page_of(first, after)
        loaders = info.context.loaders
        total = self._row.photo_count  # also chooses how the page is read
        rows = await loaders.photos_of_cluster.load((self._row.id, total, page.fetch, page.offset))
        return connection(rows, page, Photo.from_row, known_count(total))
