"""What only the embedded Qdrant Edge shard does: files, the one-process lock, explicit optimize."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest

from core.vectors import EdgeVectorIndex, FacePoint, VectorIndexError


def faces(count: int, owner_id: uuid.UUID, dim: int = 8) -> list[FacePoint]:
    rng = np.random.default_rng(count)
    return [
        FacePoint(uuid.uuid4(), rng.normal(size=dim).astype(np.float32), owner_id, uuid.uuid4(), None)
        for _ in range(count)
    ]


def test_reopened_shard_keeps_points_and_clusters(tmp_path: Path) -> None:
    owner, cluster = uuid.uuid4(), uuid.uuid4()
    stored = faces(30, owner)
    with EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8) as index:
        index.ensure()
        index.upsert(stored)
        index.set_cluster([stored[0].face_id], cluster)

    with EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8) as reopened:
        reopened.ensure()
        assert reopened.count(owner) == 30
        (hit,) = reopened.search(stored[0].vector, owner_id=owner, limit=1, assigned_only=True)
        assert (hit.face_id, hit.cluster_id) == (stored[0].face_id, cluster)


def test_second_open_of_a_shard_says_what_to_do(tmp_path: Path) -> None:
    with EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8):
        with pytest.raises(VectorIndexError, match="already open in another process") as raised:
            EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8)
        assert "FACESORT_QDRANT_URL" in str(raised.value)
    # Closing the first releases the lock.
    EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8).close()


def test_shard_of_another_dimension_is_refused(tmp_path: Path) -> None:
    EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8).close()
    with pytest.raises(VectorIndexError, match="delete that folder and run `facesort reindex`"):
        EdgeVectorIndex(tmp_path / "shard", "faces_test_16", 16)


def test_closed_index_says_so(tmp_path: Path) -> None:
    index = EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8)
    index.close()
    index.close()  # closing twice is harmless
    with pytest.raises(VectorIndexError, match="closed"):
        index.count()


def test_clear_replaces_the_shard_and_keeps_the_lock(tmp_path: Path) -> None:
    owner = uuid.uuid4()
    with EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8) as index:
        index.ensure()
        index.upsert(faces(50, owner))
        index.clear()
        assert index.count() == 0
        with pytest.raises(VectorIndexError, match="already open"):
            EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8)
        index.upsert(faces(5, owner))
    with EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8) as reopened:
        assert reopened.count() == 5


def test_optimize_builds_the_graph_only_past_its_threshold(tmp_path: Path) -> None:
    owner = uuid.uuid4()
    stored = faces(300, owner)
    with EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8, optimize_min_points=1000) as index:
        index.ensure()
        index.upsert(stored)
        segments_before = index.shard.info().segments_count
        index.optimize()  # below the threshold: nothing happens
        assert index.shard.info().segments_count == segments_before

        index.optimize_min_points = 100
        index.optimize()
        info = index.shard.info()
        assert info.points_count == 300
        assert info.segments_count <= segments_before
        query = stored[7].vector
        found = index.search(query, owner_id=owner, limit=3)
        assert found[0].face_id == stored[7].face_id
        expected = sorted(float(np.linalg.norm(face.vector - query)) for face in stored)[:3]
        assert [n.distance for n in found] == pytest.approx(expected, rel=1e-4, abs=1e-5)


def test_payload_indexes_are_made(tmp_path: Path) -> None:
    with EdgeVectorIndex(tmp_path / "shard", "faces_test_8", 8) as index:
        index.ensure()
        assert set(index.shard.info().payload_schema) == {"owner_id", "photo_id", "cluster_id", "assigned"}
