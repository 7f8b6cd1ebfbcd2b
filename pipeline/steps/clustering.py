"""Group unknown faces into clusters: average linkage over a sparse neighbour graph.

Why this method: two groups of faces merge when the root mean square distance between
their faces is under ``link_distance``, so one look-alike pair cannot chain two people together (single
linkage and DBSCAN do that), and a stranger only joins a group when it is close to most
of the group, not to one member of it. Two faces of one photo are never put in one
cluster (a person appears once per photo), which also keeps look-alikes who pose
together apart.

It scales because only groups with a pair of faces within ``link_distance`` (among each
face's k exact nearest neighbours) are ever compared, and the mean squared distance
between two groups comes from running sums (sizes, vector sums, sums of squares) in
O(d), never from visiting pairs: n log n merges, O(n * k) memory.

Measured on faces-dev (central faces, all at once, the product's embeddings): BCubed F1
0.978, 3.6% real faces unknown, no stranger clustered; DBSCAN 0.5/2 gives 0.964 / 3.6% /
0%, average-linkage 0.55 (sklearn) 0.975 / 3.6% / 10%, Chinese Whispers 0.55 0.986 / 2.1%
/ 10%. 0.55 is where recall stops rising faster than precision falls (0.5: F1 0.930).
(Those figures are for the embeddings of the time. Since dlib's predictor gets a square box,
see pipeline.ml.embedder, this method's F1 all at once is 0.986, against 0.978 before. On the
default ArcFace embedding, with its own distances (core.embedding_models): 0.989 and 0.7% unknown,
the same for any link distance from 1.10 to 1.18; DBSCAN at its best eps there (1.05-1.10) gives
the same, and at our link distance chains people together: 0.959.)
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.embedding_models import DLIB, EmbeddingModel
from pipeline.steps.neighbours import nearest_neighbours, symmetric_edges

UNKNOWN = -1


@dataclass(frozen=True)
class ClusterParams:
    """Tuning of :func:`cluster_faces`; defaults are for dlib's 128-d ResNet embeddings, and the
    product takes its embedding's own with :meth:`for_model` (core.embedding_models).

    ``link_distance``: two groups merge while the root mean square distance between their
    faces is below this. dlib calls two faces the same person under 0.6 (99.38% on LFW
    pairs); a library compares every face with every other, so false merges compound
    and a stricter value is needed.
    ``neighbours``: k of the exact k-nearest-neighbour graph that proposes which groups
    to compare (a pair of groups within ``link_distance`` always has a face pair within
    it, so k only needs to exceed the faces a person has very close together).
    ``min_cluster_size``: smaller groups stay unknown faces (a person seen once is not a
    cluster).
    ``pair_distance``: a cluster of only two faces must be this close. A library compares
    every face with every other, so a lone pair at the group threshold is often chance (a
    stranger and a look-alike in a crowd); a group of three or more needs every pair close
    on average, which chance rarely gives. Set it to ``link_distance`` to turn this off.
    Measured on faces-dev (the incremental simulation, seeds 0-9): 0.45-0.50 give the same
    (F1 0.978-0.979, 2.67% of real faces unknown, no stranger clustered); 0.52 gives 1.99% unknown
    and one more wrong name; 0.55 gives 1.72% but puts 5.1% of strangers in clusters.
    """

    link_distance: float = DLIB.link_distance
    pair_distance: float = DLIB.pair_distance
    neighbours: int = 50
    min_cluster_size: int = 2

    @classmethod
    def for_model(cls, model: EmbeddingModel) -> ClusterParams:
        """The distances measured for ``model``'s embeddings (the defaults are dlib's)."""
        return cls(link_distance=model.link_distance, pair_distance=model.pair_distance)


class _Group:
    """Running sums that give the exact mean squared distance to any other group."""

    __slots__ = ("links", "photos", "size", "square_sum", "vector_sum", "version")

    def __init__(self, vector: NDArray[np.float64], photo: Hashable) -> None:
        self.size = 1
        self.version = 0  # bumped on every merge: heap entries with an old version are stale
        self.vector_sum = vector.copy()
        self.square_sum = float(vector @ vector)
        self.photos: set[Hashable] = {photo}
        self.links: set[int] = set()  # groups with at least one neighbour pair


def _mean_squared_distance(a: _Group, b: _Group) -> float:
    """Mean of |x - y|^2 over x in a, y in b, from sums alone (no pair is visited)."""
    cross = float(a.vector_sum @ b.vector_sum)
    total = b.size * a.square_sum + a.size * b.square_sum - 2.0 * cross
    return max(total, 0.0) / (a.size * b.size)


# A heap entry: (mean squared distance, group a, group b, a's version, b's version).
_Entry = tuple[float, int, int, int, int]


def cluster_faces(
    embeddings: NDArray[np.floating],
    *,
    photo_ids: Sequence[Hashable],
    params: ClusterParams | None = None,
) -> NDArray[np.int64]:
    """Cluster labels for ``embeddings`` (one row per face); ``UNKNOWN`` (-1) for faces in no cluster.

    ``photo_ids[i]`` is the photo face i comes from: faces of one photo never share a
    cluster. Labels are 0..m-1, numbered by the first face of each cluster, so the same
    input always gives the same labels.
    """
    params = params or ClusterParams()
    n = len(embeddings)
    if len(photo_ids) != n:
        raise ValueError(f"{n} embeddings but {len(photo_ids)} photo ids")
    if params.link_distance <= 0:
        raise ValueError("link_distance must be positive")
    if n == 0:
        return np.empty(0, dtype=np.int64)
    points = np.asarray(embeddings, dtype=np.float64)
    graph = nearest_neighbours(points, k=params.neighbours, radius=params.link_distance)
    low, high, distance = symmetric_edges(graph)
    root = _average_linkage(points, low, high, distance, photo_ids, params.link_distance)
    root = _split_loose_pairs(points, root, params.pair_distance)
    return _labels_from_roots(root, params.min_cluster_size)


def _average_linkage(
    points: NDArray[np.float64],
    low: NDArray[np.int64],
    high: NDArray[np.int64],
    distance: NDArray[np.float64],
    photo_ids: Sequence[Hashable],
    link_distance: float,
) -> NDArray[np.int64]:
    """Merge neighbouring groups, closest first, while their root mean square distance is
    under ``link_distance``; returns each face's final group id. ``distance``: of each edge
    (low, high), as the neighbour graph measured it (not measured again: at 512 dimensions that
    pass over every edge cost as much as the graph)."""
    n = len(photo_ids)
    groups: dict[int, _Group] = {i: _Group(points[i], photo_ids[i]) for i in range(n)}
    owner = np.arange(n, dtype=np.int64)  # union-find parents: face -> group id
    limit = link_distance**2
    squared = distance**2
    # The faces' own pairs, closest first, are read in order; only the pairs of merged groups go
    # through the heap (half the entries, and a heap of a million tuples is slow to pop). Taking
    # whichever of the two is smaller pops entries in exactly the order one heap of all would.
    order = np.lexsort((high, low, squared))
    pairs: list[_Entry] = []
    for a, b, key in zip(low[order].tolist(), high[order].tolist(), squared[order].tolist(), strict=True):
        if photo_ids[a] != photo_ids[b] and key <= limit:
            groups[a].links.add(b)
            groups[b].links.add(a)
            pairs.append((key, a, b, 0, 0))
    heap: list[_Entry] = []
    next_pair = 0
    while next_pair < len(pairs) or heap:
        if next_pair < len(pairs) and (not heap or pairs[next_pair] < heap[0]):
            key, a, b, version_a, version_b = pairs[next_pair]
            next_pair += 1
        else:
            key, a, b, version_a, version_b = heapq.heappop(heap)
        group_a, group_b = groups.get(a), groups.get(b)
        if group_a is None or group_b is None or group_a.version != version_a or group_b.version != version_b:
            continue  # merged away, or changed since: a fresher entry was pushed then
        if b not in group_a.links:
            continue  # found incompatible (they share a photo)
        small, large = (a, b) if group_a.size < group_b.size else (b, a)
        if not groups[small].photos.isdisjoint(groups[large].photos):
            # A photo shows a person once: these groups never merge, now or later.
            group_a.links.discard(b)
            group_b.links.discard(a)
            continue
        _merge(groups, small, large, heap, limit)
        owner[small] = large
    return _find_all(owner)


def _merge(groups: dict[int, _Group], small: int, large: int, heap: list[_Entry], limit: float) -> None:
    gs, gl = groups.pop(small), groups[large]
    gl.size += gs.size
    gl.version += 1
    gl.vector_sum += gs.vector_sum
    gl.square_sum += gs.square_sum
    gl.photos |= gs.photos
    gl.links.discard(small)
    for other in gs.links:
        if other != large:
            groups[other].links.discard(small)
            groups[other].links.add(large)
            gl.links.add(other)
    # The merged group's distance to every neighbour changed; re-queue those still in reach.
    for other in gl.links:
        go = groups[other]
        key = _mean_squared_distance(gl, go)
        if key <= limit:
            a, b = (large, other) if large < other else (other, large)
            ga, gb = groups[a], groups[b]
            heapq.heappush(heap, (key, a, b, ga.version, gb.version))


def _split_loose_pairs(points: NDArray[np.float64], root: NDArray[np.int64], pair_distance: float) -> NDArray[np.int64]:
    """Two-face groups farther apart than ``pair_distance`` become two single faces."""
    _, inverse, counts = np.unique(root, return_inverse=True, return_counts=True)
    in_pair = np.flatnonzero(counts[inverse] == 2)
    if len(in_pair) == 0:
        return root
    order = in_pair[np.argsort(root[in_pair], kind="stable")]
    first, second = order[0::2], order[1::2]
    gap = np.linalg.norm(points[first] - points[second], axis=1)
    split = root.copy()
    loose = gap > pair_distance
    split[first[loose]] = first[loose]
    split[second[loose]] = second[loose]
    return split


def _find_all(parent: NDArray[np.int64]) -> NDArray[np.int64]:
    root = parent.copy()
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            return root
        root = nxt


def _labels_from_roots(root: NDArray[np.int64], min_cluster_size: int) -> NDArray[np.int64]:
    _, first_index, inverse, counts = np.unique(root, return_index=True, return_inverse=True, return_counts=True)
    big = counts >= max(1, min_cluster_size)
    # Number clusters by their first face so labels do not depend on merge order.
    order = np.argsort(first_index[big])
    label_of_group = np.full(len(counts), UNKNOWN, dtype=np.int64)
    label_of_group[np.flatnonzero(big)[order]] = np.arange(int(big.sum()), dtype=np.int64)
    return label_of_group[inverse]
