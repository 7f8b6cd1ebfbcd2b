"""Rows and synthetic embeddings for people tests (shared by tests/core and tests/pipeline)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sqlmodel import Session

from core.db import SessionFactory
from core.embedding_models import DLIB
from core.tables import AssignedBy, Face, FaceCluster, Photo, PhotoStatus

DIM = 128


def person_centres(count: int, *, seed: int = 0, dim: int = DIM) -> NDArray[np.float32]:
    """Centres of ``count`` people: random unit vectors (about 1.4 apart, like strangers in dlib)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(count, dim))
    return (centres / np.linalg.norm(centres, axis=1, keepdims=True)).astype(np.float32)


def faces_around(centre: NDArray[np.float32], count: int, *, spread: float = 0.3, seed: int = 0) -> NDArray[np.float32]:
    """Faces of one person: two of them are about ``spread`` apart (dlib: one person under 0.6)."""
    rng = np.random.default_rng(seed)
    sigma = spread / np.sqrt(2 * len(centre))
    return (centre + rng.normal(scale=sigma, size=(count, len(centre)))).astype(np.float32)


def add_photo(session: Session, *, owner_id: uuid.UUID, name: str = "photo.jpg") -> Photo:
    photo = Photo(
        owner_id=owner_id, file_name=name, file_path=f"originals/{uuid.uuid4().hex}", sha256=uuid.uuid4().hex,
        status=PhotoStatus.done,
    )
    session.add(photo)
    session.flush()
    return photo


def add_face(
    session: Session,
    *,
    owner_id: uuid.UUID,
    photo_id: uuid.UUID,
    embedding: NDArray[np.float32] | None = None,
    cluster_id: uuid.UUID | None = None,
    assigned_by: AssignedBy = AssignedBy.none,
    quality: float = 0.5,
) -> Face:
    vector = np.zeros(DIM, np.float32) if embedding is None else np.asarray(embedding, dtype=np.float32)
    face = Face(
        owner_id=owner_id, photo_id=photo_id, face_location={"x": 0, "y": 0, "width": 50, "height": 50},
        face_embedding=vector.tobytes(), embedding_model=DLIB.name, embedding_dim=len(vector),
        cluster_id=cluster_id, detection_confidence=0.99, quality=quality,
        assigned_by=assigned_by if cluster_id is not None or assigned_by == AssignedBy.user else AssignedBy.none,
    )
    session.add(face)
    session.flush()
    return face


def add_cluster(session: Session, *, owner_id: uuid.UUID, name: str | None = None) -> FaceCluster:
    from core.media import fold

    cluster = FaceCluster(owner_id=owner_id, name=name, name_key=fold(name) if name else None)
    session.add(cluster)
    session.flush()
    return cluster


def cluster_with_faces(
    sessions: SessionFactory,
    *,
    owner_id: uuid.UUID,
    embeddings: Sequence[NDArray[np.float32]] | NDArray[np.float32],
    name: str | None = None,
    assigned_by: AssignedBy = AssignedBy.auto,
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A cluster whose faces are one per photo, with counts already right."""
    from core.repositories.clusters import refresh_cluster_stats

    with sessions() as session:
        cluster = add_cluster(session, owner_id=owner_id, name=name)
        face_ids = []
        for vector in embeddings:
            photo = add_photo(session, owner_id=owner_id)
            face = add_face(session, owner_id=owner_id, photo_id=photo.id, embedding=vector, cluster_id=cluster.id,
                            assigned_by=assigned_by)
            face_ids.append(face.id)
        refresh_cluster_stats(session, cluster_ids=[cluster.id])
        session.commit()
        return cluster.id, face_ids


def bulk_unknown_faces(
    session: Session, *, owner_id: uuid.UUID, embeddings: NDArray[np.float32]
) -> list[uuid.UUID]:
    """Many unknown faces, one photo each, written with two executemany inserts (for scale tests)."""
    import sqlalchemy as sa

    photo_rows, face_rows = [], []
    for vector in embeddings:
        photo_id, face_id = uuid.uuid4(), uuid.uuid4()
        photo_rows.append({"id": photo_id, "owner_id": owner_id, "file_name": "p.jpg", "file_path": photo_id.hex,
                           "sha256": photo_id.hex, "status": PhotoStatus.done, "meta": {}})
        face_rows.append({"id": face_id, "owner_id": owner_id, "photo_id": photo_id, "face_location": {},
                          "face_embedding": np.asarray(vector, np.float32).tobytes(),
                          "embedding_model": DLIB.name, "embedding_dim": len(vector),
                          "detection_confidence": 0.99, "quality": 0.5, "quality_detail": {}})
    session.execute(sa.insert(Photo), photo_rows)
    session.execute(sa.insert(Face), face_rows)
    return [row["id"] for row in face_rows]
