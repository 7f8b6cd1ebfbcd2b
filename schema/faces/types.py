# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""The Face type: a box in original pixels, its crop, its cluster (person) and photo."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from core import tables
from core.repositories.rows import ClusterRow, FaceRow
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


# The enum's members by value: a dict lookup, where AssignedBy(value) is two Python calls.
_ASSIGNED_BY = {member.value: member for member in AssignedBy}


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


def _cluster(row: ClusterRow | None) -> Cluster | None:
    from schema.people.types import Cluster

    return Cluster.from_row(row) if row is not None else None


def _box(location: dict[str, Any]) -> Box:
    """The face's box; a coordinate that is missing or not a number is 0 (one call for the four)."""
    x, y = location.get("x", 0.0), location.get("y", 0.0)
    width, height = location.get("width", 0.0), location.get("height", 0.0)
    return Box(x=float(x) if isinstance(x, int | float) else 0.0, y=float(y) if isinstance(y, int | float) else 0.0,
               width=float(width) if isinstance(width, int | float) else 0.0,
               height=float(height) if isinstance(height, int | float) else 0.0)


@strawberry.type
class Face:
    """The plain fields are set when the face is built (a few microseconds): read in one step by
    schema.execution, they cost far less than a resolver each (about 35 us) would when asked for.
    Landmarks, cluster and photo are resolved only when a query asks for them."""

    id: strawberry.ID
    box: Box

    @strawberry.field(description="Eyes, nose, mouth corners (five points).")
    def landmarks(self) -> list[Point]:
        marks = (self._row.face_location or {}).get("landmarks") or []
        return [Point(x=float(p[0]), y=float(p[1])) for p in marks if isinstance(p, list | tuple) and len(p) == 2]

    detection_confidence: float
    quality: float = strawberry.field(description="0..1: size, sharpness and pose of the face.")
    crop_url: str
    assigned_by: AssignedBy
    _row: strawberry.Private[tables.Face | FaceRow]

    @classmethod
    def from_row(cls, row: tables.Face | FaceRow) -> Face:
        opaque = encode_id("Face", row.id)
        return cls(
            id=opaque,
            box=_box(row.face_location or {}),
            detection_confidence=row.detection_confidence,
            quality=row.quality,
            crop_url=f"/media/faces/{opaque}?v={int(row.updated_at.timestamp())}",
            assigned_by=_ASSIGNED_BY.get(row.assigned_by) or AssignedBy(row.assigned_by),
            _row=row,
        )

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
