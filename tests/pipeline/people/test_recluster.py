"""recluster_owner on both databases: new clusters, attachment to people, debounce, corrections kept."""

from __future__ import annotations

import uuid

import numpy as np
from sqlmodel import select

from core.db import SessionFactory
from core.services import people
from core.tables import AssignedBy, Face, FaceCluster, OwnerJob, User
from core.vectors import EdgeVectorIndex, FacePoint
from pipeline.people.recluster import recluster_owner
from pipeline.runtime import Runtime
from tests.conftest import make_user
from tests.pipeline.people.conftest import one_face_per_photo, settle_recluster_asks
from tests.pipeline.people.factories import faces_around, person_centres

CENTRES = person_centres(6, seed=21)


def _clusters(sessions: SessionFactory, owner_id: uuid.UUID) -> dict[uuid.UUID, FaceCluster]:
    with sessions() as session:
        return {c.id: c for c in session.exec(select(FaceCluster).where(FaceCluster.owner_id == owner_id))}


def _cluster_of(sessions: SessionFactory, face_ids: list[uuid.UUID]) -> list[uuid.UUID | None]:
    with sessions() as session:
        return [session.get(Face, f).cluster_id for f in face_ids]  # type: ignore[union-attr]


def test_groups_unknown_faces_and_leaves_strangers_unknown(runtime: Runtime, owner: User) -> None:
    groups = [one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[i], 5, seed=i))
              for i in range(3)]
    strangers = one_face_per_photo(runtime, owner_id=owner.id, embeddings=CENTRES[3:5])
    report = recluster_owner(runtime, owner.id, force=True)
    assert (report.status, report.faces, report.created, report.faces_placed) == ("done", 17, 3, 15)
    for faces in groups:
        (cluster_id,) = set(_cluster_of(runtime.sessions, faces))
        assert cluster_id is not None
    assert _cluster_of(runtime.sessions, strangers) == [None, None]
    clusters = _clusters(runtime.sessions, owner.id)
    assert sorted(c.face_count for c in clusters.values()) == [5, 5, 5]
    assert all(c.name is None and c.cover_face_id is not None for c in clusters.values())
    with runtime.sessions() as session:
        assert {f.assigned_by for f in session.exec(select(Face).where(Face.cluster_id.is_not(None)))} == {"auto"}  # type: ignore[union-attr]
    # Again: nothing changes, ids stay.
    again = recluster_owner(runtime, owner.id, force=True)
    assert (again.created, again.faces_placed, again.faces) == (0, 0, 2)
    assert _clusters(runtime.sessions, owner.id).keys() == clusters.keys()


def test_a_group_that_is_clearly_a_person_joins_them(runtime: Runtime, owner: User) -> None:
    ann_faces = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[0], 5, seed=1))
    ann = people.create_person_from_faces(runtime.sessions, owner_id=owner.id, face_ids=ann_faces, name="Ann").id
    later = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[0], 3, seed=2))
    report = recluster_owner(runtime, owner.id, force=True)
    assert (report.created, report.attached_groups) == (0, 1)
    assert _cluster_of(runtime.sessions, later) == [ann] * 3
    assert _clusters(runtime.sessions, owner.id)[ann].face_count == 8


def test_an_unknown_face_joins_a_person_who_appeared_after_it(runtime: Runtime, owner: User) -> None:
    early = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[0], 1, seed=5))
    stranger = one_face_per_photo(runtime, owner_id=owner.id, embeddings=CENTRES[4:5])
    assert recluster_owner(runtime, owner.id, force=True).assigned_again == 0  # nobody to join yet
    ann_faces = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[0], 5, seed=1))
    ann = people.create_person_from_faces(runtime.sessions, owner_id=owner.id, face_ids=ann_faces, name="Ann").id
    # The early face is one face: no recluster group holds it, but the second assignment places it.
    report = recluster_owner(runtime, owner.id, force=True)
    assert report.assigned_again == 1
    assert _cluster_of(runtime.sessions, early + stranger) == [ann, None]
    assert _clusters(runtime.sessions, owner.id)[ann].face_count == 6
    # Nothing placed since: the next run searches nothing again.
    assert recluster_owner(runtime, owner.id, force=True).assigned_again == 0


def test_never_attaches_to_a_cluster_a_face_was_rejected_from(runtime: Runtime, owner: User) -> None:
    ann_faces = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[0], 8, seed=1))
    ann = people.create_person_from_faces(runtime.sessions, owner_id=owner.id, face_ids=ann_faces, name="Ann").id
    people.reject_faces(runtime.sessions, owner_id=owner.id, face_ids=ann_faces[:3])
    recluster_owner(runtime, owner.id, force=True)
    placed = _cluster_of(runtime.sessions, ann_faces[:3])
    assert ann not in placed
    # Grouped among themselves, as a new unnamed cluster: they are one person, just not "Ann".
    (new,) = set(placed)
    assert new is not None
    assert _clusters(runtime.sessions, owner.id)[new].name is None


def test_debounced_and_skipped_when_nothing_new(runtime: Runtime, owner: User) -> None:
    one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[0], 3, seed=1))
    assert recluster_owner(runtime, owner.id).status == "skipped"  # nobody asked
    from core.db import transaction
    from core.repositories import owner_jobs

    with transaction(runtime.sessions) as session:
        owner_jobs.request_recluster(session, owner_id=owner.id)
    assert recluster_owner(runtime, owner.id).status == "waiting"  # asked a moment ago
    assert _clusters(runtime.sessions, owner.id) == {}
    settle_recluster_asks(runtime, owner.id)
    assert recluster_owner(runtime, owner.id).status == "done"
    assert len(_clusters(runtime.sessions, owner.id)) == 1
    assert recluster_owner(runtime, owner.id).status == "skipped"  # ran since the last ask
    with runtime.sessions() as session:
        job = session.get(OwnerJob, owner.id)
        assert job is not None
        assert job.reclustered_at is not None


def test_corrections_survive_a_recluster(runtime: Runtime, owner: User) -> None:
    ann_faces = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[0], 6, seed=1))
    bob_faces = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[1], 4, seed=2))
    with runtime.sessions() as session:  # an automatic mistake: Carol's faces put with Ann's
        mixed = FaceCluster(owner_id=owner.id)
        session.add(mixed)
        session.commit()
        mixed_id = mixed.id
    carol_faces = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[2], 3, seed=3),
                                     cluster_id=mixed_id, assigned_by=AssignedBy.auto)
    recluster_owner(runtime, owner.id, force=True)
    (ann,) = set(_cluster_of(runtime.sessions, ann_faces))
    (bob,) = set(_cluster_of(runtime.sessions, bob_faces))
    assert ann is not None
    assert bob is not None
    people.merge_clusters(runtime.sessions, owner_id=owner.id, target_id=ann, source_ids=[mixed_id])
    # A face moved by hand into Bob, Carol split out of Ann, and a rejection.
    people.move_faces(runtime.sessions, owner_id=owner.id, face_ids=[ann_faces[0]], cluster_id=bob)
    carol = people.split_cluster(runtime.sessions, owner_id=owner.id, cluster_id=ann, face_ids=carol_faces).id
    people.reject_faces(runtime.sessions, owner_id=owner.id, face_ids=[bob_faces[0]])
    before = _cluster_of(runtime.sessions, ann_faces + bob_faces[1:] + carol_faces)
    more_carol = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[2], 2, seed=4))
    recluster_owner(runtime, owner.id, force=True)
    recluster_owner(runtime, owner.id, force=True)
    assert _cluster_of(runtime.sessions, ann_faces + bob_faces[1:] + carol_faces) == before
    assert _cluster_of(runtime.sessions, [bob_faces[0]]) == [None]  # alone, and not Bob any more
    assert _cluster_of(runtime.sessions, more_carol) == [carol, carol]
    clusters = _clusters(runtime.sessions, owner.id)
    assert (clusters[ann].face_count, clusters[bob].face_count, clusters[carol].face_count) == (5, 4, 5)
    with runtime.sessions() as session:
        moved = session.get(Face, ann_faces[0])
        assert moved is not None
        assert moved.assigned_by == AssignedBy.user


def test_other_owners_faces_are_never_mixed(runtime: Runtime, owner: User, sessions: SessionFactory) -> None:
    bob_owner = make_user(sessions, "bob")
    mine = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(CENTRES[0], 3, seed=1))
    theirs = one_face_per_photo(runtime, owner_id=bob_owner.id, embeddings=faces_around(CENTRES[0], 3, seed=2))
    recluster_owner(runtime, owner.id, force=True)
    assert _cluster_of(runtime.sessions, theirs) == [None] * 3
    (cluster_id,) = set(_cluster_of(runtime.sessions, mine))
    assert cluster_id in _clusters(runtime.sessions, owner.id)


def test_scales_to_a_few_thousand_faces(runtime: Runtime, owner: User) -> None:
    centres = person_centres(200, seed=5)
    embeddings = np.concatenate([faces_around(c, 10, seed=i) for i, c in enumerate(centres)])
    from core.db import transaction
    from tests.pipeline.people.factories import bulk_unknown_faces

    with transaction(runtime.sessions) as session:
        bulk_unknown_faces(session, owner_id=owner.id, embeddings=embeddings)
    report = recluster_owner(runtime, owner.id, force=True)
    assert (report.faces, report.created, report.faces_placed) == (2000, 200, 2000)
    print("recluster seconds", report.seconds)
    assert report.seconds < 60


def test_a_recluster_builds_the_search_graph_of_a_grown_index(runtime: Runtime, owner: User) -> None:
    """Faces indexed since the last run join the HNSW graph (the embedded index builds it only when asked)."""
    index = runtime.vectors()
    assert isinstance(index, EdgeVectorIndex)
    index.optimize_min_points = 1_000
    vectors = np.random.default_rng(3).normal(size=(25_000, index.dim)).astype(np.float32)
    index.upsert([
        FacePoint(face_id=uuid.uuid4(), vector=vector, owner_id=owner.id, photo_id=uuid.uuid4(), cluster_id=None)
        for vector in vectors
    ])
    assert index.shard.info().indexed_vectors_count == 0
    recluster_owner(runtime, owner.id, force=True)
    assert index.shard.info().indexed_vectors_count == 25_000
    # A few new faces wait in the exactly searched segment: no rebuild for them alone.
    index.upsert([
        FacePoint(face_id=uuid.uuid4(), vector=vector, owner_id=owner.id, photo_id=uuid.uuid4(), cluster_id=None)
        for vector in vectors[:500] + 0.01
    ])
    recluster_owner(runtime, owner.id, force=True)
    info = index.shard.info()
    assert (info.points_count, info.indexed_vectors_count) == (25_500, 25_000)
