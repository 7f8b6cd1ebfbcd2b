"""Embedded vectors with service-mode workers: one process owns the Qdrant Edge shard.

The end-to-end proof is test_service_mode; these pin down the rules it relies on.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest

from core.blobs import open_blob_store
from core.db import SessionFactory, transaction
from core.settings import Settings
from core.tables import User
from core.vectors import EdgeVectorIndex, FacePoint, VectorIndexError
from facesort.cli import worker_queues_problem
from pipeline.faces.indexing import index_photo_faces, worker_owns_vectors
from pipeline.runtime import Runtime
from tests.pipeline.people.factories import DIM, add_cluster, add_face, add_photo

SERVER = {"qdrant_url": "http://qdrant:6333"}


@pytest.mark.parametrize(
    ("queues", "processes", "server", "refused"),
    [
        (None, 1, False, False),  # everything in one process: it owns the shard
        (None, 2, False, True),  # two processes would both open the shard
        (["photos"], 4, False, False),  # photo workers scale out freely
        (["photos", "people", "maintenance"], 1, False, False),  # the owner, doing photos too
        (["people", "maintenance"], 2, False, True),
        (["people"], 1, False, True),  # reindex would need a second owner
        (["photos", "thumbnails"], 1, False, True),  # no such queue
        (None, 8, True, False),  # a Qdrant server is shared by any number
        (["people"], 3, True, False),
    ],
)
def test_worker_queues_rule(queues: list[str] | None, processes: int, server: bool, refused: bool) -> None:
    settings = Settings(**SERVER) if server else Settings()  # type: ignore[arg-type]
    problem = worker_queues_problem(settings, queues, processes)
    assert (problem is not None) == refused, problem


def test_who_owns_the_vectors() -> None:
    embedded, server = Settings(), Settings(**SERVER)  # type: ignore[arg-type]
    assert worker_owns_vectors(embedded, [])  # no --queues: every queue
    assert worker_owns_vectors(embedded, ["photos", "people", "maintenance"])
    assert not worker_owns_vectors(embedded, ["photos"])
    assert worker_owns_vectors(server, ["photos"])  # detect upserts to the server itself


def test_a_photo_worker_cannot_open_the_shard(settings: Settings, sessions: SessionFactory) -> None:
    runtime = Runtime(settings=settings, sessions=sessions, blobs=open_blob_store(settings), owns_vectors=False)
    with pytest.raises(VectorIndexError, match="people queue"):
        runtime.vectors()
    assert not (settings.resolved_qdrant_path()).exists()


def test_index_photo_faces_reads_sql_and_is_idempotent(
    settings: Settings, sessions: SessionFactory, owner: User, tmp_path: Path
) -> None:
    rng = np.random.default_rng(0)
    with transaction(sessions) as session:
        cluster = add_cluster(session, owner_id=owner.id, name="Ada")
        photo = add_photo(session, owner_id=owner.id)
        other = add_photo(session, owner_id=owner.id)
        vectors = rng.normal(size=(3, DIM)).astype(np.float32)
        known = add_face(session, owner_id=owner.id, photo_id=photo.id, embedding=vectors[0], cluster_id=cluster.id)
        unknown = add_face(session, owner_id=owner.id, photo_id=photo.id, embedding=vectors[1])
        add_face(session, owner_id=owner.id, photo_id=other.id, embedding=vectors[2])
        photo_id, known_id, unknown_id, cluster_id = photo.id, known.id, unknown.id, cluster.id
    index = EdgeVectorIndex(tmp_path / "shard", "faces_dlib_resnet_v1_squarebox_128", DIM)
    dlib = settings.model_copy(update={"embedder": "dlib"})  # the factories' faces are dlib's
    runtime = Runtime(settings=dlib, sessions=sessions, blobs=open_blob_store(settings), _vectors=index)
    try:
        index.ensure()
        assert index_photo_faces(runtime, photo_id) == 2
        assert index_photo_faces(runtime, photo_id) == 2  # a retried job overwrites
        assert index.count(owner.id) == 2
        found = index.search(vectors[0], owner_id=owner.id, limit=5)
        assert [n.face_id for n in found][:1] == [known_id]
        assert {n.face_id: n.cluster_id for n in found} == {known_id: cluster_id, unknown_id: None}
        assert np.isclose(found[0].distance, 0.0, atol=1e-3)
    finally:
        runtime.close()


def test_set_cluster_skips_faces_not_indexed_yet(tmp_path: Path) -> None:
    """A recluster may run before the owner indexed a photo worker's faces; the rest still update."""
    owner_id, cluster_id, missing = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    faces = [uuid.uuid4() for _ in range(2)]
    with EdgeVectorIndex(tmp_path / "shard", "faces_test", 4) as index:
        index.ensure()
        index.upsert([FacePoint(f, np.ones(4, np.float32), owner_id, uuid.uuid4()) for f in faces])
        index.set_cluster([faces[0], missing, faces[1]], cluster_id)
        hits = index.search(np.ones(4, np.float32), owner_id=owner_id, limit=5, assigned_only=True)
        assert {hit.face_id: hit.cluster_id for hit in hits} == {faces[0]: cluster_id, faces[1]: cluster_id}
        assert index.count() == 2  # the missing face was not created by the payload update
