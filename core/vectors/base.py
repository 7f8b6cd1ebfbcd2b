"""The vector index interface: one point per face, searched by owner, rebuilt from SQL at will."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeVar
from uuid import UUID

import numpy as np
from numpy.typing import NDArray

# Upserts and payload updates go out in batches of this many points: big enough to amortise a
# call, small enough that one request stays a few hundred KB for 128-d float32 vectors.
UPSERT_BATCH = 512

Vector = NDArray[np.float32]
# Several vectors: a list of them, or a matrix with one row per face (as embedders return them).
Vectors = Sequence[Vector] | NDArray[np.float32]
T = TypeVar("T")


class VectorIndexError(RuntimeError):
    """The index cannot be used as configured (locked by another process, wrong dimension)."""


@dataclass(frozen=True, slots=True)
class FacePoint:
    """One face as the index stores it. ``face_id`` is the point id, so a retried upsert overwrites."""

    face_id: UUID
    vector: Vector
    owner_id: UUID
    photo_id: UUID
    cluster_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A face near the query; ``distance`` is the Euclidean (L2) distance, not its square."""

    face_id: UUID
    distance: float
    cluster_id: UUID | None
    photo_id: UUID


def collection_name(model: str, dim: int) -> str:
    """``faces_dlib_128``: embeddings of different models or sizes never share a collection."""
    slug = re.sub(r"[^a-z0-9]+", "_", model.lower()).strip("_")
    if not slug or dim <= 0:
        raise ValueError(f"need a model name and a positive dimension, got {model!r}, {dim}")
    return f"faces_{slug}_{dim}"


def face_payload(point: FacePoint) -> dict[str, Any]:
    """The payload both adapters store: ids as strings, and ``assigned`` as 0/1.

    ``assigned`` is an integer rather than a boolean because qdrant-edge 0.9 turns a Python
    ``True`` in ``MatchValue`` into the integer 1, so boolean payloads can never match.
    """
    return {
        "owner_id": str(point.owner_id),
        "photo_id": str(point.photo_id),
        **cluster_payload(point.cluster_id),
    }


def cluster_payload(cluster_id: UUID | None) -> dict[str, Any]:
    return {"cluster_id": None if cluster_id is None else str(cluster_id), "assigned": int(cluster_id is not None)}


def neighbour_from(point_id: object, distance: float, payload: dict[str, Any] | None) -> Neighbour:
    payload = payload or {}
    cluster = payload.get("cluster_id")
    return Neighbour(
        face_id=UUID(str(point_id)),
        distance=float(distance),
        cluster_id=UUID(cluster) if cluster else None,
        photo_id=UUID(payload["photo_id"]),
    )


def as_vectors(vectors: Sequence[NDArray[Any] | Sequence[float]] | NDArray[Any], dim: int) -> list[list[float]]:
    """Plain lists of ``dim`` finite floats, the form both Qdrant bindings take.

    Checked and converted as one array: per-vector numpy calls cost more than the upsert itself.
    """
    if len(vectors) == 0:
        return []
    try:
        array = np.asarray(vectors, dtype=np.float32)
    except ValueError:  # ragged: vectors of different lengths
        array = np.empty(0, dtype=np.float32)
    if array.ndim != 2 or array.shape[1] != dim:
        shapes = sorted({np.shape(vector) for vector in vectors})
        raise ValueError(f"expected vectors of shape ({dim},), got {shapes}")
    if not np.isfinite(array).all():
        raise ValueError("vector holds NaN or infinity")
    rows: list[list[float]] = array.tolist()
    return rows


def within(neighbours: list[Neighbour], max_distance: float | None) -> list[Neighbour]:
    # Cut here rather than with Qdrant's score_threshold, which keeps only distances strictly below it.
    if max_distance is None:
        return neighbours
    return [neighbour for neighbour in neighbours if neighbour.distance <= max_distance]


def batches(items: Sequence[T], size: int = UPSERT_BATCH) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class VectorIndex(ABC):
    """Faces' embeddings, searched among one owner's faces. Built from SQL; ``clear`` loses nothing."""

    collection: str
    dim: int

    @abstractmethod
    def ensure(self) -> None:
        """Create the collection and its payload indexes if missing (idempotent)."""

    @abstractmethod
    def upsert(self, points: Sequence[FacePoint]) -> None:
        """Insert or overwrite points (by face id), in batches; visible to the next search."""

    @abstractmethod
    def delete(self, face_ids: Iterable[UUID]) -> None:
        """Remove faces; unknown ids are ignored."""

    @abstractmethod
    def set_cluster(self, face_ids: Iterable[UUID], cluster_id: UUID | None) -> None:
        """Record the faces' cluster (``None``: unassigned) without touching their vectors."""

    @abstractmethod
    def search_batch(
        self,
        vectors: Vectors,
        *,
        owner_id: UUID,
        limit: int,
        assigned_only: bool = False,
        exclude_face_ids: Iterable[UUID] = (),
        max_distance: float | None = None,
    ) -> list[list[Neighbour]]:
        """``search`` for several vectors in one call; one result list per vector, in order."""

    def search(
        self,
        vector: Vector,
        *,
        owner_id: UUID,
        limit: int,
        assigned_only: bool = False,
        exclude_face_ids: Iterable[UUID] = (),
        max_distance: float | None = None,
    ) -> list[Neighbour]:
        """The owner's faces nearest to ``vector``, nearest first.

        ``assigned_only`` keeps faces that belong to a cluster; ``exclude_face_ids`` drops faces
        (e.g. the query face itself); ``max_distance`` drops faces farther than that.
        """
        return self.search_batch(
            [vector],
            owner_id=owner_id,
            limit=limit,
            assigned_only=assigned_only,
            exclude_face_ids=exclude_face_ids,
            max_distance=max_distance,
        )[0]

    @abstractmethod
    def count(self, owner_id: UUID | None = None) -> int:
        """How many faces are indexed, for one owner or all."""

    @abstractmethod
    def clear(self) -> None:
        """Drop every point (reindex starts here) and leave an empty, usable collection."""

    @abstractmethod
    def optimize(self) -> None:
        """Build the search index where the engine needs an explicit call; no-op otherwise."""

    @abstractmethod
    def close(self) -> None:
        """Release files and connections."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
