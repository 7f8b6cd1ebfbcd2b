"""The dev set analysed once per test session with the real models."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.ml.images import ImageError
from pipeline.ml.models import FaceModels, PhotoFaces, analyse_photos, get_face_models

# One torch thread: the test machine has two cores shared with other test processes, and
# MTCNN with two threads slows down badly when the cores are busy.
TEST_TORCH_THREADS = 1


@dataclass(frozen=True)
class LabelledPhoto:
    path: str  # relative to the dev set
    person: str  # "stranger:<slug>" for the single-photo strangers
    faces: PhotoFaces

    @property
    def is_stranger(self) -> bool:
        return self.person.startswith("stranger:")


@pytest.fixture(scope="session")
def face_models() -> FaceModels:
    return get_face_models(torch_threads=TEST_TORCH_THREADS)


@pytest.fixture(scope="session")
def analysed_dev_set(dev_set: Path, face_models: FaceModels) -> list[LabelledPhoto]:
    """Every labelled single-person photo and stranger, through the batched analysis."""
    with (dev_set / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    results = analyse_photos(face_models, [(dev_set / row["path"]).read_bytes() for row in rows])
    photos = []
    for row, result in zip(rows, results, strict=True):
        if isinstance(result, ImageError):
            pytest.fail(f"{row['path']} failed to decode: {result}")
        photos.append(LabelledPhoto(path=row["path"], person=row["person"], faces=result))
    return photos
