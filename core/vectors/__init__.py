"""The vector index: one point per face; Qdrant Edge in-process, or a Qdrant server."""

from __future__ import annotations

from qdrant_client import QdrantClient

from core.settings import Settings
from core.vectors.base import (
    FacePoint,
    Neighbour,
    VectorIndex,
    VectorIndexError,
    collection_name,
)
from core.vectors.edge import EdgeVectorIndex
from core.vectors.server import ServerVectorIndex

__all__ = [
    "EdgeVectorIndex",
    "FacePoint",
    "Neighbour",
    "ServerVectorIndex",
    "VectorIndex",
    "VectorIndexError",
    "collection_name",
    "open_vector_index",
]


def open_vector_index(settings: Settings, *, model: str, dim: int) -> VectorIndex:
    """The index for one embedding model: the Qdrant server when ``qdrant_url`` is set, else Edge.

    The caller still calls ``ensure()`` (cheap, idempotent) before the first write.
    """
    collection = collection_name(model, dim)
    if settings.qdrant_url:
        client = QdrantClient(url=settings.qdrant_url, api_key=settings.qdrant_api_key or None)
        return ServerVectorIndex(client, collection, dim)
    return EdgeVectorIndex(settings.resolved_qdrant_path() / collection, collection, dim)
