"""What an actor needs, built once per worker process from the settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.blobs import BlobStore, open_blob_store
from core.db import SessionFactory, make_engine, make_session_factory
from core.settings import Settings
from core.vectors import VectorIndex, VectorIndexError, open_vector_index

if TYPE_CHECKING:
    from pipeline.ml.models import FaceModels


@dataclass
class Runtime:
    settings: Settings
    sessions: SessionFactory
    blobs: BlobStore
    # False in a service-mode worker that shares no Qdrant server and does not consume the people
    # queue: the embedded shard admits one process, so its faces are indexed by the one that does
    # (see pipeline.faces.indexing).
    owns_vectors: bool = True
    _vectors: VectorIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def models(self) -> FaceModels:
        from pipeline.ml.models import get_face_models  # here, not at the top: torch loads only in workers

        s = self.settings
        return get_face_models(
            embedder=s.embedder,
            facenet_weights=s.facenet_weights,
            min_face_px=s.min_face_px,
            min_confidence=s.min_face_confidence,
            max_side=s.detect_max_side,
            torch_threads=s.torch_threads,
        )

    def vectors(self) -> VectorIndex:
        if not self.owns_vectors:
            raise VectorIndexError(
                "this worker does not own the embedded vector index: the worker that consumes the "
                "people queue does (or set FACESORT_QDRANT_URL to share a Qdrant server)"
            )
        with self._lock:
            if self._vectors is None:
                name, dim = embedder_identity(self.settings)
                self._vectors = open_vector_index(self.settings, model=name, dim=dim)
                self._vectors.ensure()
            return self._vectors

    def close(self) -> None:
        if self._vectors is not None:
            self._vectors.close()
            self._vectors = None


def embedder_identity(settings: Settings) -> tuple[str, int]:
    """Model name and dimension without loading the model (they name the vector collection)."""
    if settings.embedder == "facenet":
        return "facenet_vggface2", 512
    return "dlib_resnet_v1", 128


_current: Runtime | None = None


def configure(settings: Settings, **overrides: Any) -> Runtime:
    """Build this process's runtime; the worker and the embedded server call it at start-up."""
    global _current  # one runtime per process, like the broker
    if _current is not None:
        _current.close()
    engine = make_engine(settings.resolved_database_url())
    _current = Runtime(
        settings=settings,
        sessions=overrides.get("sessions") or make_session_factory(engine),
        blobs=overrides.get("blobs") or open_blob_store(settings),
    )
    return _current


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("pipeline.runtime.configure(settings) was not called in this process")
    return _current
