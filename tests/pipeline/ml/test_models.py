"""Models load once per process; one call analyses a photo; bad photos do not stop a batch."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.ml.images import ImageError
from pipeline.ml.models import FaceModels, PhotoFaces, analyse_photo, analyse_photos, get_face_models
from tests.pipeline.ml.conftest import TEST_TORCH_THREADS


def test_models_are_loaded_once_per_arguments(face_models: FaceModels) -> None:
    assert get_face_models(torch_threads=TEST_TORCH_THREADS) is face_models
    assert face_models.embedding_model == "arcface_w600k_mbf"
    assert face_models.embedding_dim == 512
    assert face_models.max_side == 1600


def test_unknown_embedder_and_facenet_without_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown embedder"):
        get_face_models(embedder="sface", torch_threads=TEST_TORCH_THREADS)
    with pytest.raises(ValueError, match="facenet_weights"):
        get_face_models(embedder="facenet", torch_threads=TEST_TORCH_THREADS)


def test_analyse_photo_returns_everything_the_actor_stores(face_models: FaceModels, dev_set: Path) -> None:
    result = analyse_photo(face_models, (dev_set / "_group" / "facenet-pytorch_multiface.jpg").read_bytes())
    assert (result.width, result.height) == (1200, 630)
    assert len(result.faces) == 6
    assert result.embeddings.shape == (6, 512)
    for face in result.faces:
        assert face.embedding.dtype == np.float32
        assert Image.open(io.BytesIO(face.crop)).size == (160, 160)
        assert 0.0 <= face.quality.score <= 1.0
        box = face.detection.to_json()
        assert set(box) == {"x", "y", "width", "height", "landmarks"} and len(box["landmarks"]) == 5
    assert set(result.timings_ms) == {"decode", "detect", "embed", "finish"}


def test_photo_without_faces_has_an_empty_result(face_models: FaceModels) -> None:
    data = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(data, format="PNG")
    result = analyse_photo(face_models, data.getvalue())
    assert result.faces == [] and result.embeddings.shape == (0, 512)


def test_batch_keeps_order_and_reports_bad_photos_in_place(face_models: FaceModels, dev_set: Path) -> None:
    paths = [
        dev_set / "lfw_nancy_pelosi" / "Nancy_Pelosi_0005.jpg",
        dev_set / "_group" / "fr_two_people.jpg",
        dev_set / "lfw_adrien_brody" / "Adrien_Brody_0002.jpg",  # same size as the first: one MTCNN batch
    ]
    photos = [path.read_bytes() for path in paths]
    photos.insert(1, b"this is not a photo")
    results = analyse_photos(face_models, photos, batch_size=3)
    assert isinstance(results[1], ImageError)
    singles = [analyse_photo(face_models, data) for data in photos[:1] + photos[2:]]
    for batched, single in zip(results[:1] + results[2:], singles, strict=True):
        assert isinstance(batched, PhotoFaces)
        assert (batched.width, batched.height) == (single.width, single.height)
        assert len(batched.faces) == len(single.faces)
        np.testing.assert_allclose(batched.embeddings, single.embeddings, atol=1e-3)
