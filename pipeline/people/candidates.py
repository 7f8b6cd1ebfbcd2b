"""Which existing clusters a new group might be: the nearest by centroid.

Centroids come from SQL (one streamed pass over the owner's assigned faces), so this needs no
vector-index query per group: a first import that makes thousands of groups costs one matrix
product per block instead of thousands of searches.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pipeline.steps.neighbours import squared_distance_blocks

_BLOCK = 1024


def nearest_clusters(groups: NDArray[np.floating], clusters: NDArray[np.floating], *, k: int) -> list[list[int]]:
    """For each group centroid, the indexes of the ``k`` nearest cluster centroids, nearest first."""
    if len(clusters) == 0:
        return [[] for _ in range(len(groups))]
    k = min(k, len(clusters))
    found: list[list[int]] = []
    for _, squared in squared_distance_blocks(groups, clusters, rows=_BLOCK):
        nearest = np.argpartition(squared, k - 1, axis=1)[:, :k] if k < len(clusters) else np.tile(
            np.arange(len(clusters)), (len(squared), 1)
        )
        order = np.argsort(np.take_along_axis(squared, nearest, axis=1), axis=1)
        found.extend(np.take_along_axis(nearest, order, axis=1).tolist())
    return found
