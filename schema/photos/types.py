# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""The Photo type, built from a photo row; nested fields go through the request's loaders."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from core import tables
from core.repositories.rows import FaceRow, PhotoRow
from schema.context import Info
from schema.ids import encode_id
from schema.loaders import load_then

if TYPE_CHECKING:
    from schema.faces.types import Face


@strawberry.enum(description="Where a photo is in processing: uploaded and processing are the work still to do.")
class PhotoStatus(enum.Enum):
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


# The enum's members by value: a dict lookup, where PhotoStatus(value) is two Python calls.
_STATUS = {member.value: member for member in PhotoStatus}


def _version(moment: datetime | None) -> str:
    # Derived images are rewritten when a photo is processed again: the URL changes with them.
    return f"?v={int(moment.timestamp())}" if moment is not None else ""


@strawberry.type
class Photo:
    id: strawberry.ID
    file_name: str
    taken_at: datetime | None = strawberry.field(description="EXIF date, else the file's time (UTC).")
    upload_date: datetime
    location: str | None = strawberry.field(description="Place name: city, region, country code.")
    country: str | None = strawberry.field(description="ISO country code of the place.")
    camera: str | None
    latitude: float | None
    longitude: float | None
    width: int | None
    height: int | None
    status: PhotoStatus
    error: str | None = strawberry.field(description="Why processing failed, when it did.")
    thumbnail_url: str | None = strawberry.field(description="400 px WebP; null until the photo is ingested.")
    preview_url: str | None = strawberry.field(description="1600 px WebP; null until the photo is ingested.")
    original_url: str
    metadata: JSON = strawberry.field(description="EXIF subset: camera, lens, exposure, GPS, place parts.")
    _row: strawberry.Private[tables.Photo | PhotoRow]

    @classmethod
    def from_row(cls, row: tables.Photo | PhotoRow) -> Photo:
        opaque = encode_id("Photo", row.id)
        media = f"/media/photos/{opaque}"
        ready = row.ingested_at is not None
        version = _version(row.ingested_at)
        meta: dict[str, Any] = dict(row.meta or {})
        return cls(
            id=opaque,
            file_name=row.file_name,
            taken_at=row.taken_at,
            upload_date=row.upload_date,
            location=row.location,
            country=row.country,
            camera=row.camera,
            latitude=row.latitude,
            longitude=row.longitude,
            width=row.width,
            height=row.height,
            status=_STATUS.get(row.status) or PhotoStatus(row.status),
            error=row.error,
            thumbnail_url=f"{media}/thumb{version}" if ready else None,
            preview_url=f"{media}/preview{version}" if ready else None,
            original_url=f"{media}/original",
            metadata=meta,  # type: ignore[arg-type]  # JSON is any JSON value
            _row=row,
        )

    @strawberry.field(description="Free-text labels, alphabetical.")
    async def labels(self, info: Info) -> list[str]:
        labels: list[str] = await info.context.loaders.labels_of_photo.load(self._row.id)
        return labels

    @strawberry.field(description="The faces found in the photo, left to right.")
    def faces(
        self, info: Info, unknown: bool | None = None
    ) -> list[Annotated[Face, strawberry.lazy("schema.faces.types")]]:
        return load_then(info.context.loaders.faces_of_photo, self._row.id, lambda rows: _faces(rows, unknown))


def _faces(rows: list[FaceRow], unknown: bool | None) -> list[Face]:
    from schema.faces.types import Face

    if unknown is not None:
        rows = [row for row in rows if (row.cluster_id is None) == unknown]
    return [Face.from_row(row) for row in rows]
