"""The service-mode vector index: a collection on a Qdrant server, through ``qdrant-client``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

from qdrant_client import QdrantClient
from qdrant_client import models as qm

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

_PAYLOAD_INDEXES: dict[str, qm.PayloadSchemaType | qm.KeywordIndexParams] = {
    # Every search filters by owner: is_tenant groups an owner's points in storage.
    "owner_id": qm.KeywordIndexParams(type=qm.KeywordIndexType.KEYWORD, is_tenant=True),
    "photo_id": qm.PayloadSchemaType.KEYWORD,
    "cluster_id": qm.PayloadSchemaType.KEYWORD,
    "assigned": qm.PayloadSchemaType.INTEGER,
}
HNSW_EF = 128


class ServerVectorIndex(VectorIndex):
    """One collection on a Qdrant server; any number of processes may share it.

    Writes wait for the server to apply them, so a search right after an upsert sees the face.
    ``close`` closes the client too.
    """

    def __init__(self, client: QdrantClient, collection: str, dim: int) -> None:
        self.client = client
        self.collection = collection
        self.dim = dim

    def __repr__(self) -> str:
        return f"ServerVectorIndex({self.collection!r}, {self.dim})"

    def ensure(self) -> None:
        if self.client.collection_exists(self.collection):
            self._check_dimension()
        else:
            self._create()
        for field, schema in _PAYLOAD_INDEXES.items():
            # Creating an index that exists is a no-op on the server, so this stays idempotent.
            self.client.create_payload_index(self.collection, field_name=field, field_schema=schema, wait=True)

    def _create(self) -> None:
        try:
            self.client.create_collection(
                self.collection,
                vectors_config=qm.VectorParams(size=self.dim, distance=qm.Distance.EUCLID),
                # payload_m adds graph links within each owner's points, so filtered searches
                # stay on the graph; owners under full_scan_threshold KB of vectors (~20k
                # 128-d faces) are searched exactly through the owner_id index instead.
                hnsw_config=qm.HnswConfigDiff(m=16, ef_construct=100, payload_m=16, full_scan_threshold=10_000),
            )
        except Exception:
            # Several workers start at once: one of them creates it, the others find it made.
            if not self.client.collection_exists(self.collection):
                raise
            self._check_dimension()

    def _check_dimension(self) -> None:
        vectors = self.client.get_collection(self.collection).config.params.vectors
        size = vectors.size if isinstance(vectors, qm.VectorParams) else None
        if size != self.dim:
            raise VectorIndexError(
                f"Qdrant collection {self.collection!r} holds vectors of size {size}, not {self.dim}; "
                "run `facesort reindex`"
            )

    def upsert(self, points: Sequence[FacePoint]) -> None:
        for batch in batches(points):
            self.client.upsert(
                self.collection,
                points=[
                    qm.PointStruct(id=str(p.face_id), vector=row, payload=face_payload(p))
                    for p, row in zip(batch, as_vectors([p.vector for p in batch], self.dim), strict=True)
                ],
                wait=True,
            )

    def delete(self, face_ids: Iterable[UUID]) -> None:
        for batch in batches([str(face_id) for face_id in face_ids]):
            self.client.delete(self.collection, points_selector=qm.PointIdsList(points=list(batch)), wait=True)

    def set_cluster(self, face_ids: Iterable[UUID], cluster_id: UUID | None) -> None:
        payload = cluster_payload(cluster_id)
        for batch in batches([str(face_id) for face_id in face_ids]):
            self.client.set_payload(self.collection, payload=payload, points=list(batch), wait=True)

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
        search_filter = _search_filter(owner_id, assigned_only=assigned_only, exclude=exclude_face_ids)
        requests = [
            qm.QueryRequest(
                query=row,
                filter=search_filter,
                limit=limit,
                with_payload=["photo_id", "cluster_id"],
                params=qm.SearchParams(hnsw_ef=max(HNSW_EF, limit)),
            )
            for row in as_vectors(vectors, self.dim)
        ]
        responses = self.client.query_batch_points(self.collection, requests=requests)
        return [
            within([neighbour_from(hit.id, hit.score, hit.payload) for hit in response.points], max_distance)
            for response in responses
        ]

    def count(self, owner_id: UUID | None = None) -> int:
        owner_filter = None if owner_id is None else qm.Filter(must=[_owner_is(owner_id)])
        return self.client.count(self.collection, count_filter=owner_filter, exact=True).count

    def clear(self) -> None:
        self.client.delete_collection(self.collection)
        self.ensure()

    def optimize(self) -> None:
        """Nothing to do: the server builds its HNSW graph in the background as points arrive."""

    def close(self) -> None:
        self.client.close()


def _owner_is(owner_id: UUID) -> qm.FieldCondition:
    return qm.FieldCondition(key="owner_id", match=qm.MatchValue(value=str(owner_id)))


def _search_filter(owner_id: UUID, *, assigned_only: bool, exclude: Iterable[UUID]) -> qm.Filter:
    must: list[qm.Condition] = [_owner_is(owner_id)]
    if assigned_only:
        must.append(qm.FieldCondition(key="assigned", match=qm.MatchValue(value=1)))
    excluded: list[qm.ExtendedPointId] = [str(face_id) for face_id in exclude]
    must_not: list[qm.Condition] = [qm.HasIdCondition(has_id=excluded)] if excluded else []
    return qm.Filter(must=must, must_not=must_not or None)
