"""A runtime on the test database with a fresh Qdrant Edge shard and Dramatiq's stub broker."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import dramatiq
import numpy as np
import pytest
import sqlalchemy as sa
from dramatiq.brokers.stub import StubBroker
from numpy.typing import NDArray
from sqlmodel import col

from core.blobs import open_blob_store
from core.db import SessionFactory, transaction
from core.repositories import owner_jobs
from core.settings import Settings
from core.tables import AssignedBy, OwnerJob, utcnow
from core.vectors import EdgeVectorIndex, FacePoint
from pipeline.broker import setup_broker
from pipeline.runtime import Runtime, embedding_model
from tests.pipeline.people.factories import add_face, add_photo


@pytest.fixture
def broker(settings: Settings) -> Iterator[StubBroker]:
    made = setup_broker(settings)
    assert isinstance(made, StubBroker)
    yield made
    made.close()


def _runtime(sessions: SessionFactory, settings: Settings, path: Path, embedder: str) -> Iterator[Runtime]:
    settings = settings.model_copy(update={"embedder": embedder})
    dim = embedding_model(settings).dim
    made = Runtime(
        settings=settings, sessions=sessions, blobs=open_blob_store(settings),
        _vectors=EdgeVectorIndex(path / "faces_test", "faces_test", dim),
    )
    made.vectors().ensure()
    yield made
    made.close()


@pytest.fixture
def runtime(sessions: SessionFactory, settings: Settings, tmp_path: Path, broker: StubBroker) -> Iterator[Runtime]:
    """For synthetic faces (tests.pipeline.people.factories): 128-d, on dlib's distance scale, so the
    runtime's embedding, whose distances tune the people steps, is dlib's."""
    yield from _runtime(sessions, settings, tmp_path, "dlib")


@pytest.fixture
def model_runtime(
    sessions: SessionFactory, settings: Settings, tmp_path: Path, broker: StubBroker
) -> Iterator[Runtime]:
    """For faces the default models found in real photos."""
    yield from _runtime(sessions, settings, tmp_path, Settings.model_fields["embedder"].default)


def add_photo_faces(
    runtime: Runtime,
    *,
    owner_id: uuid.UUID,
    embeddings: NDArray[np.float32] | list[NDArray[np.float32]],
    cluster_id: uuid.UUID | None = None,
    assigned_by: AssignedBy = AssignedBy.none,
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """One photo with these faces, in SQL and in the vector index (as detect_faces leaves them)."""
    with transaction(runtime.sessions) as session:
        photo = add_photo(session, owner_id=owner_id)
        faces = [
            add_face(session, owner_id=owner_id, photo_id=photo.id, embedding=e, cluster_id=cluster_id,
                     assigned_by=assigned_by)
            for e in embeddings
        ]
        points = [FacePoint(f.id, np.asarray(e, np.float32), owner_id, photo.id, cluster_id)
                  for f, e in zip(faces, embeddings, strict=True)]
        photo_id, face_ids = photo.id, [f.id for f in faces]
    runtime.vectors().upsert(points)
    return photo_id, face_ids


def one_face_per_photo(
    runtime: Runtime, *, owner_id: uuid.UUID, embeddings: NDArray[np.float32], cluster_id: uuid.UUID | None = None,
    assigned_by: AssignedBy = AssignedBy.none,
) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    for vector in embeddings:
        ids.extend(add_photo_faces(runtime, owner_id=owner_id, embeddings=[vector], cluster_id=cluster_id,
                                   assigned_by=assigned_by)[1])
    return ids


def settle_recluster_asks(runtime: Runtime, owner_id: uuid.UUID) -> None:
    """Pretend the debounce has passed since the last ask."""
    past = utcnow() - timedelta(seconds=runtime.settings.recluster_debounce_seconds + 1)
    with transaction(runtime.sessions) as session:
        owner_jobs.ensure_owner_job(session, owner_id=owner_id)
        session.execute(
            sa.update(OwnerJob).where(col(OwnerJob.owner_id) == owner_id).values(recluster_requested_at=past)
        )


def queued(broker: dramatiq.Broker, actor_name: str) -> list[dramatiq.Message[object]]:
    assert isinstance(broker, StubBroker)
    messages = []
    for name in list(broker.queues):
        queue = broker.queues[name]
        messages.extend(m for m in list(queue.queue) if dramatiq.Message.decode(m).actor_name == actor_name)
    return [dramatiq.Message.decode(m) for m in messages]


@pytest.fixture(scope="session")
def dev_people(dev_set: Path) -> dict[str, list[object]]:
    """Ten people of the dev set with their photos analysed by the real models (once per session)."""
    from tests.pipeline.people.real_photos import analyse_people

    return analyse_people(dev_set)  # type: ignore[return-value]
