"""Measure the incremental path on labelled faces: what the issue's targets are judged on.

Photos arrive in shuffled batches through :class:`Library` (assign, recluster, attach);
then every cluster is named after its majority, as a person would; then held-back photos
arrive and we count how many got the right name with no action. Pure: the caller passes
embeddings and labels (from the real models, or a cache of them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pipeline.steps.metrics import (
    ClusteringScores,
    PersonPhotoScores,
    Scores,
    clustered_share,
    clustering_scores,
    majority_names,
    micro_average,
    photos_of_person_scores,
)
from pipeline.steps.simulate import Library, PipelineParams


def named_face_index(boxes: Sequence[tuple[float, float, float, float]], width: float, height: float) -> int:
    """Which face of a one-person photo its label names: a large face nearest the centre.

    ``boxes`` are (x, y, width, height) in the photo's pixels. Among faces at least half
    the area of the largest, the one closest to the middle of the photo: LFW centres the
    named person among bystanders of similar size; other photos make them the largest.
    """
    areas = np.array([w * h for _, _, w, h in boxes], dtype=np.float64)
    offsets = np.array([np.hypot((x + w / 2) / width - 0.5, (y + h / 2) / height - 0.5) for x, y, w, h in boxes])
    return int(np.argmin(np.where(areas >= 0.5 * areas.max(), offsets, np.inf)))


@dataclass(frozen=True)
class LabelledFaces:
    """Every detected face of a labelled photo folder.

    ``labels[i]``: the person face i shows, or ``None`` when nobody labelled it (background
    people). ``strangers``: labels of people seen once, who should stay unknown.
    ``photo_people[photo]``: everyone labelled in the photo; ``fully_labelled[photo]`` is
    false when unnamed people also appear in it (it then cannot count against precision).
    """

    embeddings: NDArray[np.floating]
    photo_ids: Sequence[Hashable]
    labels: Sequence[str | None]
    strangers: frozenset[str]
    photo_people: Mapping[Hashable, frozenset[str]]
    fully_labelled: Mapping[Hashable, bool]
    # Faces too small, blurred or turned to take part (pipeline.ml's quality gate) stay
    # unknown; ``None`` means every face takes part.
    clusterable: Sequence[bool] | None = None


@dataclass(frozen=True)
class IncrementalReport:
    clustering: ClusteringScores  # labelled faces, strangers included (each their own person)
    real_unknown_share: float  # labelled faces of non-strangers left in no cluster
    strangers_clustered_share: float
    people: dict[Hashable, PersonPhotoScores]  # "photos of NAME", after naming, before held-back photos
    naming: Scores  # micro-averaged over people with at least ``min_photos`` photos
    naming_min_person: Scores  # the worst person's precision and the worst person's recall
    auto_named_share: float  # held-back photos of people (not strangers) that got the right name
    auto_named_wrong: int  # held-back faces that got a wrong name (strangers included)
    held_back: int


def split_photos(
    faces: LabelledFaces, *, batches: int, holdout: float, seed: int
) -> tuple[list[list[Hashable]], list[Hashable]]:
    """Shuffled batches of photos, and the photos held back until after naming.

    Held back: a ``holdout`` share (at least one) of the single-person photos of every
    person with at least three of them, and the same share of strangers' photos.
    """
    rng = np.random.default_rng(seed)
    photos = list(dict.fromkeys(faces.photo_ids))
    by_person: dict[str, list[Hashable]] = defaultdict(list)
    for photo in photos:
        people = faces.photo_people[photo]
        if len(people) == 1:
            by_person[next(iter(people))].append(photo)
    held: list[Hashable] = []
    strangers = [p for person, ps in by_person.items() if person in faces.strangers for p in ps]
    for person, person_photos in sorted(by_person.items()):
        if person not in faces.strangers and len(person_photos) >= 3:
            count = max(1, round(holdout * len(person_photos)))
            held.extend(person_photos[i] for i in rng.choice(len(person_photos), count, replace=False))
    if strangers:
        count = round(holdout * len(strangers))
        held.extend(strangers[i] for i in rng.choice(len(strangers), count, replace=False))
    held_set = set(held)
    rest = [p for p in photos if p not in held_set]
    order = rng.permutation(len(rest))
    return [[rest[i] for i in chunk] for chunk in np.array_split(order, batches)], held


def evaluate_incremental(
    faces: LabelledFaces,
    params: PipelineParams | None = None,
    *,
    batches: int = 5,
    holdout: float = 0.2,
    seed: int = 0,
    min_photos: int = 3,
) -> IncrementalReport:
    params = params or PipelineParams()
    library = Library(faces.embeddings, faces.photo_ids, params, faces.clusterable)
    faces_of: dict[Hashable, list[int]] = defaultdict(list)
    for index, photo in enumerate(faces.photo_ids):
        faces_of[photo].append(index)
    photo_batches, held = split_photos(faces, batches=batches, holdout=holdout, seed=seed)

    def arrive(photos: Sequence[Hashable]) -> None:
        library.add_faces([f for photo in photos for f in faces_of[photo]])

    for batch in photo_batches:
        arrive(batch)

    shown = [f for batch in photo_batches for photo in batch for f in faces_of[photo]]
    labelled = [f for f in shown if faces.labels[f] is not None]
    truth = [faces.labels[f] for f in labelled]
    predicted = [int(library.cluster[f]) for f in labelled]
    real = [i for i, label in enumerate(truth) if label not in faces.strangers]
    stranger = [i for i, label in enumerate(truth) if label in faces.strangers]

    library.name_clusters({c: str(n) for c, n in majority_names(truth, predicted).items()})
    shown_photos = [photo for batch in photo_batches for photo in batch]
    people = _photo_scores(faces, library, shown_photos, faces_of)
    counts: Counter[Hashable] = Counter(p for photo in faces.photo_people for p in faces.photo_people[photo])
    judged = [s for person, s in people.items() if person not in faces.strangers and counts[person] >= min_photos]

    arrive(held)
    # Every held-back photo of a person counts, named or not: a person whose faces never formed a
    # cluster had no name to give (as `facesort eval` counts).
    right = wrong = total = 0
    for photo in held:
        for f in faces_of[photo]:
            label, name = faces.labels[f], library.name_of(f)
            if label is None:
                continue
            if label not in faces.strangers:
                total += 1
                right += name == label
            wrong += name is not None and name != label
    return IncrementalReport(
        clustering=clustering_scores(truth, predicted),
        real_unknown_share=1 - clustered_share([predicted[i] for i in real]) if real else 0.0,
        strangers_clustered_share=clustered_share([predicted[i] for i in stranger]),
        people=people,
        naming=micro_average(judged),
        naming_min_person=Scores(
            precision=min((s.precision for s in judged), default=1.0),
            recall=min((s.recall for s in judged), default=1.0),
        ),
        auto_named_share=right / total if total else 1.0,
        auto_named_wrong=wrong,
        held_back=total,
    )


def _photo_scores(
    faces: LabelledFaces, library: Library, photos: Sequence[Hashable], faces_of: Mapping[Hashable, list[int]]
) -> dict[Hashable, PersonPhotoScores]:
    named = {}
    for photo in photos:
        names = {library.name_of(f) for f in faces_of[photo]}
        named[photo] = frozenset(n for n in names if n is not None)
    return photos_of_person_scores(
        {p: faces.photo_people[p] for p in photos},
        named,
        fully_labelled={p: faces.fully_labelled[p] for p in photos},
    )
