"""Quality of a clustering against labelled faces: what ``facesort eval`` reports.

Conventions (the same everywhere in this module):

* ``truth`` holds one label per labelled face. A person seen once (a stranger) gets a label
  of their own, so they form a true class of one.
* ``predicted`` holds one cluster id per face; ``UNKNOWN`` (-1) means the face is in no
  cluster. For pairwise and BCubed scores every unknown face counts as a cluster of its
  own: leaving a face unknown never costs precision and costs recall exactly as much as
  a wrong singleton would. The share of faces left unknown is reported on its own, so a
  clustering cannot look good by giving up on hard faces silently.
* Faces without a label (background people nobody named) are left out by the caller;
  they may still be clustered, but nothing here can say whether that was right.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

UNKNOWN = -1


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total


@dataclass(frozen=True)
class ClusteringScores:
    pairwise: Scores
    bcubed: Scores
    unknown_share: float
    faces: int


def _singletons_for_unknown(predicted: Sequence[int]) -> list[tuple[int, int]]:
    """Cluster keys where each unknown face is its own cluster (never equal to a real one)."""
    return [(0, c) if c != UNKNOWN else (1, i) for i, c in enumerate(predicted)]


def _pairs(counts: Mapping[Hashable, int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise_scores(truth: Sequence[Hashable], predicted: Sequence[int]) -> Scores:
    """Precision and recall over all pairs of faces: "same person" vs "same cluster".

    With no predicted pair precision is 1 (nothing claimed, nothing wrong); with no true
    pair recall is 1.
    """
    _check_lengths(truth, predicted)
    keys = _singletons_for_unknown(predicted)
    both = _pairs(Counter(zip(truth, keys, strict=True)))
    claimed = _pairs(Counter(keys))
    actual = _pairs(Counter(truth))
    return Scores(
        precision=both / claimed if claimed else 1.0,
        recall=both / actual if actual else 1.0,
    )


def bcubed_scores(truth: Sequence[Hashable], predicted: Sequence[int]) -> Scores:
    """BCubed precision and recall (Bagga & Baldwin 1998), averaged over faces.

    For a face, precision is the share of its cluster that is its person, recall the share
    of its person that is in its cluster. Unlike pairwise scores, a big cluster does not
    outweigh many small ones quadratically.
    """
    _check_lengths(truth, predicted)
    if not truth:
        return Scores(1.0, 1.0)
    keys = _singletons_for_unknown(predicted)
    cluster_size = Counter(keys)
    person_size = Counter(truth)
    overlap = Counter(zip(truth, keys, strict=True))
    precision = recall = 0.0
    for (person, key), n in overlap.items():
        # n faces share this (person, cluster) cell, and each scores n / size.
        precision += n * n / cluster_size[key]
        recall += n * n / person_size[person]
    return Scores(precision / len(truth), recall / len(truth))


def clustering_scores(truth: Sequence[Hashable], predicted: Sequence[int]) -> ClusteringScores:
    _check_lengths(truth, predicted)
    unknown = sum(1 for c in predicted if c == UNKNOWN)
    return ClusteringScores(
        pairwise=pairwise_scores(truth, predicted),
        bcubed=bcubed_scores(truth, predicted),
        unknown_share=unknown / len(predicted) if predicted else 0.0,
        faces=len(predicted),
    )


def clustered_share(predicted: Sequence[int]) -> float:
    """Share of faces put in some cluster: for strangers, every one of them is a mistake."""
    if not predicted:
        return 0.0
    return sum(1 for c in predicted if c != UNKNOWN) / len(predicted)


def majority_names(truth: Sequence[Hashable], predicted: Sequence[int]) -> dict[int, Hashable]:
    """Name each cluster after the person most of its labelled faces show, as a user would.

    Ties go to the label seen first, so the result is deterministic. Two clusters may get
    the same name; naming a cluster with an existing name merges them in the product.
    """
    _check_lengths(truth, predicted)
    votes: dict[int, Counter[Hashable]] = defaultdict(Counter)
    for label, cluster in zip(truth, predicted, strict=True):
        if cluster != UNKNOWN:
            votes[cluster][label] += 1
    return {cluster: counter.most_common(1)[0][0] for cluster, counter in votes.items()}


@dataclass(frozen=True)
class PersonPhotoScores:
    person: Hashable
    true_photos: int
    found: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_photos if self.true_photos else 1.0


def photos_of_person_scores(
    true_people: Mapping[Hashable, frozenset[Hashable]],
    named_people: Mapping[Hashable, frozenset[Hashable]],
    *,
    fully_labelled: Mapping[Hashable, bool] | None = None,
) -> dict[Hashable, PersonPhotoScores]:
    """Per person, how well the search "photos of NAME" works.

    ``true_people[photo]`` is who is really in the photo, ``named_people[photo]`` the names
    its faces carry. A photo whose labels are incomplete (``fully_labelled[photo]`` false:
    unnamed people also appear) counts towards recall but never as a false hit, because
    an extra name there may be right.
    """
    people = {p for names in true_people.values() for p in names}
    found: Counter[Hashable] = Counter()
    correct: Counter[Hashable] = Counter()
    totals: Counter[Hashable] = Counter()
    for photo, truth in true_people.items():
        for person in truth:
            totals[person] += 1
        complete = True if fully_labelled is None else fully_labelled.get(photo, True)
        for person in named_people.get(photo, frozenset()):
            if person in truth:
                found[person] += 1
                correct[person] += 1
            elif complete:
                found[person] += 1
    return {
        p: PersonPhotoScores(person=p, true_photos=totals[p], found=found[p], correct=correct[p])
        for p in people | set(found)
    }


def micro_average(scores: Sequence[PersonPhotoScores]) -> Scores:
    """Precision and recall over all (person, photo) answers pooled together."""
    found = sum(s.found for s in scores)
    correct = sum(s.correct for s in scores)
    true_photos = sum(s.true_photos for s in scores)
    return Scores(
        precision=correct / found if found else 1.0,
        recall=correct / true_photos if true_photos else 1.0,
    )


def _check_lengths(truth: Sequence[object], predicted: Sequence[int]) -> None:
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} labels but {len(predicted)} predictions")
