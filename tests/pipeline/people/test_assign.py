"""assign_new_faces on both databases with a real Qdrant Edge shard: SQL decides membership."""

from __future__ import annotations

import uuid

from dramatiq.brokers.stub import StubBroker
from sqlmodel import select

from core.db import SessionFactory
from core.services import people
from core.tables import AssignedBy, Face, FaceCluster, OwnerJob, User
from pipeline.people.assign import assign_new_faces
from pipeline.runtime import Runtime
from tests.pipeline.people.conftest import add_photo_faces, one_face_per_photo, queued
from tests.pipeline.people.factories import faces_around, person_centres

ANN, BOB, CAROL = person_centres(3, seed=11)


def _face(sessions: SessionFactory, face_id: uuid.UUID) -> Face:
    with sessions() as session:
        face = session.get(Face, face_id)
        assert face is not None
        return face


def _person(runtime: Runtime, owner: User, centre, count: int, name: str, seed: int) -> uuid.UUID:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        cluster = FaceCluster(owner_id=owner.id)
        session.add(cluster)
        session.commit()
        cluster_id = cluster.id
    one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(centre, count, seed=seed),
                       cluster_id=cluster_id, assigned_by=AssignedBy.auto)
    return people.name_cluster(runtime.sessions, owner_id=owner.id, cluster_id=cluster_id, name=name).id


def test_a_new_face_of_a_named_person_gets_the_name(runtime: Runtime, owner: User, broker: StubBroker) -> None:
    ann = _person(runtime, owner, ANN, 5, "Ann", seed=1)
    _person(runtime, owner, BOB, 5, "Bob", seed=2)
    _, (new_face,) = add_photo_faces(runtime, owner_id=owner.id, embeddings=faces_around(ANN, 1, seed=3))
    report = assign_new_faces(runtime, [new_face])
    assert report.assigned == {new_face: ann}
    face = _face(runtime.sessions, new_face)
    assert (face.cluster_id, face.assigned_by) == (ann, AssignedBy.auto)
    with runtime.sessions() as session:
        cluster = session.get(FaceCluster, ann)
        assert cluster is not None
        assert (cluster.name, cluster.face_count, cluster.photo_count) == ("Ann", 6, 6)
    # Nothing left unknown: no recluster asked for.
    assert queued(broker, "recluster") == []
    # Twice is the same as once.
    assert assign_new_faces(runtime, [new_face]).assigned == {}


def test_an_unclear_face_stays_unknown_and_asks_for_a_recluster(
    runtime: Runtime, owner: User, broker: StubBroker
) -> None:
    _person(runtime, owner, ANN, 5, "Ann", seed=1)
    _, (stranger,) = add_photo_faces(runtime, owner_id=owner.id, embeddings=faces_around(CAROL, 1, seed=4))
    report = assign_new_faces(runtime, [stranger])
    assert (report.assigned, report.unknown) == ({}, [stranger])
    assert _face(runtime.sessions, stranger).cluster_id is None
    with runtime.sessions() as session:
        job = session.get(OwnerJob, owner.id)
        assert job is not None
        assert job.recluster_requested_at is not None
    (message,) = queued(broker, "recluster")
    assert message.args == (str(owner.id),)
    assert message.options["eta"] > 0  # sent with the debounce delay


def test_never_back_to_a_rejected_person(runtime: Runtime, owner: User) -> None:
    ann = _person(runtime, owner, ANN, 5, "Ann", seed=1)
    _, (face_id,) = add_photo_faces(runtime, owner_id=owner.id, embeddings=faces_around(ANN, 1, seed=5))
    assert assign_new_faces(runtime, [face_id]).assigned == {face_id: ann}
    people.reject_faces(runtime.sessions, owner_id=owner.id, face_ids=[face_id])
    assert assign_new_faces(runtime, [face_id]).assigned == {}
    assert _face(runtime.sessions, face_id).cluster_id is None


def test_two_faces_of_one_photo_never_go_to_one_person(runtime: Runtime, owner: User) -> None:
    ann = _person(runtime, owner, ANN, 5, "Ann", seed=1)
    _, faces = add_photo_faces(runtime, owner_id=owner.id, embeddings=faces_around(ANN, 2, seed=6))
    report = assign_new_faces(runtime, faces)
    assert list(report.assigned.values()) == [ann]
    assert len(report.unknown) == 1
    # A later face in the same photo cannot join Ann either (she is already in it).
    with runtime.sessions() as session:
        photo_id = session.get(Face, faces[0]).photo_id  # type: ignore[union-attr]
    assert assign_new_faces(runtime, report.unknown).assigned == {}
    assert photo_id is not None


def test_membership_is_read_from_sql_not_from_the_index(runtime: Runtime, owner: User) -> None:
    # Bob's faces are unknown in the index payload, then placed by hand: SQL says Bob.
    bob_faces = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(BOB, 4, seed=7))
    bob = people.create_person_from_faces(runtime.sessions, owner_id=owner.id, face_ids=bob_faces, name="Bob").id
    # Ann's cluster is deleted by hand: the index still says her faces are assigned.
    ann = _person(runtime, owner, ANN, 4, "Ann", seed=8)
    people.delete_cluster(runtime.sessions, owner_id=owner.id, cluster_id=ann)
    _, (new_bob,) = add_photo_faces(runtime, owner_id=owner.id, embeddings=faces_around(BOB, 1, seed=9))
    _, (new_ann,) = add_photo_faces(runtime, owner_id=owner.id, embeddings=faces_around(ANN, 1, seed=10))
    report = assign_new_faces(runtime, [new_bob, new_ann])
    assert report.assigned == {new_bob: bob}
    assert report.unknown == [new_ann] or set(report.unknown) == {new_ann}


def test_faces_a_person_placed_and_other_owners_are_left_alone(
    runtime: Runtime, owner: User, sessions: SessionFactory
) -> None:
    from tests.conftest import make_user

    ann = _person(runtime, owner, ANN, 5, "Ann", seed=1)
    bob_owner = make_user(sessions, "bob")
    # Another owner's face right next to Ann's is never given Ann.
    _, (theirs,) = add_photo_faces(runtime, owner_id=bob_owner.id, embeddings=faces_around(ANN, 1, seed=12))
    assert assign_new_faces(runtime, [theirs]).assigned == {}
    # A face the person took out of every cluster by hand is not assigned again.
    _, (mine,) = add_photo_faces(runtime, owner_id=owner.id, embeddings=faces_around(ANN, 1, seed=13))
    other = people.create_person_from_faces(runtime.sessions, owner_id=owner.id, face_ids=[mine]).id
    assert assign_new_faces(runtime, [mine]).assigned == {}
    assert _face(runtime.sessions, mine).cluster_id == other
    with sessions() as session:
        assert session.exec(select(FaceCluster).where(FaceCluster.owner_id == bob_owner.id)).all() == []
    assert ann is not None
