"""Scenarios on real dev-set photos through the services: names propagate, corrections stick.

Photos arrive in two batches. The first is assigned (nothing to assign to yet) and reclustered;
each cluster is named after its majority person, as a person would. The second batch is then
assigned with no action at all, and every correction below must survive reclusters.
"""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from sqlmodel import select

from core.services import people
from core.services.people_suggestions import merge_suggestions
from core.tables import AssignedBy, Face, FaceCluster, Photo, User
from pipeline.people.assign import assign_new_faces
from pipeline.people.recluster import recluster_owner
from pipeline.runtime import Runtime
from tests.pipeline.people.real_photos import DevPhoto, StoredPhoto, store_photo

pytestmark = pytest.mark.slow


@pytest.fixture
def runtime(model_runtime: Runtime) -> Runtime:
    return model_runtime


def _import(runtime: Runtime, owner: User, photos: list[DevPhoto]) -> list[StoredPhoto]:
    stored = [store_photo(runtime, owner.id, photo) for photo in photos]
    assign_new_faces(runtime, [f for s in stored for f in s.face_ids])
    return stored


def _cluster_of(runtime: Runtime, face_id: uuid.UUID) -> uuid.UUID | None:
    with runtime.sessions() as session:
        face = session.get(Face, face_id)
        assert face is not None
        return face.cluster_id


def _names(runtime: Runtime, owner: User) -> dict[uuid.UUID, str | None]:
    with runtime.sessions() as session:
        return {c.id: c.name for c in session.exec(select(FaceCluster).where(FaceCluster.owner_id == owner.id))}


def _name_by_majority(runtime: Runtime, owner: User, stored: list[StoredPhoto]) -> dict[str, uuid.UUID]:
    votes: dict[uuid.UUID, Counter[str]] = {}
    for photo in stored:
        cluster_id = _cluster_of(runtime, photo.main_face_id)
        if cluster_id is not None:
            votes.setdefault(cluster_id, Counter())[photo.person] += 1
    named: dict[str, uuid.UUID] = {}
    for cluster_id, counter in votes.items():
        person = counter.most_common(1)[0][0]
        named[person] = people.name_cluster(runtime.sessions, owner_id=owner.id, cluster_id=cluster_id,
                                            name=person).id
    return named


def _library(runtime: Runtime, owner: User, dev_people: dict[str, list[DevPhoto]]
             ) -> tuple[dict[str, uuid.UUID], list[StoredPhoto], list[DevPhoto]]:
    """First batch imported, reclustered and named; returns the people, that batch, and the rest."""
    first = [p for photos in dev_people.values() for p in photos[: len(photos) * 2 // 3]]
    rest = [p for photos in dev_people.values() for p in photos[len(photos) * 2 // 3 :]]
    stored = _import(runtime, owner, first)
    recluster_owner(runtime, owner.id, force=True)
    return _name_by_majority(runtime, owner, stored), stored, rest


def test_a_name_given_once_reaches_new_photos(runtime: Runtime, owner: User, dev_people) -> None:  # type: ignore[no-untyped-def]
    named, first, rest = _library(runtime, owner, dev_people)
    assert set(named) == set(dev_people)  # every person became a cluster and got a name
    later = _import(runtime, owner, rest)
    recluster_owner(runtime, owner.id, force=True)
    names = _names(runtime, owner)
    got = [names.get(_cluster_of(runtime, p.main_face_id)) for p in later]  # type: ignore[arg-type]
    right = sum(name == p.person for name, p in zip(got, later, strict=True))
    wrong = sum(name is not None and name != p.person for name, p in zip(got, later, strict=True))
    assert wrong == 0
    assert right / len(later) >= 0.9, list(zip(got, [p.person for p in later], strict=True))
    # face_count is right for every person.
    with runtime.sessions() as session:
        for cluster in session.exec(select(FaceCluster).where(FaceCluster.owner_id == owner.id)):
            count = len(session.exec(select(Face.id).where(Face.cluster_id == cluster.id)).all())
            assert cluster.face_count == count
    assert first


def test_corrections_stick_through_new_photos_and_reclusters(runtime: Runtime, owner: User, dev_people) -> None:  # type: ignore[no-untyped-def]
    named, first, rest = _library(runtime, owner, dev_people)
    angelina, katy = named["angelina_jolie"], named["katy_perry"]
    by_person: dict[str, list[StoredPhoto]] = {}
    for photo in first:
        by_person.setdefault(photo.person, []).append(photo)
    # Move one of Angelina's faces to Katy by hand (a person may be wrong: it still sticks).
    moved = by_person["angelina_jolie"][0].main_face_id
    people.move_faces(runtime.sessions, owner_id=owner.id, face_ids=[moved], cluster_id=katy)
    # "Not this person" for one of Scarlett's faces.
    rejected = by_person["scarlett_johansson"][0].main_face_id
    scarlett = named["scarlett_johansson"]
    people.reject_faces(runtime.sessions, owner_id=owner.id, face_ids=[rejected])
    # Split two of Venus's photos off into a cluster of their own.
    venus = named["lfw_venus_williams"]
    split_faces = [p.main_face_id for p in by_person["lfw_venus_williams"][:2]]
    split = people.split_cluster(runtime.sessions, owner_id=owner.id, cluster_id=venus, face_ids=split_faces).id
    # Delete Pierce: his faces become unknown, his photos stay.
    pierce_faces = [p.main_face_id for p in by_person["lfw_pierce_brosnan"]]
    people.delete_cluster(runtime.sessions, owner_id=owner.id, cluster_id=named["lfw_pierce_brosnan"])
    assert all(_cluster_of(runtime, f) is None for f in pierce_faces)
    with runtime.sessions() as session:
        assert len(session.exec(select(Photo).where(Photo.owner_id == owner.id)).all()) == len(first)

    _import(runtime, owner, rest)
    assign_new_faces(runtime, [rejected, moved, *split_faces])
    recluster_owner(runtime, owner.id, force=True)
    recluster_owner(runtime, owner.id, force=True)

    assert _cluster_of(runtime, moved) == katy
    assert _cluster_of(runtime, rejected) != scarlett
    assert [_cluster_of(runtime, f) for f in split_faces] == [split, split]
    names = _names(runtime, owner)
    assert names[angelina] == "angelina_jolie"
    assert names[split] is None
    with runtime.sessions() as session:
        face = session.get(Face, moved)
        assert face is not None
        assert face.assigned_by == AssignedBy.user


def test_look_alikes_kept_apart_after_one_correction(runtime: Runtime, owner: User, dev_people) -> None:  # type: ignore[no-untyped-def]
    named, _, rest = _library(runtime, owner, dev_people)
    # Unname everything: merge suggestions skip pairs of two named people.
    for person, cluster_id in list(named.items())[1:]:
        people.delete_cluster(runtime.sessions, owner_id=owner.id, cluster_id=cluster_id)
        del named[person]
    recluster_owner(runtime, owner.id, force=True)
    suggestions = merge_suggestions(runtime.sessions, owner_id=owner.id, limit=50, max_distance=2.0)
    assert suggestions, "the closest two people should be suggested at a loose threshold"
    closest = suggestions[0]
    # One correction: "these are different people".
    people.keep_apart(runtime.sessions, owner_id=owner.id, cluster_a=closest.target.id, cluster_b=closest.source.id)
    after = merge_suggestions(runtime.sessions, owner_id=owner.id, limit=50, max_distance=2.0)
    pairs = {frozenset((s.target.id, s.source.id)) for s in after}
    assert frozenset((closest.target.id, closest.source.id)) not in pairs
    # New photos and reclusters never put the two together.
    _import(runtime, owner, rest)
    recluster_owner(runtime, owner.id, force=True)
    clusters = _names(runtime, owner)
    assert closest.target.id in clusters
    assert closest.source.id in clusters
