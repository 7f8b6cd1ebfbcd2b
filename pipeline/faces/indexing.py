"""index_faces's work: the vector owner indexes a photo's faces from SQL, then assigns them.

In service mode without a Qdrant server the embedded shard admits one process, so only the
worker that consumes the people queue (assign, recluster, reindex: every search) opens it.
Photo workers in other processes detect and embed, commit the faces with their embeddings to
SQL (the record of truth), and send this job instead of upserting; it reads what they wrote.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

import numpy as np

from core.repositories import detections as detection_repo
from core.settings import Settings
from core.vectors import FacePoint
from pipeline.enqueue import VECTOR_QUEUES
from pipeline.runtime import Runtime, embedding_model

# Set by `facesort worker --queues ...` for the Dramatiq processes it starts (empty: every queue).
QUEUES_ENV = "FACESORT_WORKER_QUEUES"


def worker_owns_vectors(settings: Settings, queues: Collection[str]) -> bool:
    """A Qdrant server is everyone's; the embedded shard belongs to the vector queues' one consumer."""
    return bool(settings.qdrant_url) or not queues or bool(VECTOR_QUEUES & set(queues))


def index_photo_faces(runtime: Runtime, photo_id: uuid.UUID) -> int:
    """Upsert the photo's faces of the configured model; returns how many. Safe to run twice."""
    model, dim = embedding_model(runtime.settings).identity
    with runtime.sessions() as session:
        faces = detection_repo.faces_of_photo(session, photo_id=photo_id)
    points = [
        FacePoint(face_id=face.id, vector=np.frombuffer(face.face_embedding, dtype=np.float32),
                  owner_id=face.owner_id, photo_id=face.photo_id, cluster_id=face.cluster_id)
        for face in faces
        if face.embedding_model == model and face.embedding_dim == dim
    ]
    if points:
        runtime.vectors().upsert(points)
    return len(points)
