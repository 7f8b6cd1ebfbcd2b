"""What an actor needs, built once per worker process from the settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.blobs import BlobStore, open_blob_store
from core.db import SessionFactory, make_engine, make_session_factory
from core.embedding_models import BY_SETTING, EmbeddingModel
from core.settings import Settings
from core.vectors import VectorIndex, VectorIndexError, open_vector_index

if TYPE_CHECKING:
    from pipeline.ml.models import FaceModels, PhotoFaces
    from pipeline.ml.pool import AnalysisPool


@dataclass
class Runtime:
    settings: Settings
    sessions: SessionFactory
    blobs: BlobStore
    # False in a service-mode worker that shares no Qdrant server and does not consume the people
    # queue: the embedded shard admits one process, so its faces are indexed by the one that does
    # (see pipeline.faces.indexing).
    owns_vectors: bool = True
    # Set by the embedded server's worker (pipeline.worker): the models run in child processes.
    analysis_pool: AnalysisPool | None = None
    _vectors: VectorIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def models(self) -> FaceModels:
        from pipeline.ml.models import get_face_models  # here, not at the top: torch loads only in workers

        return get_face_models(**model_options(self.settings, torch_threads=self.settings.torch_threads))

    def analyse(self, data: bytes) -> PhotoFaces:
        """A photo's faces (pipeline.ml.models.analyse_photo): in the analysis pool when there is one."""
        if self.analysis_pool is not None:
            return self.analysis_pool.analyse(data, max_pixels=self.settings.max_image_pixels)
        from pipeline.ml.models import analyse_photo

        return analyse_photo(self.models(), data, max_pixels=self.settings.max_image_pixels)

    def vectors(self) -> VectorIndex:
        if not self.owns_vectors:
            raise VectorIndexError(
                "this worker does not own the embedded vector index: the worker that consumes the "
                "people queue does (or set FACESORT_QDRANT_URL to share a Qdrant server)"
            )
        with self._lock:
            if self._vectors is None:
                name, dim = embedding_model(self.settings).identity
                self._vectors = open_vector_index(self.settings, model=name, dim=dim)
                self._vectors.ensure()
            return self._vectors

    def close(self) -> None:
        if self._vectors is not None:
            self._vectors.close()
            self._vectors = None
        if self.analysis_pool is not None:
            self.analysis_pool.close()


def model_options(settings: Settings, *, torch_threads: int) -> dict[str, Any]:
    """The arguments of pipeline.ml.models.get_face_models the settings choose."""
    return {
        "embedder": settings.embedder,
        "facenet_weights": settings.facenet_weights,
        "min_face_px": settings.min_face_px,
        "min_confidence": settings.min_face_confidence,
        "max_side": settings.detect_max_side,
        "torch_threads": torch_threads,
    }


def embedding_model(settings: Settings) -> EmbeddingModel:
    """The configured embedding, without loading the model: its name and dimension name the vector
    collection, and its distances tune the people steps."""
    return BY_SETTING[settings.embedder]


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
