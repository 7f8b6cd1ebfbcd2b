"""Face quality: blur, size and head turn lower the score; good faces are clusterable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import ImageFilter

from pipeline.ml.detector import Detection
from pipeline.ml.images import load_image
from pipeline.ml.models import FaceModels
from pipeline.ml.quality import Quality, face_quality, is_clusterable, laplacian_variance, pose_score
from tests.pipeline.ml.conftest import LabelledPhoto

MAX_PIXELS = 100_000_000
FRONTAL = ((40.0, 40.0), (80.0, 40.0), (60.0, 62.0), (44.0, 85.0), (76.0, 85.0))


def face_at(landmarks: tuple[tuple[float, float], ...] = FRONTAL, size: float = 100.0) -> Detection:
    return Detection(10.0, 0.0, size, size, landmarks, 0.99)  # type: ignore[arg-type]


def test_laplacian_variance_is_zero_on_flat_grey_and_high_on_noise() -> None:
    assert laplacian_variance(np.full((64, 64), 128, dtype=np.uint8)) == 0.0
    noise = np.random.default_rng(0).integers(0, 255, (64, 64)).astype(np.uint8)
    assert laplacian_variance(noise) > 1000


def test_blurred_copy_of_a_real_face_scores_lower(face_models: FaceModels, dev_set: Path) -> None:
    image = load_image((dev_set / "barack_obama" / "fr_obama.jpg").read_bytes(), max_pixels=MAX_PIXELS)
    (face,) = face_models.detector.detect(image)
    sharp = face_quality(image.pixels, face, scale=image.scale)
    radius = face.width / image.scale / 25
    blurred_pixels = np.asarray(image.image.filter(ImageFilter.GaussianBlur(radius)))
    blurred = face_quality(blurred_pixels, face, scale=image.scale)
    assert blurred.sharpness < sharp.sharpness / 3
    assert blurred.score < sharp.score
    assert is_clusterable(sharp)


def test_turned_head_scores_lower_than_frontal() -> None:
    turned = ((40.0, 40.0), (62.0, 40.0), (70.0, 62.0), (44.0, 85.0), (66.0, 85.0))  # nose past the right eye
    half = ((40.0, 40.0), (74.0, 40.0), (64.0, 62.0), (44.0, 85.0), (72.0, 85.0))
    assert pose_score(face_at()) == 1.0
    assert pose_score(face_at(turned)) == 0.0
    assert 0.2 < pose_score(face_at(half)) < 0.9


def test_pose_ignores_roll() -> None:
    angle = np.deg2rad(30)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    rolled = tuple(tuple(float(v) for v in rotation @ np.array(p)) for p in FRONTAL)
    assert abs(pose_score(face_at(rolled)) - 1.0) < 1e-9  # type: ignore[arg-type]


def test_small_faces_are_not_clusterable() -> None:
    pixels = np.random.default_rng(1).integers(0, 255, (200, 200, 3)).astype(np.uint8)
    tiny = Detection(10.0, 10.0, 24.0, 24.0, ((15, 18), (27, 18), (21, 24), (16, 29), (26, 29)), 0.99)
    quality = face_quality(pixels, tiny)
    assert quality.size_px == 24.0
    assert not is_clusterable(quality)
    assert is_clusterable(Quality(size_px=60.0, sharpness=500.0, pose=1.0, score=1.0))


def test_labelled_dev_set_faces_are_clusterable(analysed_dev_set: list[LabelledPhoto]) -> None:
    """The faces the labels name (largest per photo) should nearly all take part in clustering."""
    main_faces = [
        max(photo.faces.faces, key=lambda f: f.detection.width * f.detection.height)
        for photo in analysed_dev_set
        if photo.faces.faces
    ]
    share = sum(face.clusterable for face in main_faces) / len(main_faces)
    assert share >= 0.95
    scores = [face.quality.score for face in main_faces]
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_blurred_photo_sharpness_is_resolution_independent(dev_set: Path, face_models: FaceModels) -> None:
    data = (dev_set / "george_clooney" / "deepface_img38.jpg").read_bytes()
    full = load_image(data, max_pixels=MAX_PIXELS)
    small = load_image(data, max_side=1000, max_pixels=MAX_PIXELS)
    (face,) = face_models.detector.detect(small)
    at_full = face_quality(full.pixels, face, scale=full.scale).sharpness
    at_small = face_quality(small.pixels, face, scale=small.scale).sharpness
    assert at_small == pytest.approx(at_full, rel=0.35)
