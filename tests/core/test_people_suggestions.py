"""Merge suggestions from SQL centroids: closest first, never a pair a person kept apart."""

from __future__ import annotations

import numpy as np

from core.db import SessionFactory
from core.services import people
from core.services.people_suggestions import merge_suggestions
from core.tables import User
from tests.conftest import make_user
from tests.pipeline.people.factories import cluster_with_faces, faces_around, person_centres


def test_suggests_close_clusters_closest_first(sessions: SessionFactory, owner: User) -> None:
    ann, bob = person_centres(2, seed=3)
    ann_a, _ = cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(ann, 4, seed=1), name="Ann")
    ann_b, _ = cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(ann, 2, seed=2))
    # Bob's two halves sit a little apart (other lighting): a less confident pair.
    bob_shifted = bob + np.float32(0.2) * person_centres(1, seed=9)[0]
    bob_a, _ = cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(bob, 3, seed=3))
    bob_b, _ = cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(bob_shifted, 2, seed=4))
    found = merge_suggestions(sessions, owner_id=owner.id, limit=10)
    assert [(s.target.id, s.source.id) for s in found] == [(ann_a, ann_b), (bob_a, bob_b)]
    assert found[0].distance < found[1].distance < 0.6
    assert found[0].target.name == "Ann"  # the named one is the suggested target
    assert len(merge_suggestions(sessions, owner_id=owner.id, limit=1)) == 1

    people.keep_apart(sessions, owner_id=owner.id, cluster_a=bob_a, cluster_b=bob_b)
    people.hide_cluster(sessions, owner_id=owner.id, cluster_id=ann_b, hidden=True)
    assert merge_suggestions(sessions, owner_id=owner.id) == []


def test_never_two_named_people_nor_another_owner(sessions: SessionFactory, owner: User) -> None:
    (twin,) = person_centres(1, seed=5)
    cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(twin, 3, seed=1), name="Ann")
    cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(twin, 3, seed=2), name="Anna")
    bob = make_user(sessions, "bob")
    cluster_with_faces(sessions, owner_id=bob.id, embeddings=faces_around(twin, 3, seed=3))
    assert merge_suggestions(sessions, owner_id=owner.id) == []
    assert merge_suggestions(sessions, owner_id=bob.id) == []


def test_never_two_clusters_seen_in_one_photo(sessions: SessionFactory, owner: User) -> None:
    from tests.pipeline.people.factories import add_face, add_photo

    (twin,) = person_centres(1, seed=6)
    a, _ = cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(twin, 3, seed=1))
    b, _ = cluster_with_faces(sessions, owner_id=owner.id, embeddings=faces_around(twin, 3, seed=2))
    assert len(merge_suggestions(sessions, owner_id=owner.id)) == 1
    with sessions() as session:  # twins photographed together: one face of each in one photo
        photo = add_photo(session, owner_id=owner.id)
        for cluster_id, seed in ((a, 3), (b, 4)):
            add_face(session, owner_id=owner.id, photo_id=photo.id, embedding=faces_around(twin, 1, seed=seed)[0],
                     cluster_id=cluster_id)
        session.commit()
    assert merge_suggestions(sessions, owner_id=owner.id) == []
