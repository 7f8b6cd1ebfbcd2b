"""Turn fresh clustering labels into a plan that keeps cluster ids and names stable.

A recluster labels faces 0..m-1 from scratch. Users see clusters, not labels: a group
that is still mostly the same faces must keep its id (and so its name, cover, hidden
flag), and a group that is clearly an existing person should join that person instead
of becoming a second cluster of them. The service layer applies the plan in one
transaction; nothing here touches a database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from core.embedding_models import DLIB, EmbeddingModel
from pipeline.steps.clustering import UNKNOWN

FaceId = Hashable
ClusterId = Hashable
PhotoId = Hashable


@dataclass(frozen=True)
class NewCluster:
    """A cluster the service must create; ``label`` is the clustering's label for it."""

    label: int


@dataclass(frozen=True)
class ReclusterPlan:
    """What to write after a recluster.

    ``face_cluster[face]``: the existing cluster id, a :class:`NewCluster`, or ``None``
    (unknown) for every reclustered face. ``kept``: label -> old cluster id it continues.
    ``attached``: label -> existing person it joins. ``created``: labels that become new
    clusters. ``emptied``: old cluster ids none of whose reclustered faces stayed in them
    (the service deletes an emptied cluster only if it is unnamed and has no other faces).
    """

    face_cluster: dict[FaceId, ClusterId | NewCluster | None]
    kept: dict[int, ClusterId] = field(default_factory=dict)
    attached: dict[int, ClusterId] = field(default_factory=dict)
    created: list[int] = field(default_factory=list)
    emptied: list[ClusterId] = field(default_factory=list)


def keep_cluster_ids(
    face_ids: Sequence[FaceId],
    labels: Sequence[int] | NDArray[np.int64],
    old_cluster: Mapping[FaceId, ClusterId | None],
) -> dict[int, ClusterId]:
    """Which new labels continue an old cluster.

    A label continues old cluster C when it holds more than half of C's reclustered faces
    and more than half of its own faces came from C; each old id goes to at most one
    label. More than half on both sides makes the match unique without any tie-breaking.
    """
    old_size: Counter[ClusterId] = Counter(c for c in (old_cluster.get(f) for f in face_ids) if c is not None)
    new_size: Counter[int] = Counter(int(label) for label in labels if label != UNKNOWN)
    overlap: Counter[tuple[int, ClusterId]] = Counter()
    for face_id, label in zip(face_ids, labels, strict=True):
        old = old_cluster.get(face_id)
        if label != UNKNOWN and old is not None:
            overlap[(int(label), old)] += 1
    kept: dict[int, ClusterId] = {}
    for (label, old), shared in overlap.items():
        if 2 * shared > old_size[old] and 2 * shared > new_size[label]:
            kept[label] = old
    return kept


@dataclass(frozen=True)
class AttachParams:
    """A group joins a person when the root mean square distance between the group's faces
    and the person's faces is under ``max_distance`` and every other person is ``margin``
    farther.
    The same criterion that merges groups in clustering, so a group is attached exactly
    when clustering would have merged it with the person's faces.
    """

    max_distance: float = DLIB.attach_distance
    margin: float = DLIB.attach_margin

    @classmethod
    def for_model(cls, model: EmbeddingModel) -> AttachParams:
        """The distances measured for ``model``'s embeddings (the defaults are dlib's)."""
        return cls(max_distance=model.attach_distance, margin=model.attach_margin)


@dataclass(frozen=True)
class PersonSample:
    """Embeddings of (a sample of) one existing cluster's faces, and the photos they are in."""

    embeddings: NDArray[np.floating]
    photo_ids: Collection[PhotoId] = ()


def rms_distance(a: NDArray[np.floating], b: NDArray[np.floating]) -> float:
    """Root mean square Euclidean distance over all pairs: the linkage clustering uses.

    From centroids and spreads, O((|a| + |b|) d): mean |x - y|^2 = |mean a - mean b|^2
    + mean |x - mean a|^2 + mean |y - mean b|^2.
    """
    a64 = np.asarray(a, dtype=np.float64)
    b64 = np.asarray(b, dtype=np.float64)
    centre_a, centre_b = a64.mean(0), b64.mean(0)
    spread_a = float(((a64 - centre_a) ** 2).sum(1).mean())
    spread_b = float(((b64 - centre_b) ** 2).sum(1).mean())
    return float(np.sqrt(((centre_a - centre_b) ** 2).sum() + spread_a + spread_b))


def attach_group(
    group_embeddings: NDArray[np.floating],
    group_photo_ids: Collection[PhotoId],
    people: Mapping[ClusterId, PersonSample],
    *,
    excluded: Collection[ClusterId] = (),
    params: AttachParams | None = None,
) -> ClusterId | None:
    """The existing cluster this new group clearly belongs to, or ``None``.

    ``people`` holds the candidate clusters (the service passes those the group's faces
    have as nearest neighbours). ``excluded``: clusters any face of the group was rejected
    from. A person who already appears in one of the group's photos is not a candidate.
    """
    params = params or AttachParams()
    photos = set(group_photo_ids)
    distances: dict[ClusterId, float] = {}
    for cluster_id, sample in people.items():
        if cluster_id in excluded or len(sample.embeddings) == 0:
            continue
        distances[cluster_id] = rms_distance(group_embeddings, sample.embeddings)
    ranked = sorted(distances.items(), key=lambda item: item[1])
    if not ranked:
        return None
    best, distance = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else np.inf
    if distance > params.max_distance or runner_up - distance < params.margin:
        return None
    if not photos.isdisjoint(people[best].photo_ids):
        return None
    return best


def plan_recluster(
    face_ids: Sequence[FaceId],
    labels: Sequence[int] | NDArray[np.int64],
    old_cluster: Mapping[FaceId, ClusterId | None],
    *,
    attached: Mapping[int, ClusterId] | None = None,
) -> ReclusterPlan:
    """Combine kept ids, attachments (from :func:`attach_group`) and new clusters into a plan.

    A label that keeps an old id is never also attached; the rest of the labels become
    new clusters, and unlabelled faces become unknown.
    """
    kept = keep_cluster_ids(face_ids, labels, old_cluster)
    attach = {label: cid for label, cid in (attached or {}).items() if label not in kept}
    created = sorted({int(x) for x in labels if x != UNKNOWN} - set(kept) - set(attach))
    face_cluster: dict[FaceId, ClusterId | NewCluster | None] = {}
    for face_id, raw in zip(face_ids, labels, strict=True):
        label = int(raw)
        if label == UNKNOWN:
            face_cluster[face_id] = None
        elif label in kept:
            face_cluster[face_id] = kept[label]
        elif label in attach:
            face_cluster[face_id] = attach[label]
        else:
            face_cluster[face_id] = NewCluster(label)
    still_used = set(kept.values()) | set(attach.values())
    emptied = sorted({c for c in old_cluster.values() if c is not None} - still_used, key=repr)
    return ReclusterPlan(face_cluster=face_cluster, kept=kept, attached=attach, created=created, emptied=emptied)


def groups_of(labels: Sequence[int] | NDArray[np.int64]) -> dict[int, list[int]]:
    """Face indexes of each label, unknown faces left out."""
    groups: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        if label != UNKNOWN:
            groups[int(label)].append(index)
    return dict(groups)
