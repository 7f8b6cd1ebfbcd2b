"""How clustering time grows with the number of faces: ``python -m bench.cluster [--embedding E]``.

Synthetic faces shaped like an embedding's (``--embedding arcface``, the default: 512-d unit
vectors, same-person pairs about 0.88 apart and different people about 1.41, as ArcFace puts
the dev set's faces; ``dlib``: 128-d, different people about 0.9 apart, faces scattered about
0.3 around their centre, same-person pairs about 0.4 apart), 25 faces per person on average,
plus one stranger (a person seen once) per 10 faces, and photos of one to three faces.
:func:`cluster_faces` runs with that embedding's distances (core.embedding_models). Prints the
time at each size and its growth over the previous size.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.embedding_models import BY_SETTING
from pipeline.steps.clustering import UNKNOWN, ClusterParams, cluster_faces

DIMENSIONS = 128
CENTRE_SPREAD = 0.9 / np.sqrt(2)  # |c1 - c2| ~ sqrt(2) * spread
FACE_SPREAD = 0.3
# ArcFace: random unit centres are sqrt(2) apart; a face is its centre plus noise of variance
# s^2 per dimension, normalised: two faces of one person are sqrt(2 - 2 / (1 + 512 s^2)) apart.
ARCFACE_DIMENSIONS = 512
ARCFACE_NOISE = np.sqrt(0.632 / ARCFACE_DIMENSIONS)  # same-person pairs about 0.88 apart


@dataclass(frozen=True)
class FaceShape:
    """How an embedding places people and their faces: "arcface" or "dlib"."""

    embedding: str

    @property
    def dim(self) -> int:
        return ARCFACE_DIMENSIONS if self.embedding == "arcface" else DIMENSIONS

    def centres(self, rng: np.random.Generator, count: int) -> NDArray[np.float64]:
        if self.embedding == "arcface":
            centres = rng.normal(size=(count, self.dim))
            return centres / np.linalg.norm(centres, axis=1, keepdims=True)
        return rng.normal(scale=CENTRE_SPREAD / np.sqrt(DIMENSIONS), size=(count, DIMENSIONS))

    def faces(self, rng: np.random.Generator, centres: NDArray[np.float64]) -> NDArray[np.float32]:
        """One face around each of ``centres``."""
        if self.embedding == "arcface":
            faces = centres + rng.normal(scale=ARCFACE_NOISE, size=centres.shape)
            return (faces / np.linalg.norm(faces, axis=1, keepdims=True)).astype(np.float32)
        return (centres + rng.normal(scale=FACE_SPREAD / np.sqrt(DIMENSIONS), size=centres.shape)).astype(np.float32)


def synthetic_faces(
    n: int, seed: int = 0, *, embedding: str = "dlib"
) -> tuple[NDArray[np.float32], list[int], NDArray[np.int64]]:
    """Embeddings shaped like ``embedding``'s, a photo id per face, and the true person of each face."""
    rng = np.random.default_rng(seed)
    strangers = n // 10
    people = max(1, (n - strangers) // 25)
    person = np.concatenate([rng.integers(0, people, n - strangers), people + np.arange(strangers)])
    shape = FaceShape(embedding)
    embeddings = shape.faces(rng, shape.centres(rng, people + strangers)[person])
    # Photos hold one to three faces, in shuffled order so a photo mixes people.
    order = rng.permutation(n)
    photo = np.empty(n, dtype=np.int64)
    photo[order] = np.cumsum(rng.integers(0, 3, n) == 0)
    return embeddings, photo.tolist(), person


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 50_000, 100_000])
    parser.add_argument("--embedding", choices=["arcface", "dlib"], default="arcface")
    args = parser.parse_args()
    params = ClusterParams.for_model(BY_SETTING[args.embedding])
    print(f"embedding {args.embedding}: link {params.link_distance}, pair {params.pair_distance}")
    print(f"{'faces':>8} {'seconds':>8} {'growth':>7} {'x size':>7} {'clusters':>9} {'unknown':>8}")
    previous: tuple[int, float] | None = None
    for n in args.sizes:
        embeddings, photos, _ = synthetic_faces(n, embedding=args.embedding)
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
