"""Decide which existing cluster (person) each new face joins, from its nearest neighbours.

The caller (the ``assign_faces`` actor) asks the vector index for each new face's k
nearest faces among the owner's *assigned* faces and passes them here with the
constraints; this module only decides. Rules:

* a face joins a cluster when that cluster's nearest face is within ``max_distance`` and
  every other cluster's nearest face is at least ``margin`` farther: a face between two
  look-alike people stays unknown rather than guess;
* never a cluster the face was rejected from ("not this person"), and a rejected cluster
  does not count as a competitor either: the person already said it is not them;
* faces of one photo are decided together: never two of them for one cluster, never a
  cluster another face of the photo already belongs to. When two faces want the same
  cluster the closer one gets it (a minimum-cost matching), and the other is decided
  again knowing it is not that person.

Only unassigned faces are passed in; faces a person placed by hand (``assigned_by =
user``) are never passed, so nothing here can move them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from core.embedding_models import DLIB, EmbeddingModel

FaceId = Hashable
ClusterId = Hashable
PhotoId = Hashable


@dataclass(frozen=True)
class Neighbour:
    """One of a new face's nearest assigned faces, as the vector index returns it."""

    cluster_id: ClusterId
    distance: float


@dataclass(frozen=True)
class NewFace:
    """A face to decide, with its nearest assigned faces."""

    face_id: FaceId
    photo_id: PhotoId
    neighbours: Sequence[Neighbour]


@dataclass(frozen=True)
class AssignParams:
    """``max_distance``: the nearest face of the chosen person must be this close.
    ``margin``: every other person's nearest face must be at least this much farther.
    Defaults suit dlib's 128-d embeddings (same-person pairs mostly under 0.5); the product takes
    its embedding's own with :meth:`for_model` (core.embedding_models).

    Measured and left out (faces-dev, the incremental simulation, seeds 0-9; these defaults give
    BCubed F1 0.979, 2.67% of real faces unknown, 4 wrong names): a second rule that also takes a
    nearest face up to 0.53-0.56 when every other person is 0.08-0.12 farther gives F1 0.971-0.974
    and 7-11 wrong names (early on, a library holds no other person to be far from); one that
    takes it when 2 or 3 of the person's faces are within 0.55 gives 0.979 and 2.58-2.62%,
    within the seeds' spread.
    """

    max_distance: float = DLIB.assign_distance
    margin: float = DLIB.assign_margin

    @classmethod
    def for_model(cls, model: EmbeddingModel) -> AssignParams:
        """The distances measured for ``model``'s embeddings (the defaults are dlib's)."""
        return cls(max_distance=model.assign_distance, margin=model.assign_margin)


def assign_faces(
    faces: Sequence[NewFace],
    *,
    rejections: Collection[tuple[FaceId, ClusterId]] = (),
    clusters_in_photo: Mapping[PhotoId, Collection[ClusterId]] | None = None,
    params: AssignParams | None = None,
) -> dict[FaceId, ClusterId | None]:
    """The cluster each face joins, or ``None`` to leave it unknown.

    ``rejections``: (face, cluster) pairs a person said "not this person" to.
    ``clusters_in_photo[photo]``: clusters that faces of the photo, other than the ones
    passed here, already belong to.
    """
    params = params or AssignParams()
    taken = clusters_in_photo or {}
    rejected: dict[FaceId, set[ClusterId]] = defaultdict(set)
    for face_id, cluster_id in rejections:
        rejected[face_id].add(cluster_id)
    by_photo: dict[PhotoId, list[NewFace]] = defaultdict(list)
    for face in faces:
        by_photo[face.photo_id].append(face)
    decision: dict[FaceId, ClusterId | None] = {}
    for photo_id, photo_faces in by_photo.items():
        excluded = {face.face_id: rejected[face.face_id] | set(taken.get(photo_id, ())) for face in photo_faces}
        decision.update(_assign_photo(photo_faces, excluded, params))
    return decision


def nearest_per_cluster(neighbours: Sequence[Neighbour], excluded: Collection[ClusterId]) -> dict[ClusterId, float]:
    """Distance from a face to the nearest face of each cluster among its neighbours."""
    nearest: dict[ClusterId, float] = {}
    for neighbour in neighbours:
        if neighbour.cluster_id in excluded:
            continue
        if neighbour.distance < nearest.get(neighbour.cluster_id, np.inf):
            nearest[neighbour.cluster_id] = neighbour.distance
    return nearest


def _confident_choice(nearest: Mapping[ClusterId, float], params: AssignParams) -> tuple[ClusterId, float] | None:
    if not nearest:
        return None
    ranked = sorted(nearest.items(), key=lambda item: item[1])
    best, distance = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else np.inf
    if distance > params.max_distance or runner_up - distance < params.margin:
        return None
    return best, distance


def _assign_photo(
    faces: Sequence[NewFace],
    excluded: dict[FaceId, set[ClusterId]],
    params: AssignParams,
) -> dict[FaceId, ClusterId | None]:
    """Decide one photo's faces together; repeats while a face lost its cluster to a sibling."""
    decision: dict[FaceId, ClusterId | None] = {face.face_id: None for face in faces}
    pending = list(faces)
    # Each round settles at least one face or stops, so len(faces) rounds always suffice.
    for _ in range(len(faces)):
        choices = {}
        for face in pending:
            nearest = nearest_per_cluster(face.neighbours, excluded[face.face_id])
            choice = _confident_choice(nearest, params)
            if choice is not None:
                choices[face.face_id] = choice
        if not choices:
            break
        won = _match(choices)
        decision.update(won)
        for cluster_id in won.values():
            for face in pending:
                excluded[face.face_id].add(cluster_id)  # a photo shows a person once
        pending = [face for face in pending if face.face_id not in won]
        if not won or not pending:
            break
    return decision


def _match(choices: Mapping[FaceId, tuple[ClusterId, float]]) -> dict[FaceId, ClusterId]:
    """Minimum-distance matching: at most one face per cluster."""
    face_ids = list(choices)
    cluster_ids = list(dict.fromkeys(cluster for cluster, _ in choices.values()))
    column = {cluster: j for j, cluster in enumerate(cluster_ids)}
    cost = np.full((len(face_ids), len(cluster_ids)), 1e6)
    for i, face_id in enumerate(face_ids):
        cluster, distance = choices[face_id]
        cost[i, column[cluster]] = distance
    rows, cols = linear_sum_assignment(cost)
    return {face_ids[i]: cluster_ids[j] for i, j in zip(rows, cols, strict=True) if cost[i, j] < 1e6}
