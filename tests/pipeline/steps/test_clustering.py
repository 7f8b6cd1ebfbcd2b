import numpy as np
import pytest
from sklearn.cluster import DBSCAN

from pipeline.steps.clustering import UNKNOWN, ClusterParams, cluster_faces
from pipeline.steps.metrics import bcubed_scores
from tests.pipeline.steps.synthetic import around, direction, people_faces


def distinct_photos(n: int) -> list[int]:
    return list(range(n))


def test_separated_people_become_one_cluster_each():
    embeddings, person = people_faces([12, 8, 5, 20, 3])
    labels = cluster_faces(embeddings, photo_ids=distinct_photos(len(person)))
    assert bcubed_scores(person.tolist(), labels.tolist()).f1 == 1.0
    assert UNKNOWN not in labels


def test_labels_are_numbered_by_first_face_and_repeatable():
    embeddings, person = people_faces([4, 4, 4], seed=3)
    order = np.random.default_rng(1).permutation(len(person))
    labels = cluster_faces(embeddings[order], photo_ids=distinct_photos(len(order)))
    again = cluster_faces(embeddings[order], photo_ids=distinct_photos(len(order)))
    assert labels.tolist() == again.tolist()
    first_seen = list(dict.fromkeys(labels.tolist()))
    assert first_seen == [0, 1, 2]


def test_people_seen_once_stay_unknown():
    embeddings, _ = people_faces([1] * 30, gap=1.0, seed=5)
    labels = cluster_faces(embeddings, photo_ids=distinct_photos(30))
    assert (labels == UNKNOWN).all()


def test_groups_below_min_cluster_size_stay_unknown():
    embeddings, person = people_faces([2, 5], seed=2)
    params = ClusterParams(min_cluster_size=3)
    labels = cluster_faces(embeddings, photo_ids=distinct_photos(7), params=params)
    assert (labels[person == 0] == UNKNOWN).all()
    assert len(set(labels[person == 1].tolist())) == 1
    assert labels[person == 1][0] != UNKNOWN


def test_a_stranger_close_to_one_member_does_not_join_the_group():
    centre = np.zeros(128)
    group = around(centre, 12, spread=0.3, seed=1)
    stranger = group[0] + 0.45 * direction(seed=9)  # near one member, not the rest
    embeddings = np.vstack([group, stranger])
    gaps = np.linalg.norm(group - stranger, axis=1)
    # Single linkage (DBSCAN at 0.5) would take the stranger in through its nearest face...
    assert gaps.min() < 0.5
    assert DBSCAN(eps=0.5, min_samples=2).fit_predict(embeddings)[-1] != -1
    labels = cluster_faces(embeddings, photo_ids=distinct_photos(13))
    # ... but on average the stranger is farther than a member is.
    assert gaps.mean() > 0.5
    assert labels[-1] == UNKNOWN
    assert len(set(labels[:-1].tolist())) == 1


def test_a_face_between_two_look_alikes_does_not_chain_them():
    first = np.zeros(128)
    second = first + 0.62 * direction(seed=4)
    a = around(first, 10, spread=0.15, seed=2)
    b = around(second, 10, spread=0.15, seed=3)
    bridge = (first + second) / 2
    embeddings = np.vstack([a, b, bridge])
    assert len(set(DBSCAN(eps=0.5, min_samples=2).fit_predict(embeddings).tolist())) == 1
    labels = cluster_faces(embeddings, photo_ids=distinct_photos(21))
    assert len(set(labels[:10].tolist())) == 1
    assert len(set(labels[10:20].tolist())) == 1
    assert labels[0] != labels[10]


def test_two_faces_of_one_photo_never_share_a_cluster():
    centre = np.zeros(128)
    faces = around(centre, 6, spread=0.2, seed=7)
    # Faces 0 and 1 come from the same photo (a mirror, a poster): both look like the person.
    photos = ["p0", "p0", "p1", "p2", "p3", "p4"]
    labels = cluster_faces(faces, photo_ids=photos)
    assert labels[0] == UNKNOWN or labels[0] != labels[1]
    assert len(set(labels[2:].tolist())) == 1


def test_empty_and_mismatched_input():
    assert cluster_faces(np.empty((0, 128)), photo_ids=[]).tolist() == []
    assert cluster_faces(np.zeros((1, 128)), photo_ids=["p"]).tolist() == [UNKNOWN]
    with pytest.raises(ValueError):
        cluster_faces(np.zeros((2, 128)), photo_ids=["p"])
    with pytest.raises(ValueError):
        cluster_faces(np.zeros((2, 128)), photo_ids=["p", "q"], params=ClusterParams(link_distance=0.0))


def test_a_large_person_still_forms_one_cluster_with_a_small_neighbour_graph():
    # More faces than neighbours per face: missing pairs must not split the person.
    embeddings, person = people_faces([120, 40], spread=0.25, seed=11)
    labels = cluster_faces(embeddings, photo_ids=distinct_photos(160), params=ClusterParams(neighbours=20))
    assert bcubed_scores(person.tolist(), labels.tolist()).f1 > 0.95
