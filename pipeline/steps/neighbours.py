"""Exact near neighbours of face embeddings, in blocks, as a sparse graph.

Clustering needs, for every face, the faces within a radius, at most ``k`` of them (the
nearest). Computed exactly by blocked matrix products: no approximate index, so results
never depend on a random seed. Memory stays O(block * n + edges), never O(n^2): a face
has few faces within the radius (the same person's), so the graph is small.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

# Rows per block: 512 x 100k float32 distances is 200 MB.
_BLOCK_ROWS = 512


@dataclass(frozen=True)
class NeighbourGraph:
    """Directed edges ``source[e] -> target[e]`` at Euclidean ``distance[e]``, sorted by
    source, then distance. Symmetric: every edge is listed in both directions."""

    source: NDArray[np.int64]
    target: NDArray[np.int64]
    distance: NDArray[np.float64]


def nearest_neighbours(embeddings: NDArray[np.floating], *, k: int, radius: float) -> NeighbourGraph:
    """Pairs of faces within ``radius`` where one is among the other's ``k`` nearest.

    Every face's k nearest within the radius are included (exactly), plus the faces that
    count it among theirs. Each pair is computed once (the upper triangle of the distance
    matrix, by row blocks), which halves the work of the full matrix.
    """
    points = np.ascontiguousarray(embeddings, dtype=np.float32)
    n = len(points)
    squared_norms = np.einsum("ij,ij->i", points, points)
    # |a-b|^2 = |a|^2 + |b|^2 - 2ab as one matrix product of augmented vectors
    # [a, |a|^2, 1] . [-2b, 1, |b|^2]: no extra passes over the block. float32 keeps
    # about 6 digits of distances around 0.5, far finer than any threshold.
    ones = np.ones((n, 1), dtype=np.float32)
    left = np.hstack([points, squared_norms[:, None], ones])
    right = np.ascontiguousarray(np.hstack([-2.0 * points, ones, squared_norms[:, None]]).T)
    limit = np.float32(radius * radius) if np.isfinite(radius) else np.float32(np.inf)
    low: list[NDArray[np.int64]] = []
    high: list[NDArray[np.int64]] = []
    found: list[NDArray[np.float64]] = []
    stored = 0
    for start in range(0, n, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, n)
        squared = left[start:stop] @ right[:, start:]
        # Only pairs i < j: blank the block's own lower triangle and diagonal.
        squared[np.tril_indices(stop - start)] = np.inf
        row, col = np.nonzero(squared <= limit)
        distance = np.sqrt(np.maximum(squared[row, col], 0.0)).astype(np.float64)
        i, j = row.astype(np.int64) + start, col.astype(np.int64) + start
        keep = _either_side_keeps(i, j, distance, k)
        low.append(i[keep])
        high.append(j[keep])
        found.append(distance[keep])
        stored += int(keep.sum())
        if stored > 4 * n * max(k, 1):  # bound memory when faces crowd together
            low, high, found = _compact(low, high, found, k)
            stored = len(low[0])
    if not low:
        empty = np.empty(0, dtype=np.int64)
        return NeighbourGraph(empty, empty, np.empty(0))
    (a,), (b,), (d,) = _compact(low, high, found, k)
    source, target, distance = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([d, d])
    order = np.lexsort((distance, source))
    return NeighbourGraph(source[order], target[order], distance[order])


def _either_side_keeps(
    low: NDArray[np.int64], high: NDArray[np.int64], distance: NDArray[np.float64], k: int
) -> NDArray[np.bool_]:
    """For each pair, whether it is among the k nearest pairs of either of its faces."""
    face = np.concatenate([low, high])
    order = np.lexsort((np.concatenate([distance, distance]), face))
    ranked = face[order]
    rank = np.arange(len(ranked)) - np.searchsorted(ranked, ranked, side="left")
    near = np.empty(len(face), dtype=bool)
    near[order] = rank < k
    return near[: len(low)] | near[len(low) :]


def _compact(
    low: list[NDArray[np.int64]], high: list[NDArray[np.int64]], found: list[NDArray[np.float64]], k: int
) -> tuple[list[NDArray[np.int64]], list[NDArray[np.int64]], list[NDArray[np.float64]]]:
    a, b, d = np.concatenate(low), np.concatenate(high), np.concatenate(found)
    keep = _either_side_keeps(a, b, d, k)
    return [a[keep]], [b[keep]], [d[keep]]


def symmetric_edges(graph: NeighbourGraph) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Undirected edges (i < j) present in either direction, each once."""
    low = np.minimum(graph.source, graph.target)
    high = np.maximum(graph.source, graph.target)
    if len(low) == 0:
        return low, high, graph.distance
    keys = low * (int(high.max()) + 1) + high
    _, first = np.unique(keys, return_index=True)
    return low[first], high[first], graph.distance[first]


def squared_distance_blocks(
    queries: NDArray[np.floating], points: NDArray[np.floating], *, rows: int = _BLOCK_ROWS
) -> Iterator[tuple[int, NDArray[np.float32]]]:
    """``(start, squared distances of queries[start:start + rows] to every point)``, block by
    block: exact, and never more than ``rows x len(points)`` floats at once."""
    points32 = np.ascontiguousarray(points, dtype=np.float32)
    norms = np.einsum("ij,ij->i", points32, points32)
    for start in range(0, len(queries), rows):
        block = np.ascontiguousarray(queries[start : start + rows], dtype=np.float32)
        yield start, np.einsum("ij,ij->i", block, block)[:, None] + norms[None, :] - 2.0 * (block @ points32.T)


def near_any(queries: NDArray[np.floating], points: NDArray[np.floating], *, radius: float) -> NDArray[np.bool_]:
    """For each query, whether any of ``points`` lies within ``radius``."""
    found = np.zeros(len(queries), dtype=bool)
    if len(points) == 0:
        return found
    for start, squared in squared_distance_blocks(queries, points):
        found[start : start + len(squared)] = (squared <= radius * radius).any(axis=1)
    return found
