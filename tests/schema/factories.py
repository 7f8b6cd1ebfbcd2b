"""Rows for schema and API tests: photos, faces and people written straight into the tables."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from core.db import SessionFactory
from core.media import fold
from core.tables import AssignedBy, Face, FaceCluster, Photo, PhotoLabel, PhotoStatus, User

BASE_TIME = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def add_user(sessions: SessionFactory, username: str, password_hash: str = "not-a-hash") -> User:
    user = User(username=username, password_hash=password_hash)
    with sessions() as session:
        session.add(user)
        session.commit()
    return user


def photo_row(owner_id: uuid.UUID, index: int, **values: object) -> Photo:
    digest = hashlib.sha256(f"{owner_id}:{index}".encode()).hexdigest()
    fields: dict[str, object] = {
        "owner_id": owner_id,
        "file_name": f"IMG_{index:04d}.jpg",
        "file_path": f"originals/{digest[:2]}/{digest}",
        "sha256": digest,
        "content_type": "image/jpeg",
        "taken_at": BASE_TIME - timedelta(days=index),
        "width": 1600,
        "height": 1200,
        "status": PhotoStatus.done,
        "ingested_at": BASE_TIME,
        "processed_at": BASE_TIME,
    }
    fields.update(values)
    return Photo(**fields)  # type: ignore[arg-type]


def face_row(owner_id: uuid.UUID, photo_id: uuid.UUID, cluster_id: uuid.UUID | None, x: float = 100.0,
             **values: object) -> Face:
    fields: dict[str, object] = {
        "owner_id": owner_id,
        "photo_id": photo_id,
        "cluster_id": cluster_id,
        "face_location": {"x": x, "y": 50.0, "width": 80.0, "height": 90.0,
                          "landmarks": [[x + 20, 80.0], [x + 60, 80.0], [x + 40, 100.0], [x + 25, 120.0],
                                        [x + 55, 120.0]]},
        "face_embedding": np.zeros(4, dtype=np.float32).tobytes(),
        "embedding_model": "test",
        "embedding_dim": 4,
        "detection_confidence": 0.99,
        "quality": 0.8,
        "assigned_by": AssignedBy.auto if cluster_id else AssignedBy.none,
    }
    fields.update(values)
    return Face(**fields)  # type: ignore[arg-type]


@dataclass
class Library:
    """A small library: photos, people (name -> cluster id) and which people each photo shows."""

    owner_id: uuid.UUID
    photos: list[Photo] = field(default_factory=list)
    people: dict[str, uuid.UUID] = field(default_factory=dict)
    faces: list[Face] = field(default_factory=list)


def make_library(
    sessions: SessionFactory,
    owner_id: uuid.UUID,
    *,
    photos: int,
    people: dict[str | None, Sequence[int]],
    unknown_faces_in: Sequence[int] = (),
) -> Library:
    """``people`` maps a name (None: an unnamed cluster) to the photo indexes the person is in."""
    library = Library(owner_id=owner_id)
    with sessions() as session:
        for index in range(photos):
            photo = photo_row(owner_id, index)
            session.add(photo)
            library.photos.append(photo)
        session.flush()
        for position, (name, indexes) in enumerate(people.items()):
            cluster = FaceCluster(owner_id=owner_id, name=name, name_key=fold(name) if name else None,
                                  face_count=len(indexes), photo_count=len(set(indexes)))
            session.add(cluster)
            session.flush()
            library.people[name or f"unnamed-{position}"] = cluster.id
            for index in indexes:
                face = face_row(owner_id, library.photos[index].id, cluster.id, x=100.0 * position,
                                quality=0.5 + 0.01 * index)
                session.add(face)
                library.faces.append(face)
            session.flush()
            first_face = next(f for f in library.faces if f.cluster_id == cluster.id) if indexes else None
            cluster.cover_face_id = first_face.id if first_face else None
        for index in unknown_faces_in:
            face = face_row(owner_id, library.photos[index].id, None, x=900.0)
            session.add(face)
            library.faces.append(face)
        session.commit()
    return library


def add_label(sessions: SessionFactory, photo_id: uuid.UUID, label: str) -> None:
    with sessions() as session:
        session.add(PhotoLabel(photo_id=photo_id, label=label, label_key=fold(label)))
        session.commit()
