import numpy as np

from pipeline.steps.clustering import UNKNOWN
from pipeline.steps.reconcile import (
    AttachParams,
    NewCluster,
    PersonSample,
    attach_group,
    keep_cluster_ids,
    plan_recluster,
    rms_distance,
)
from tests.pipeline.steps.synthetic import around, direction

FACES = [f"f{i}" for i in range(10)]


def test_relabelled_groups_keep_their_old_ids():
    old = {f: ("A" if i < 5 else "B") for i, f in enumerate(FACES)}
    # The fresh run calls B "0" and A "1": ids must follow the faces, not the numbers.
    labels = [1] * 5 + [0] * 5
    assert keep_cluster_ids(FACES, labels, old) == {1: "A", 0: "B"}


def test_a_split_keeps_the_id_on_the_majority_part():
    old = dict.fromkeys(FACES, "A")
    labels = [0] * 6 + [1] * 4
    plan = plan_recluster(FACES, labels, old)
    assert plan.kept == {0: "A"}
    assert plan.created == [1]
    assert plan.face_cluster["f0"] == "A"
    assert plan.face_cluster["f9"] == NewCluster(1)
    assert plan.emptied == []


def test_a_group_mostly_made_of_unknown_faces_does_not_take_an_old_id():
    # Two faces of old cluster A (all of A) join eight unknown faces: a new group, not A.
    old = {"f0": "A", "f1": "A"}
    labels = [0] * 10
    assert keep_cluster_ids(FACES, labels, old) == {}
    plan = plan_recluster(FACES, labels, old)
    assert plan.emptied == ["A"]
    assert plan.created == [0]


def test_unknown_faces_and_attachments_in_the_plan():
    old = dict.fromkeys(FACES[:4], "A")
    labels = [0, 0, 0, UNKNOWN, 1, 1, 1, 2, 2, UNKNOWN]
    plan = plan_recluster(FACES, labels, old, attached={1: "mom", 0: "dad"})
    assert plan.kept == {0: "A"}
    assert plan.attached == {1: "mom"}  # a kept label is never also attached
    assert plan.created == [2]
    assert plan.face_cluster["f3"] is None
    assert plan.face_cluster["f5"] == "mom"
    assert plan.face_cluster["f8"] == NewCluster(2)


def test_rms_distance_is_over_all_pairs():
    a = np.array([[0.0, 0.0], [1.0, 0.0]])
    b = np.array([[0.0, 3.0], [2.0, 2.0]])
    pairs = [9.0, 10.0, 8.0, 5.0]
    assert np.isclose(rms_distance(a, b), np.sqrt(np.mean(pairs)))


def people_near(distances: dict[str, float], seed: int = 0) -> dict[str, PersonSample]:
    return {
        name: PersonSample(around(gap * direction(seed + i), 8, spread=0.2, seed=seed + 10 + i), {f"{name}-photo"})
        for i, (name, gap) in enumerate(distances.items())
    }


GROUP = around(np.zeros(128), 4, spread=0.2, seed=99)
PARAMS = AttachParams(max_distance=0.5, margin=0.04)


def test_a_group_that_clearly_is_a_person_joins_them():
    people = people_near({"mom": 0.1, "dad": 0.9})
    assert attach_group(GROUP, {"g1", "g2"}, people, params=PARAMS) == "mom"


def test_a_group_between_two_people_or_far_from_all_joins_nobody():
    assert attach_group(GROUP, {"g1"}, people_near({"anna": 0.25, "elsa": 0.26}), params=PARAMS) is None
    assert attach_group(GROUP, {"g1"}, people_near({"mom": 0.9}), params=PARAMS) is None
    assert attach_group(GROUP, {"g1"}, {}, params=PARAMS) is None


def test_no_attachment_to_a_person_already_in_the_group_photos_or_rejected():
    people = people_near({"mom": 0.1, "dad": 0.9})
    assert attach_group(GROUP, {"mom-photo"}, people, params=PARAMS) is None
    assert attach_group(GROUP, {"g1"}, people, excluded={"mom"}, params=PARAMS) is None
