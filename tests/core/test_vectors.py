"""The vector index contract, run against a Qdrant Edge shard and qdrant-client's :memory: mode."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import numpy as np
import pytest
from numpy.typing import NDArray
from qdrant_client import QdrantClient

from core.vectors import EdgeVectorIndex, FacePoint, ServerVectorIndex, VectorIndex, VectorIndexError
from core.vectors.base import UPSERT_BATCH

# qdrant-client's local mode warns that it ignores payload indexes and search params; a server uses them.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Payload indexes have no effect:UserWarning"),
    pytest.mark.filterwarnings("ignore:Local mode performs exact:UserWarning"),
]

DIM = 16


@pytest.fixture(params=["edge", "server"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorIndex]:
    made: VectorIndex
    if request.param == "edge":
        made = EdgeVectorIndex(tmp_path / "faces_test_16", "faces_test_16", DIM)
    else:
        made = ServerVectorIndex(QdrantClient(":memory:"), "faces_test_16", DIM)
    made.ensure()
    yield made
    made.close()


def vectors(count: int, seed: int = 0) -> NDArray[np.float32]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(count, DIM)).astype(np.float32)


def points(
    embeddings: NDArray[np.float32], owner_id: UUID, cluster_id: UUID | None = None, photo_id: UUID | None = None
) -> list[FacePoint]:
    return [
        FacePoint(
            face_id=uuid.uuid4(),
            vector=vector,
            owner_id=owner_id,
            photo_id=photo_id or uuid.uuid4(),
            cluster_id=cluster_id,
        )
        for vector in embeddings
    ]


def true_order(query: NDArray[np.float32], faces: list[FacePoint]) -> list[tuple[UUID, float]]:
    distances = [float(np.linalg.norm(face.vector - query)) for face in faces]
    return sorted(zip((face.face_id for face in faces), distances, strict=True), key=lambda pair: pair[1])


def test_search_returns_nearest_faces_with_true_l2_distances(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    faces = points(vectors(50), owner)
    index.upsert(faces)
    query = vectors(1, seed=99)[0]

    found = index.search(query, owner_id=owner, limit=10)

    expected = true_order(query, faces)[:10]
    assert [n.face_id for n in found] == [face_id for face_id, _ in expected]
    # Euclidean distance itself, not its square (the embeddings' thresholds are in L2 units).
    assert [n.distance for n in found] == pytest.approx([d for _, d in expected], rel=1e-4)
    by_id = {face.face_id: face for face in faces}
    assert all(n.photo_id == by_id[n.face_id].photo_id for n in found)


def test_distance_of_a_known_pair(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    target = np.zeros(DIM, dtype=np.float32)
    target[0], target[1] = 3.0, 4.0
    (face,) = points(target[None, :], owner)
    index.upsert([face])
    (hit,) = index.search(np.zeros(DIM, dtype=np.float32), owner_id=owner, limit=5)
    assert hit.distance == pytest.approx(5.0)


def test_retried_upsert_overwrites_instead_of_duplicating(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    faces = points(vectors(20), owner)
    index.upsert(faces)
    index.upsert(faces)
    assert index.count() == 20

    moved = FacePoint(faces[0].face_id, vectors(1, seed=7)[0], owner, faces[0].photo_id, uuid.uuid4())
    index.upsert([moved])
    assert index.count() == 20
    (hit,) = index.search(moved.vector, owner_id=owner, limit=1)
    assert hit.face_id == moved.face_id
    assert hit.distance == pytest.approx(0.0, abs=1e-5)
    assert hit.cluster_id == moved.cluster_id


def test_search_never_returns_another_owners_faces(index: VectorIndex) -> None:
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    embeddings = vectors(60)
    my_faces = points(embeddings[::2], mine)
    their_faces = points(embeddings[1::2], theirs)
    index.upsert(my_faces + their_faces)

    my_ids = {face.face_id for face in my_faces}
    for query in embeddings[1::2][:10]:  # their exact vectors: their faces are nearest
        found = index.search(query, owner_id=mine, limit=50)
        assert len(found) == 30
        assert {n.face_id for n in found} <= my_ids
    assert index.search(embeddings[0], owner_id=uuid.uuid4(), limit=5) == []
    assert index.count(mine) == 30
    assert index.count(theirs) == 30
    assert index.count() == 60


def test_assigned_only_skips_faces_without_a_cluster(index: VectorIndex) -> None:
    owner, cluster = uuid.uuid4(), uuid.uuid4()
    embeddings = vectors(40)
    assigned = points(embeddings[:10], owner, cluster_id=cluster)
    unassigned = points(embeddings[10:], owner)
    index.upsert(assigned + unassigned)

    found = index.search(embeddings[20], owner_id=owner, limit=40, assigned_only=True)
    assert {n.face_id for n in found} == {face.face_id for face in assigned}
    assert all(n.cluster_id == cluster for n in found)
    everything = index.search(embeddings[20], owner_id=owner, limit=40)
    assert len(everything) == 40
    assert everything[0].cluster_id is None


def test_excluded_faces_are_not_returned(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    embeddings = vectors(10)
    faces = points(embeddings, owner)
    index.upsert(faces)
    excluded = {faces[0].face_id, faces[1].face_id}
    found = index.search(embeddings[0], owner_id=owner, limit=10, exclude_face_ids=excluded)
    assert len(found) == 8
    assert not excluded & {n.face_id for n in found}
    assert found[0].distance > 0  # the query face itself was excluded


def test_set_cluster_assigns_and_unassigns_without_moving_vectors(index: VectorIndex) -> None:
    owner, cluster = uuid.uuid4(), uuid.uuid4()
    embeddings = vectors(12)
    faces = points(embeddings, owner)
    index.upsert(faces)
    chosen = [face.face_id for face in faces[:4]]

    index.set_cluster(chosen, cluster)
    found = index.search(embeddings[0], owner_id=owner, limit=12, assigned_only=True)
    assert sorted(n.face_id for n in found) == sorted(chosen)
    assert all(n.cluster_id == cluster for n in found)
    assert found[0].face_id == faces[0].face_id
    assert found[0].distance == pytest.approx(0.0, abs=1e-5)

    index.set_cluster(chosen[:2], None)
    found = index.search(embeddings[0], owner_id=owner, limit=12, assigned_only=True)
    assert sorted(n.face_id for n in found) == sorted(chosen[2:])
    hit = index.search(embeddings[0], owner_id=owner, limit=1)[0]
    assert (hit.face_id, hit.cluster_id) == (faces[0].face_id, None)


def test_delete_removes_faces_and_ignores_unknown_ids(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    embeddings = vectors(10)
    faces = points(embeddings, owner)
    index.upsert(faces)
    index.delete([faces[0].face_id, faces[1].face_id, uuid.uuid4()])
    index.delete([faces[0].face_id])
    index.delete([])
    assert index.count() == 8
    found = index.search(embeddings[0], owner_id=owner, limit=10)
    assert {faces[0].face_id, faces[1].face_id}.isdisjoint(n.face_id for n in found)


def test_max_distance_cuts_far_faces(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    base = np.zeros((3, DIM), dtype=np.float32)
    base[1, 0], base[2, 0] = 1.0, 2.0
    faces = points(base, owner)
    index.upsert(faces)
    found = index.search(np.zeros(DIM, dtype=np.float32), owner_id=owner, limit=3, max_distance=1.0)
    assert [n.face_id for n in found] == [faces[0].face_id, faces[1].face_id]


def test_search_batch_answers_each_vector_in_order(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    embeddings = vectors(30)
    faces = points(embeddings, owner)
    index.upsert(faces)
    queries = list(vectors(4, seed=5))
    batch = index.search_batch(queries, owner_id=owner, limit=3, exclude_face_ids=[faces[0].face_id])
    singles = [index.search(q, owner_id=owner, limit=3, exclude_face_ids=[faces[0].face_id]) for q in queries]
    assert batch == singles
    for query, found in zip(queries, batch, strict=True):
        expected = [fid for fid, _ in true_order(query, faces[1:])[:3]]
        assert [n.face_id for n in found] == expected
    assert index.search_batch([], owner_id=owner, limit=3) == []
    # A matrix with one row per face, as an embedder returns them, works the same as a list.
    assert index.search_batch(np.stack(queries), owner_id=owner, limit=3, exclude_face_ids=[faces[0].face_id]) == batch


def test_upsert_and_set_cluster_span_several_batches(index: VectorIndex) -> None:
    owner, cluster = uuid.uuid4(), uuid.uuid4()
    total = 2 * UPSERT_BATCH + 7
    faces = points(vectors(total), owner)
    index.upsert(faces)
    assert index.count(owner) == total
    index.set_cluster([face.face_id for face in faces], cluster)
    last = faces[-1]
    (hit,) = index.search(last.vector, owner_id=owner, limit=1, assigned_only=True)
    assert (hit.face_id, hit.cluster_id) == (last.face_id, cluster)
    index.delete([face.face_id for face in faces])
    assert index.count() == 0


def test_clear_drops_everything_and_leaves_a_usable_index(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    index.upsert(points(vectors(25), owner))
    index.clear()
    assert index.count() == 0
    assert index.search(vectors(1)[0], owner_id=owner, limit=5) == []
    again = points(vectors(3, seed=3), owner)
    index.upsert(again)
    index.ensure()
    assert index.count(owner) == 3


def test_ensure_is_idempotent_and_keeps_points(index: VectorIndex) -> None:
    index.upsert(points(vectors(5), uuid.uuid4()))
    index.ensure()
    index.ensure()
    assert index.count() == 5


def test_optimize_keeps_results(index: VectorIndex) -> None:
    owner = uuid.uuid4()
    faces = points(vectors(100), owner)
    index.upsert(faces)
    index.optimize()
    query = vectors(1, seed=8)[0]
    found = index.search(query, owner_id=owner, limit=5)
    assert [n.face_id for n in found] == [fid for fid, _ in true_order(query, faces)[:5]]


@pytest.mark.parametrize("bad", [np.zeros(DIM + 1, dtype=np.float32), np.full(DIM, np.nan, dtype=np.float32)])
def test_malformed_vectors_are_refused(index: VectorIndex, bad: NDArray[np.float32]) -> None:
    owner = uuid.uuid4()
    with pytest.raises(ValueError, match=r"shape|NaN"):
        index.upsert([FacePoint(uuid.uuid4(), bad, owner, uuid.uuid4())])
    with pytest.raises(ValueError, match=r"shape|NaN"):
        index.search(bad, owner_id=owner, limit=1)
    assert index.count() == 0


def test_server_collection_of_another_dimension_is_refused() -> None:
    client = QdrantClient(":memory:")
    ServerVectorIndex(client, "faces_test", 8).ensure()
    with pytest.raises(VectorIndexError, match="size 8, not 16"):
        ServerVectorIndex(client, "faces_test", 16).ensure()
