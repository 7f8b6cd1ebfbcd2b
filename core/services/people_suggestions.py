"""Merge suggestions: pairs of clusters that look like one person, most confident first.

Centroids come from the embeddings in SQL (the record of truth), so suggestions reflect every
correction at once. Never suggested: a pair a person kept apart (split or ``keep_apart``), two
differently named people (naming them differently already says they differ; a person who
named one person twice can still merge by hand), two clusters seen together in one photo (a
person appears once per photo), and hidden clusters (hidden means "not interesting"). The
closest pair is the most confident one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.db import SessionFactory, transaction
from core.embedding_models import measured_for
from core.repositories import clusters as cluster_repo
from core.repositories import faces as face_repo
from core.tables import FaceCluster

_BLOCK = 1024


@dataclass(frozen=True)
class MergeSuggestion:
    """Merge ``source`` into ``target``: the target is the named, then the larger cluster."""

    target: FaceCluster
    source: FaceCluster
    distance: float


def merge_suggestions(
    sessions: SessionFactory,
    *,
    owner_id: uuid.UUID,
    limit: int = 20,
    max_distance: float | None = None,
) -> list[MergeSuggestion]:
    """``max_distance`` between centroids; by default the suggestion distance measured for the
    embedding of the owner's faces (core.embedding_models)."""
    if limit <= 0:
        return []
    with transaction(sessions) as session:
        common = face_repo.common_embedding(session, owner_id=owner_id)
        if common is None:
            return []
        model, dim = common
        if max_distance is None:
            max_distance = measured_for(model, dim).suggestion_distance
        clusters = {c.id: c for c in cluster_repo.clusters_of_owner(session, owner_id=owner_id) if not c.hidden}
        ids, sums, counts = face_repo.cluster_sums(session, owner_id=owner_id, model=model, dim=dim)
        keep = [i for i, cluster_id in enumerate(ids) if cluster_id in clusters]
        ids = [ids[i] for i in keep]
        centroids = (sums[keep] / counts[keep, None]).astype(np.float32) if keep else np.empty((0, dim), np.float32)
        apart = cluster_repo.separations_of_owner(session, owner_id=owner_id)
        pairs = [
            (clusters[ids[i]], clusters[ids[j]], distance)
            for i, j, distance in _closest_pairs(centroids, max_distance=max_distance)
            if cluster_repo.separation_key(ids[i], ids[j]) not in apart
            and (clusters[ids[i]].name_key is None or clusters[ids[j]].name_key is None)
        ]
        together = face_repo.clusters_seen_together(
            session, cluster_ids=sorted({c.id for a, b, _ in pairs for c in (a, b)})
        )
        found: list[MergeSuggestion] = []
        for a, b, distance in pairs:
            if cluster_repo.separation_key(a.id, b.id) in together:
                continue
            target, source = sorted((a, b), key=lambda c: (c.name_key is None, -c.face_count, c.created_at))
            found.append(MergeSuggestion(target=target, source=source, distance=distance))
            if len(found) == limit:
                break
        return found


def _closest_pairs(centroids: NDArray[np.float32], *, max_distance: float) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of centroids within ``max_distance``, closest first, in row blocks."""
    n = len(centroids)
    norms = np.einsum("ij,ij->i", centroids, centroids)
    found: list[tuple[float, int, int]] = []
    for start in range(0, n, _BLOCK):
        stop = min(start + _BLOCK, n)
        squared = norms[start:stop, None] + norms[None, :] - 2.0 * (centroids[start:stop] @ centroids.T)
        rows, cols = np.nonzero(squared <= max_distance**2)
        rows = rows + start
        upper = rows < cols
        for i, j in zip(rows[upper].tolist(), cols[upper].tolist(), strict=True):
            found.append((float(np.sqrt(max(squared[i - start, j], 0.0))), i, j))
    found.sort()
    return [(i, j, d) for d, i, j in found]
