"""The dev set's faces through the real models (pipeline.ml), labelled for quality tests."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from core.embedding_models import BY_NAME, EmbeddingModel
from pipeline.ml.images import ImageError
from pipeline.ml.models import PhotoFaces, analyse_photos, get_face_models
from pipeline.steps.evaluation import LabelledFaces, named_face_index

# One torch thread, as in tests/pipeline/ml: two shared cores slow MTCNN down with two.
TEST_TORCH_THREADS = 1


def labelled_face_index(photo: PhotoFaces) -> int:
    """The face a single-person label names (the rule ``facesort eval`` uses too)."""
    boxes = [(f.detection.x, f.detection.y, f.detection.width, f.detection.height) for f in photo.faces]
    return named_face_index(boxes, photo.width, photo.height)


def read_dev_set(dev_set: Path) -> list[tuple[str, frozenset[str], bool]]:
    """(path, people in it, every face labelled) for single-person photos, strangers and groups."""
    photos = []
    with (dev_set / "labels.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            photos.append((row["path"], frozenset({row["person"]}), True))
    with (dev_set / "_group" / "labels.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            people = frozenset(row["persons"].split(";"))
            photos.append((f"_group/{row['path']}", people, row["all_faces_labeled"] == "yes"))
    return photos


@pytest.fixture(scope="session")
def dev_set_model() -> EmbeddingModel:
    """The embedding of the default models, whose vectors dev_set_faces holds."""
    return BY_NAME[get_face_models(torch_threads=TEST_TORCH_THREADS).embedding_model]


@pytest.fixture(scope="session")
def dev_set_faces(dev_set: Path) -> LabelledFaces:
    """Every detected face of the dev set, with the label of the named face where known."""
    models = get_face_models(torch_threads=TEST_TORCH_THREADS)
    photos = read_dev_set(dev_set)
    results = analyse_photos(models, [(dev_set / path).read_bytes() for path, _, _ in photos])
    embeddings, photo_ids, labels, clusterable = [], [], [], []
    for (path, people, _), result in zip(photos, results, strict=True):
        if isinstance(result, ImageError):
            pytest.fail(f"{path} failed to decode: {result}")
        named = labelled_face_index(result) if len(people) == 1 and result.faces else -1
        for index, face in enumerate(result.faces):
            embeddings.append(face.embedding)
            photo_ids.append(path)
            labels.append(next(iter(people)) if index == named else None)
            clusterable.append(face.clusterable)
    # Strangers are people seen once: the _strangers/ folder, and one-photo people of other folders.
    seen = Counter(person for _, people, _ in photos for person in people)
    return LabelledFaces(
        embeddings=np.asarray(embeddings, dtype=np.float32),
        photo_ids=photo_ids,
        labels=labels,
        strangers=frozenset(label for label in labels if label and (label.startswith("stranger:") or seen[label] == 1)),
        photo_people={path: people for path, people, _ in photos},
        fully_labelled={path: complete for path, _, complete in photos},
        clusterable=clusterable,
    )
