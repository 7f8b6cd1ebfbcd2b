"""How clustering time grows with the number of faces: ``python -m bench.cluster``.

Synthetic faces shaped like dlib's 128-d embeddings: one centre per person (different
people about 0.9 apart, as dlib puts them), faces scattered about 0.3 around their centre
(same-person pairs about 0.4 apart), 25 faces per person on average, plus one stranger
(a person seen once) per 10 faces, and photos of one to three faces. Prints the time of
:func:`cluster_faces` at each size and its growth over the previous size.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from numpy.typing import NDArray

from pipeline.steps.clustering import UNKNOWN, ClusterParams, cluster_faces

DIMENSIONS = 128
CENTRE_SPREAD = 0.9 / np.sqrt(2)  # |c1 - c2| ~ sqrt(2) * spread
FACE_SPREAD = 0.3


def synthetic_faces(n: int, seed: int = 0) -> tuple[NDArray[np.float32], list[int], NDArray[np.int64]]:
    """Embeddings, a photo id per face, and the true person of each face."""
    rng = np.random.default_rng(seed)
    strangers = n // 10
    people = max(1, (n - strangers) // 25)
    person = np.concatenate([rng.integers(0, people, n - strangers), people + np.arange(strangers)])
    centres = rng.normal(scale=CENTRE_SPREAD / np.sqrt(DIMENSIONS), size=(people + strangers, DIMENSIONS))
    noise = rng.normal(scale=FACE_SPREAD / np.sqrt(DIMENSIONS), size=(n, DIMENSIONS))
    embeddings = (centres[person] + noise).astype(np.float32)
    # Photos hold one to three faces, in shuffled order so a photo mixes people.
    order = rng.permutation(n)
    photo = np.empty(n, dtype=np.int64)
    photo[order] = np.cumsum(rng.integers(0, 3, n) == 0)
    return embeddings, photo.tolist(), person


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 50_000, 100_000])
    args = parser.parse_args()
    params = ClusterParams()
    print(f"{'faces':>8} {'seconds':>8} {'growth':>7} {'x size':>7} {'clusters':>9} {'unknown':>8}")
    previous: tuple[int, float] | None = None
    for n in args.sizes:
        embeddings, photos, _ = synthetic_faces(n)
        start = time.perf_counter()
        labels = cluster_faces(embeddings, photo_ids=photos, params=params)
        seconds = time.perf_counter() - start
        growth = f"{seconds / previous[1]:.1f}" if previous else "-"
        size_ratio = f"{n / previous[0]:.1f}" if previous else "-"
        clusters = len(set(labels.tolist()) - {UNKNOWN})
        unknown = float(np.mean(labels == UNKNOWN))
        print(f"{n:>8} {seconds:>8.1f} {growth:>7} {size_ratio:>7} {clusters:>9} {unknown:>8.1%}")
        previous = (n, seconds)


if __name__ == "__main__":
    main()
