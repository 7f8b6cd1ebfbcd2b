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
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

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
    """A face to decide. ``embedding`` is needed only when cluster profiles are passed."""

    face_id: FaceId
    photo_id: PhotoId
    neighbours: Sequence[Neighbour]
    embedding: NDArray[np.floating] | None = None


@dataclass(frozen=True)
class ClusterProfile:
    """Centroid and spread of a cluster's faces: enough to know the root mean square
    distance from any face to all of them (|x - centroid|^2 + spread), which is the
    criterion clustering merges by."""

    size: int
    centroid: NDArray[np.float64]
    spread: float  # mean squared distance of the faces to the centroid

    @classmethod
    def of(cls, embeddings: NDArray[np.floating]) -> ClusterProfile:
        faces = np.asarray(embeddings, dtype=np.float64)
        centroid = faces.mean(0)
        return cls(size=len(faces), centroid=centroid, spread=float(((faces - centroid) ** 2).sum(1).mean()))

    def rms_distance(self, embedding: NDArray[np.floating]) -> float:
        gap = np.asarray(embedding, dtype=np.float64) - self.centroid
        return float(np.sqrt(gap @ gap + self.spread))


@dataclass(frozen=True)
class AssignParams:
    """``max_distance``: the nearest face of the chosen person must be this close.
    ``margin``: every other person's nearest face must be at least this much farther.
    ``max_rms_distance``: with cluster profiles, the face must also be this close to the
    person's faces on average (root mean square), as clustering requires of a group: one
    close look-alike face in a big cluster is not enough.
    Defaults suit dlib's 128-d embeddings (same-person pairs mostly under 0.5).
    """

    max_distance: float = 0.5
    margin: float = 0.04
    max_rms_distance: float = 0.55


def assign_faces(
    faces: Sequence[NewFace],
    *,
    rejections: Collection[tuple[FaceId, ClusterId]] = (),
    clusters_in_photo: Mapping[PhotoId, Collection[ClusterId]] | None = None,
    profiles: Mapping[ClusterId, ClusterProfile] | None = None,
    params: AssignParams | None = None,
) -> dict[FaceId, ClusterId | None]:
    """The cluster each face joins, or ``None`` to leave it unknown.

    ``rejections``: (face, cluster) pairs a person said "not this person" to.
    ``clusters_in_photo[photo]``: clusters that faces of the photo, other than the ones
    passed here, already belong to.
    ``profiles``: optional centroid and spread of candidate clusters (faces must then carry
    their embedding); a cluster without a profile is judged by its neighbours alone.
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
        decision.update(_assign_photo(photo_faces, excluded, profiles or {}, params))
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


def _confident_choice(
    face: NewFace,
    nearest: Mapping[ClusterId, float],
    profiles: Mapping[ClusterId, ClusterProfile],
    params: AssignParams,
) -> tuple[ClusterId, float] | None:
    if not nearest:
        return None
    ranked = sorted(nearest.items(), key=lambda item: item[1])
    best, distance = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else np.inf
    if distance > params.max_distance or runner_up - distance < params.margin:
        return None
    profile = profiles.get(best)
    too_spread = (
        profile is not None
        and face.embedding is not None
        and profile.rms_distance(face.embedding) > params.max_rms_distance
    )
    return None if too_spread else (best, distance)


def _assign_photo(
    faces: Sequence[NewFace],
    excluded: dict[FaceId, set[ClusterId]],
    profiles: Mapping[ClusterId, ClusterProfile],
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
            choice = _confident_choice(face, nearest, profiles, params)
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
