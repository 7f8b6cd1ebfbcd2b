"""The embedded vector index: a Qdrant Edge shard in a folder, owned by this one process."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from qdrant_edge import (
    CountRequest,
    Distance,
    EdgeConfig,
    EdgeShard,
    EdgeVectorParams,
    FieldCondition,
    Filter,
    HasIdCondition,
    HnswIndexConfig,
    KeywordIndexParams,
    MatchValue,
    PayloadSchemaType,
    Point,
    Query,
    QueryBatchRequest,
    QueryRequest,
    SearchParams,
    UpdateOperation,
)

if TYPE_CHECKING:
    from qdrant_edge import ConditionType, PointId

from core.vectors.base import (
    FacePoint,
    Neighbour,
    VectorIndex,
    VectorIndexError,
    Vectors,
    as_vectors,
    batches,
    cluster_payload,
    face_payload,
    neighbour_from,
    within,
)

_CONFIG_FILE = "edge_config.json"  # written by Qdrant Edge; its presence marks a shard folder
_PAYLOAD_INDEXES: dict[str, PayloadSchemaType | KeywordIndexParams] = {
    # is_tenant lays the owner's points out together on disk, so per-owner scans read less.
    "owner_id": KeywordIndexParams(is_tenant=True),
    "photo_id": PayloadSchemaType.Keyword,
    "cluster_id": PayloadSchemaType.Keyword,
    "assigned": PayloadSchemaType.Integer,
}
HNSW_EF = 128


class EdgeVectorIndex(VectorIndex):
    """One Qdrant Edge shard at ``path`` (a folder of its own).

    The shard holds a write-ahead-log lock, so only one process (and one instance) may open it.
    Searches are exact until ``optimize`` builds the HNSW graph; see ``optimize`` for when.
    """

    def __init__(self, path: Path, collection: str, dim: int, *, optimize_min_points: int = 50_000) -> None:
        self.path = path
        self.collection = collection
        self.dim = dim
        self.optimize_min_points = optimize_min_points
        # Worker threads share the index; clear() swaps the shard, so every call holds the lock.
        self._lock = threading.RLock()
        self._shard: EdgeShard | None = self._open()

    def __repr__(self) -> str:
        return f"EdgeVectorIndex({str(self.path)!r}, {self.collection!r}, {self.dim})"

    def _config(self) -> EdgeConfig:
        return EdgeConfig(
            vectors=EdgeVectorParams(size=self.dim, distance=Distance.Euclid),
            # full_scan_threshold is in KB of vectors: a filter matching fewer than ~20k 128-d faces
            # is searched exactly through the payload index even after the graph is built (at
            # 5,000 KB an owner of 10k faces got graph search with recall@10 of 0.79).
            hnsw_config=HnswIndexConfig(m=16, ef_construct=100, full_scan_threshold=10_000, payload_m=16),
        )

    def _open(self) -> EdgeShard:
        try:
            if (self.path / _CONFIG_FILE).exists():
                return EdgeShard.load(str(self.path), self._config())
            self.path.mkdir(parents=True, exist_ok=True)
            return EdgeShard.create(str(self.path), self._config())
        except Exception as error:
            raise self._explain(error) from error

    def _explain(self, error: Exception) -> Exception:
        message = str(error)
        if "WAL" in message or "WouldBlock" in message:
            return VectorIndexError(
                f"the vector index at {self.path} is already open in another process (or another "
                "EdgeVectorIndex in this one). The embedded mode runs as one process: stop the other "
                "facesort process, or set FACESORT_QDRANT_URL to share a Qdrant server."
            )
        if "ncompatible" in message:
            return VectorIndexError(
                f"the vector index at {self.path} was made for other embeddings ({message}); "
                "delete that folder and run `facesort reindex` to rebuild it from the database"
            )
        return error

    @property
    def shard(self) -> EdgeShard:
        if self._shard is None:
            raise VectorIndexError(f"the vector index at {self.path} is closed")
        return self._shard

    def ensure(self) -> None:
        with self._lock:
            existing = self.shard.info().payload_schema
            for field, schema in _PAYLOAD_INDEXES.items():
                if field not in existing:
                    self.shard.update(UpdateOperation.create_field_index(field, schema))

    def upsert(self, points: Sequence[FacePoint]) -> None:
        with self._lock:
            for batch in batches(points):
                rows = as_vectors([p.vector for p in batch], self.dim)
                self.shard.update(
                    UpdateOperation.upsert_points(
                        [Point(p.face_id, row, face_payload(p)) for p, row in zip(batch, rows, strict=True)]
                    )
                )

    def delete(self, face_ids: Iterable[UUID]) -> None:
        with self._lock:
            for batch in batches(list(face_ids)):
                self.shard.update(UpdateOperation.delete_points(list(batch)))

    def set_cluster(self, face_ids: Iterable[UUID], cluster_id: UUID | None) -> None:
        payload = cluster_payload(cluster_id)
        with self._lock:
            for batch in batches(list(face_ids)):
                # Faces not indexed yet are skipped: Edge raises on them after updating the rest, and
                # a photo worker without the index has them indexed, cluster included, from SQL later.
                present: list[PointId] = [
                    record.id for record in self.shard.retrieve(list(batch), with_payload=False, with_vector=False)
                ]
                if present:
                    self.shard.update(UpdateOperation.set_payload(present, payload))

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
        if len(vectors) == 0:
            return []
        search_filter = _search_filter(owner_id, assigned_only=assigned_only, exclude=_point_ids(exclude_face_ids))
        requests = [
            QueryRequest(
                limit=limit,
                query=Query.Nearest(row),
                filter=search_filter,
                with_payload=True,
                params=SearchParams(hnsw_ef=max(HNSW_EF, limit)),
            )
            for row in as_vectors(vectors, self.dim)
        ]
        with self._lock:
            results = self.shard.query_batch(QueryBatchRequest(requests))
        return [
            within([neighbour_from(hit.id, hit.score, hit.payload) for hit in hits], max_distance) for hits in results
        ]

    def count(self, owner_id: UUID | None = None) -> int:
        owner_filter = None if owner_id is None else Filter(must=[_owner_is(owner_id)])
        with self._lock:
            return self.shard.count(CountRequest(exact=True, filter=owner_filter))

    def clear(self) -> None:
        # Deleting points would leave them in the segments until a vacuum; a fresh shard is cheaper.
        with self._lock:
            self.close()
            if (self.path / _CONFIG_FILE).exists():
                shutil.rmtree(self.path)
            self._shard = self._open()
            self.ensure()

    def optimize(self) -> None:
        """Build the HNSW graph of the faces added since the last build, once there are
        ``optimize_min_points`` of them; the recluster after each import and reindex call it.

        Faces not in the graph yet sit in a segment that is searched exactly: ~1.5 ms per query
        with 30k of them, so waiting for 50k costs little. The build blocks (this index's lock
        too) and costs more as the graph grows, since segments are merged: measured by
        bench.scale (idle, 2 cores) 10.6 s for the two builds of 100k faces and 412 s for the
        twenty of 1M, after which a search takes 1.9 ms and an assignment 2.2 ms a face.
        """
        with self._lock:
            info = self.shard.info()
            if info.points_count - info.indexed_vectors_count >= self.optimize_min_points:
                self.shard.optimize()

    def close(self) -> None:
        with self._lock:
            if self._shard is not None:
                self._shard.flush()
                self._shard.close()
                self._shard = None


def _point_ids(face_ids: Iterable[UUID]) -> set[PointId]:
    return set(face_ids)


def _owner_is(owner_id: UUID) -> FieldCondition:
    return FieldCondition("owner_id", match=MatchValue(str(owner_id)))


def _search_filter(owner_id: UUID, *, assigned_only: bool, exclude: set[PointId]) -> Filter:
    must: list[ConditionType] = [_owner_is(owner_id)]
    if assigned_only:
        must.append(FieldCondition("assigned", match=MatchValue(1)))
    must_not: list[ConditionType] = [HasIdCondition(exclude)] if exclude else []
    return Filter(must=must, must_not=must_not or None)
