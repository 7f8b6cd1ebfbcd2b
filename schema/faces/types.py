# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""The Face type: a box in original pixels, its crop, its cluster (person) and photo."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from core import tables
from schema.context import Info
from schema.ids import encode_id
from schema.loaders import load_then

if TYPE_CHECKING:
    from schema.people.types import Cluster
    from schema.photos.types import Photo


@strawberry.enum(description="Who put the face in its cluster: nobody yet, the machine, or a person.")
class AssignedBy(enum.Enum):
    NONE = "none"
    AUTO = "auto"
    USER = "user"


@strawberry.type(description="A rectangle in the original photo's pixels (after EXIF orientation).")
class Box:
    x: float
    y: float
    width: float
    height: float


@strawberry.type
class Point:
    x: float
    y: float


def _cluster(row: tables.FaceCluster | None) -> Cluster | None:
    from schema.people.types import Cluster

    return Cluster.from_row(row) if row is not None else None


def _number(location: dict[str, Any], key: str) -> float:
    value = location.get(key, 0.0)
    return float(value) if isinstance(value, int | float) else 0.0


@strawberry.type
class Face:
    """Fields are computed from the row when a query asks for them: a page of photos with their
    faces builds hundreds of these, and most queries want only the id, box and cluster."""

    id: strawberry.ID
    _row: strawberry.Private[tables.Face]

    @classmethod
    def from_row(cls, row: tables.Face) -> Face:
        return cls(id=encode_id("Face", row.id), _row=row)

    @strawberry.field
    def box(self) -> Box:
        location = self._row.face_location or {}
        return Box(
            x=_number(location, "x"),
            y=_number(location, "y"),
            width=_number(location, "width"),
            height=_number(location, "height"),
        )

    @strawberry.field(description="Eyes, nose, mouth corners (five points).")
    def landmarks(self) -> list[Point]:
        marks = (self._row.face_location or {}).get("landmarks") or []
        return [Point(x=float(p[0]), y=float(p[1])) for p in marks if isinstance(p, list | tuple) and len(p) == 2]

    @strawberry.field
    def detection_confidence(self) -> float:
        return self._row.detection_confidence

    @strawberry.field(description="0..1: size, sharpness and pose of the face.")
    def quality(self) -> float:
        return self._row.quality

    @strawberry.field
    def crop_url(self) -> str:
        return f"/media/faces/{self.id}?v={int(self._row.updated_at.timestamp())}"

    @strawberry.field
    def assigned_by(self) -> AssignedBy:
        return AssignedBy(self._row.assigned_by)

    @strawberry.field(description="The cluster (a person when named) the face is in; null when unknown.")
    def cluster(self, info: Info) -> Annotated[Cluster, strawberry.lazy("schema.people.types")] | None:
        if self._row.cluster_id is None:
            return None
        return load_then(info.context.loaders.cluster, self._row.cluster_id, _cluster)

    @strawberry.field
    async def photo(self, info: Info) -> Annotated[Photo, strawberry.lazy("schema.photos.types")]:
        from schema.photos.types import Photo

        row = await info.context.loaders.photo.load(self._row.photo_id)
        return Photo.from_row(row)
