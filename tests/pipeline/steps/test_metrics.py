import pytest

from pipeline.steps.metrics import (
    UNKNOWN,
    PersonPhotoScores,
    bcubed_scores,
    clustered_share,
    clustering_scores,
    majority_names,
    micro_average,
    pairwise_scores,
    photos_of_person_scores,
)

# Five faces: a, a, a, b, b. The clustering puts a, a, b together, leaves one a unknown
# and the last b alone in cluster 2.
TRUTH = ["a", "a", "a", "b", "b"]
PREDICTED = [1, 1, UNKNOWN, 1, 2]


def test_pairwise_counts_pairs_by_hand():
    # Predicted pairs: cluster 1 has 3 faces -> 3 pairs, 1 of them right (a-a).
    # True pairs: a: 3, b: 1 -> 4.
    scores = pairwise_scores(TRUTH, PREDICTED)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(1 / 4)
    assert scores.f1 == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))


def test_bcubed_by_hand():
    # per face precision: a1 2/3, a2 2/3, a3 1 (alone), b1 1/3, b2 1 -> mean 11/15
    # per face recall:    a1 2/3, a2 2/3, a3 1/3, b1 1/2, b2 1/2 -> mean 8/15
    scores = bcubed_scores(TRUTH, PREDICTED)
    assert scores.precision == pytest.approx((2 / 3 + 2 / 3 + 1 + 1 / 3 + 1) / 5)
    assert scores.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 / 2 + 1 / 2) / 5)


def test_unknown_faces_are_singletons_not_one_big_cluster():
    truth = ["a", "b", "c"]
    all_unknown = [UNKNOWN, UNKNOWN, UNKNOWN]
    assert bcubed_scores(truth, all_unknown).precision == 1.0
    assert bcubed_scores(truth, all_unknown).recall == 1.0  # every true class has one face
    assert pairwise_scores(truth, all_unknown).precision == 1.0
    # The same faces in one real cluster are three wrong pairs.
    assert pairwise_scores(truth, [0, 0, 0]).precision == 0.0


def test_perfect_clustering_scores_one_and_reports_unknown_share():
    scores = clustering_scores(["a", "a", "b", "c"], [5, 5, 7, UNKNOWN])
    assert scores.bcubed.f1 == 1.0
    assert scores.pairwise.f1 == 1.0
    assert scores.unknown_share == 0.25
    assert scores.faces == 4


def test_lengths_must_match():
    with pytest.raises(ValueError):
        bcubed_scores(["a"], [1, 2])


def test_clustered_share_counts_faces_in_any_cluster():
    assert clustered_share([UNKNOWN, 3, UNKNOWN, 4]) == 0.5
    assert clustered_share([]) == 0.0


def test_majority_names_ignore_unknown_and_break_ties_by_first_seen():
    names = majority_names(["a", "b", "b", "c", "d", "e"], [1, 1, 1, UNKNOWN, 2, 2])
    assert names == {1: "b", 2: "d"}


def test_photos_of_person_precision_recall():
    true_people = {
        "p1": frozenset({"mom"}),
        "p2": frozenset({"mom"}),
        "p3": frozenset({"dad"}),
        "p4": frozenset({"mom", "dad"}),
        "p5": frozenset({"dad"}),  # incomplete labels: other people also in it
    }
    named = {
        "p1": frozenset({"mom"}),
        "p3": frozenset({"mom"}),  # wrong: dad named mom
        "p4": frozenset({"mom", "dad"}),
        "p5": frozenset({"dad", "mom"}),  # "mom" may be an unlabelled face: not a false hit
    }
    scores = photos_of_person_scores(true_people, named, fully_labelled={"p5": False})
    assert scores["mom"] == PersonPhotoScores("mom", true_photos=3, found=3, correct=2)
    assert scores["dad"] == PersonPhotoScores("dad", true_photos=3, found=2, correct=2)
    assert scores["mom"].precision == pytest.approx(2 / 3)
    assert scores["mom"].recall == pytest.approx(2 / 3)
    pooled = micro_average(list(scores.values()))
    assert pooled.precision == pytest.approx(4 / 5)
    assert pooled.recall == pytest.approx(4 / 6)
