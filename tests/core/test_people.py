"""Identity operations on both databases: counts right after each, owners kept apart, corrections kept."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import col, select

from core.db import SessionFactory
from core.errors import NotFound, ValidationError
from core.services import people
from core.tables import AssignedBy, ClusterSeparation, Face, FaceCluster, FaceRejection, Photo, User
from tests.conftest import make_user
from tests.pipeline.people.factories import (
    add_face,
    add_photo,
    cluster_with_faces,
    faces_around,
    person_centres,
)

CENTRES = person_centres(4, seed=7)


def _cluster(sessions: SessionFactory, cluster_id: uuid.UUID) -> FaceCluster | None:
    with sessions() as session:
        return session.get(FaceCluster, cluster_id)


def _face(sessions: SessionFactory, face_id: uuid.UUID) -> Face:
    with sessions() as session:
        face = session.get(Face, face_id)
        assert face is not None
        return face


def _make(sessions: SessionFactory, owner: User, person: int, count: int, name: str | None = None,
          ) -> tuple[uuid.UUID, list[uuid.UUID]]:
    return cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(CENTRES[person], count, seed=person),
                              name=name)


def _assert_counts_right(sessions: SessionFactory, owner_id: uuid.UUID) -> None:
    """Every cluster's stored counts equal a recount, and its cover is one of its faces."""
    with sessions() as session:
        for cluster in session.exec(select(FaceCluster).where(FaceCluster.owner_id == owner_id)):
            faces = session.exec(select(Face).where(Face.cluster_id == cluster.id)).all()
            assert cluster.face_count == len(faces), cluster.name
            assert cluster.photo_count == len({f.photo_id for f in faces})
            if faces:
                assert cluster.cover_face_id in {f.id for f in faces}
            else:
                assert cluster.cover_face_id is None
                assert cluster.name is not None  # only people survive empty


def test_name_cluster_trims_and_folds(sessions: SessionFactory, owner: User) -> None:
    cluster_id, _ = _make(sessions, owner, 0, 3)
    named = people.name_cluster(sessions, owner_id=owner.id, cluster_id=cluster_id, name="  Zoë   Smith ")
    assert (named.id, named.name, named.name_key) == (cluster_id, "Zoë Smith", "zoe smith")
    renamed = people.name_cluster(sessions, owner_id=owner.id, cluster_id=cluster_id, name="Zoë")
    assert (renamed.id, renamed.name, renamed.face_count) == (cluster_id, "Zoë", 3)


@pytest.mark.parametrize("bad", ["", "   ", "x" * 201, "tab\x00name"])
def test_name_cluster_refuses_bad_names(sessions: SessionFactory, owner: User, bad: str) -> None:
    cluster_id, _ = _make(sessions, owner, 0, 2)
    with pytest.raises(ValidationError):
        people.name_cluster(sessions, owner_id=owner.id, cluster_id=cluster_id, name=bad)
    cluster = _cluster(sessions, cluster_id)
    assert cluster is not None
    assert cluster.name is None


def test_naming_with_an_existing_name_merges_into_that_person(sessions: SessionFactory, owner: User) -> None:
    mom_id, mom_faces = _make(sessions, owner, 0, 3, name="Mom")
    other_id, other_faces = _make(sessions, owner, 0, 2)
    survivor = people.name_cluster(sessions, owner_id=owner.id, cluster_id=other_id, name="  MÖM ")
    assert survivor.id == mom_id
    assert survivor.name == "Mom"  # the existing person's spelling stays
    assert (survivor.face_count, survivor.photo_count) == (5, 5)
    assert _cluster(sessions, other_id) is None
    for face_id in mom_faces + other_faces:
        assert _face(sessions, face_id).cluster_id == mom_id
    assert _face(sessions, other_faces[0]).assigned_by == AssignedBy.user
    _assert_counts_right(sessions, owner.id)


def test_another_owners_ids_are_not_found(sessions: SessionFactory, owner: User) -> None:
    mine_id, mine_faces = _make(sessions, owner, 0, 2)
    bob = make_user(sessions, "bob")
    theirs_id, theirs_faces = _make(sessions, bob, 1, 2)
    calls = [
        lambda: people.name_cluster(sessions, owner_id=owner.id, cluster_id=theirs_id, name="X"),
        lambda: people.merge_clusters(sessions, owner_id=owner.id, target_id=mine_id, source_ids=[theirs_id]),
        lambda: people.merge_clusters(sessions, owner_id=owner.id, target_id=theirs_id, source_ids=[mine_id]),
        lambda: people.split_cluster(sessions, owner_id=owner.id, cluster_id=theirs_id, face_ids=theirs_faces[:1]),
        lambda: people.move_faces(sessions, owner_id=owner.id, face_ids=theirs_faces, cluster_id=mine_id),
        lambda: people.move_faces(sessions, owner_id=owner.id, face_ids=mine_faces, cluster_id=theirs_id),
        lambda: people.reject_faces(sessions, owner_id=owner.id, face_ids=theirs_faces),
        lambda: people.delete_cluster(sessions, owner_id=owner.id, cluster_id=theirs_id),
        lambda: people.hide_cluster(sessions, owner_id=owner.id, cluster_id=theirs_id, hidden=True),
        lambda: people.set_cover_face(sessions, owner_id=owner.id, cluster_id=mine_id, face_id=theirs_faces[0]),
        lambda: people.keep_apart(sessions, owner_id=owner.id, cluster_a=mine_id, cluster_b=theirs_id),
        lambda: people.create_person_from_faces(sessions, owner_id=owner.id, face_ids=theirs_faces),
        lambda: people.name_cluster(sessions, owner_id=owner.id, cluster_id=uuid.uuid4(), name="X"),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    theirs = _cluster(sessions, theirs_id)
    assert theirs is not None
    assert (theirs.name, theirs.face_count, theirs.hidden) == (None, 2, False)
    assert all(_face(sessions, f).cluster_id == theirs_id for f in theirs_faces)


def test_merge_moves_faces_and_keeps_the_name(sessions: SessionFactory, owner: User) -> None:
    target_id, _ = _make(sessions, owner, 0, 2)
    named_id, _ = _make(sessions, owner, 0, 3, name="Ann")
    third_id, _ = _make(sessions, owner, 0, 1)
    merged = people.merge_clusters(sessions, owner_id=owner.id, target_id=target_id, source_ids=[named_id, third_id])
    assert (merged.id, merged.name, merged.name_key, merged.face_count) == (target_id, "Ann", "ann", 6)
    assert _cluster(sessions, named_id) is None
    assert _cluster(sessions, third_id) is None
    _assert_counts_right(sessions, owner.id)


def test_merge_refuses_two_names_into_an_unnamed_cluster(sessions: SessionFactory, owner: User) -> None:
    target_id, _ = _make(sessions, owner, 0, 2)
    ann_id, _ = _make(sessions, owner, 1, 2, name="Ann")
    bob_id, _ = _make(sessions, owner, 2, 2, name="Bob")
    with pytest.raises(ValidationError):
        people.merge_clusters(sessions, owner_id=owner.id, target_id=target_id, source_ids=[ann_id, bob_id])
    with pytest.raises(ValidationError):
        people.merge_clusters(sessions, owner_id=owner.id, target_id=target_id, source_ids=[target_id])
    assert _cluster(sessions, ann_id) is not None


def test_merge_carries_rejections_and_separations(sessions: SessionFactory, owner: User) -> None:
    a_id, a_faces = _make(sessions, owner, 0, 3)
    b_id, _ = _make(sessions, owner, 0, 2)
    c_id, _ = _make(sessions, owner, 1, 2)
    people.reject_faces(sessions, owner_id=owner.id, face_ids=a_faces[:1])
    people.keep_apart(sessions, owner_id=owner.id, cluster_a=a_id, cluster_b=c_id)
    people.keep_apart(sessions, owner_id=owner.id, cluster_a=a_id, cluster_b=b_id)
    people.merge_clusters(sessions, owner_id=owner.id, target_id=b_id, source_ids=[a_id])
    with sessions() as session:
        rejections = {(r.face_id, r.cluster_id) for r in session.exec(select(FaceRejection))}
        separations = {(s.cluster_a, s.cluster_b) for s in session.exec(select(ClusterSeparation))}
    assert rejections == {(a_faces[0], b_id)}  # the source's row went with it (cascade)
    assert separations == {tuple(sorted((b_id, c_id)))}


def test_split_makes_a_new_cluster_kept_apart(sessions: SessionFactory, owner: User) -> None:
    cluster_id, faces = _make(sessions, owner, 0, 5, name="Ann")
    new = people.split_cluster(sessions, owner_id=owner.id, cluster_id=cluster_id, face_ids=faces[3:])
    assert new.id != cluster_id
    assert new.name is None
    assert (new.face_count, new.photo_count) == (2, 2)
    old = _cluster(sessions, cluster_id)
    assert old is not None
    assert (old.name, old.face_count) == ("Ann", 3)
    assert all(_face(sessions, f).assigned_by == AssignedBy.user for f in faces[3:])
    assert all(_face(sessions, f).assigned_by == AssignedBy.auto for f in faces[:3])
    with sessions() as session:
        pairs = {(s.cluster_a, s.cluster_b) for s in session.exec(select(ClusterSeparation))}
    assert pairs == {tuple(sorted((cluster_id, new.id)))}
    _assert_counts_right(sessions, owner.id)


def test_split_refuses_foreign_or_all_faces(sessions: SessionFactory, owner: User) -> None:
    cluster_id, faces = _make(sessions, owner, 0, 3)
    _other_id, other_faces = _make(sessions, owner, 1, 2)
    with pytest.raises(ValidationError):
        people.split_cluster(sessions, owner_id=owner.id, cluster_id=cluster_id, face_ids=other_faces)
    with pytest.raises(ValidationError):
        people.split_cluster(sessions, owner_id=owner.id, cluster_id=cluster_id, face_ids=faces)
    with pytest.raises(ValidationError):
        people.split_cluster(sessions, owner_id=owner.id, cluster_id=cluster_id, face_ids=[])


def test_move_faces_counts_both_sides_and_drops_the_empty_one(sessions: SessionFactory, owner: User) -> None:
    ann_id, ann_faces = _make(sessions, owner, 0, 3, name="Ann")
    stray_id, stray_faces = _make(sessions, owner, 0, 2)
    target = people.move_faces(sessions, owner_id=owner.id, face_ids=[stray_faces[0]], cluster_id=ann_id)
    assert (target.face_count, target.photo_count) == (4, 4)
    stray = _cluster(sessions, stray_id)
    assert stray is not None
    assert stray.face_count == 1
    people.move_faces(sessions, owner_id=owner.id, face_ids=[stray_faces[1]], cluster_id=ann_id)
    assert _cluster(sessions, stray_id) is None  # unnamed and empty: gone
    assert _face(sessions, stray_faces[1]).assigned_by == AssignedBy.user
    # Moving a whole person away keeps the (now empty) person: the name is a decision.
    bob_id, _ = _make(sessions, owner, 1, 1, name="Bob")
    people.move_faces(sessions, owner_id=owner.id, face_ids=ann_faces, cluster_id=bob_id)
    ann = _cluster(sessions, ann_id)
    assert ann is not None
    assert (ann.face_count, ann.cover_face_id) == (2, ann.cover_face_id)
    _assert_counts_right(sessions, owner.id)


def test_move_withdraws_an_earlier_rejection(sessions: SessionFactory, owner: User) -> None:
    ann_id, ann_faces = _make(sessions, owner, 0, 3, name="Ann")
    people.reject_faces(sessions, owner_id=owner.id, face_ids=ann_faces[:1])
    people.move_faces(sessions, owner_id=owner.id, face_ids=ann_faces[:1], cluster_id=ann_id)
    with sessions() as session:
        assert session.exec(select(FaceRejection)).all() == []
    assert _face(sessions, ann_faces[0]).cluster_id == ann_id


def test_reject_unassigns_and_remembers(sessions: SessionFactory, owner: User) -> None:
    ann_id, ann_faces = _make(sessions, owner, 0, 3, name="Ann")
    faces = people.reject_faces(sessions, owner_id=owner.id, face_ids=ann_faces[:2])
    assert {(f.cluster_id, f.assigned_by) for f in faces} == {(None, AssignedBy.none)}
    ann = _cluster(sessions, ann_id)
    assert ann is not None
    assert (ann.face_count, ann.photo_count) == (1, 1)
    assert ann.cover_face_id == ann_faces[2]
    with sessions() as session:
        pairs = {(r.face_id, r.cluster_id) for r in session.exec(select(FaceRejection))}
    assert pairs == {(ann_faces[0], ann_id), (ann_faces[1], ann_id)}
    # Rejecting again (the face is unknown now) changes nothing.
    people.reject_faces(sessions, owner_id=owner.id, face_ids=ann_faces[:1])
    _assert_counts_right(sessions, owner.id)


def test_delete_cluster_leaves_faces_unknown_and_photos(sessions: SessionFactory, owner: User) -> None:
    ann_id, ann_faces = _make(sessions, owner, 0, 3, name="Ann")
    deleted = people.delete_cluster(sessions, owner_id=owner.id, cluster_id=ann_id)
    assert (deleted.id, deleted.faces_unassigned) == (ann_id, 3)
    assert _cluster(sessions, ann_id) is None
    for face_id in ann_faces:
        face = _face(sessions, face_id)
        assert (face.cluster_id, face.assigned_by) == (None, AssignedBy.none)
    with sessions() as session:
        assert len(session.exec(select(Photo).where(Photo.owner_id == owner.id)).all()) == 3


def test_hide_and_cover(sessions: SessionFactory, owner: User) -> None:
    ann_id, ann_faces = _make(sessions, owner, 0, 3, name="Ann")
    other_id, other_faces = _make(sessions, owner, 1, 1)
    assert people.hide_cluster(sessions, owner_id=owner.id, cluster_id=ann_id, hidden=True).hidden is True
    cluster = people.set_cover_face(sessions, owner_id=owner.id, cluster_id=ann_id, face_id=ann_faces[1])
    assert (cluster.cover_face_id, cluster.hidden) == (ann_faces[1], True)
    with pytest.raises(ValidationError):
        people.set_cover_face(sessions, owner_id=owner.id, cluster_id=ann_id, face_id=other_faces[0])
    # The cover leaves with its face; the next best face takes over.
    people.move_faces(sessions, owner_id=owner.id, face_ids=[ann_faces[1]], cluster_id=other_id)
    after = _cluster(sessions, ann_id)
    assert after is not None
    assert after.cover_face_id in {ann_faces[0], ann_faces[2]}
    assert people.hide_cluster(sessions, owner_id=owner.id, cluster_id=ann_id, hidden=False).hidden is False


def test_refresh_picks_the_best_face_and_drops_empty_unnamed(sessions: SessionFactory, owner: User) -> None:
    from core.repositories.clusters import refresh_cluster_stats

    with sessions() as session:
        photo = add_photo(session, owner_id=owner.id)
        empty, person, cluster = (FaceCluster(owner_id=owner.id), FaceCluster(owner_id=owner.id, name="P"),
                                  FaceCluster(owner_id=owner.id))
        session.add_all([empty, person, cluster])
        session.flush()
        empty_id, person_id = empty.id, person.id
        add_face(session, owner_id=owner.id, photo_id=photo.id, cluster_id=cluster.id, quality=0.1,
                 assigned_by=AssignedBy.auto)
        sharp = add_face(session, owner_id=owner.id, photo_id=photo.id, cluster_id=cluster.id, quality=0.9,
                         assigned_by=AssignedBy.auto)
        deleted = refresh_cluster_stats(session, cluster_ids=[cluster.id, empty_id, person_id])
        session.commit()
        assert deleted == {empty_id}
        assert (cluster.cover_face_id, cluster.face_count, cluster.photo_count) == (sharp.id, 2, 1)
    assert _cluster(sessions, empty_id) is None
    assert _cluster(sessions, person_id) is not None


def test_keep_apart_is_idempotent_and_refuses_itself(sessions: SessionFactory, owner: User) -> None:
    a_id, _ = _make(sessions, owner, 0, 1)
    b_id, _ = _make(sessions, owner, 1, 1)
    people.keep_apart(sessions, owner_id=owner.id, cluster_a=b_id, cluster_b=a_id)
    people.keep_apart(sessions, owner_id=owner.id, cluster_a=a_id, cluster_b=b_id)
    with sessions() as session:
        pairs = [(s.cluster_a, s.cluster_b) for s in session.exec(select(ClusterSeparation))]
    assert pairs == [tuple(sorted((a_id, b_id)))]
    with pytest.raises(ValidationError):
        people.keep_apart(sessions, owner_id=owner.id, cluster_a=a_id, cluster_b=a_id)


def test_create_person_from_faces(sessions: SessionFactory, owner: User) -> None:
    mixed_id, mixed_faces = _make(sessions, owner, 0, 3)
    ann_id, _ = _make(sessions, owner, 1, 2, name="Ann")
    created = people.create_person_from_faces(sessions, owner_id=owner.id, face_ids=mixed_faces[:1], name="Carl")
    assert (created.name, created.face_count) == ("Carl", 1)
    joined = people.create_person_from_faces(sessions, owner_id=owner.id, face_ids=mixed_faces[1:2], name="ann")
    assert (joined.id, joined.face_count) == (ann_id, 3)
    with sessions() as session:
        ids = session.exec(select(FaceCluster.id).where(col(FaceCluster.owner_id) == owner.id)).all()
    assert set(ids) == {mixed_id, ann_id, created.id}
    _assert_counts_right(sessions, owner.id)


def test_reject_and_delete_ask_for_a_recluster(sessions: SessionFactory, owner: User) -> None:
    from datetime import timedelta

    from core.repositories import owner_jobs
    from core.tables import OwnerJob, utcnow

    ann_id, ann_faces = _make(sessions, owner, 0, 3, name="Ann")
    with sessions() as session:
        assert session.get(OwnerJob, owner.id) is None
    people.reject_faces(sessions, owner_id=owner.id, face_ids=ann_faces[:1])
    with sessions() as session:
        job = session.get(OwnerJob, owner.id)
        assert job is not None
        first = job.recluster_requested_at
        assert first is not None
        later = utcnow() + timedelta(seconds=1)
        assert owner_jobs.owners_waiting_for_recluster(session, asked_before=later) == [owner.id]
    people.delete_cluster(sessions, owner_id=owner.id, cluster_id=ann_id)
    with sessions() as session:
        job = session.get(OwnerJob, owner.id)
        assert job is not None
        assert job.recluster_requested_at is not None
        assert job.recluster_requested_at >= first
