"""Synthetic faces shaped like dlib embeddings, for tests that need no model."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

DIMENSIONS = 128


def people_faces(
    faces_per_person: list[int], *, spread: float = 0.3, gap: float = 1.0, seed: int = 0
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Faces of several people: centres ``gap`` apart on average, faces ``spread`` from them.

    Returns embeddings and each face's person index.
    """
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=gap / np.sqrt(2 * DIMENSIONS), size=(len(faces_per_person), DIMENSIONS))
    person = np.repeat(np.arange(len(faces_per_person)), faces_per_person)
    noise = rng.normal(scale=spread / np.sqrt(DIMENSIONS), size=(len(person), DIMENSIONS))
    return centres[person] + noise, person


def around(centre: NDArray[np.float64], count: int, spread: float, seed: int) -> NDArray[np.float64]:
    rng = np.random.default_rng(seed)
    return centre + rng.normal(scale=spread / np.sqrt(DIMENSIONS), size=(count, len(centre)))


def direction(seed: int) -> NDArray[np.float64]:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=DIMENSIONS)
    return v / np.linalg.norm(v)
