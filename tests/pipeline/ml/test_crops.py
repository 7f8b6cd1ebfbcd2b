"""Face crops for GET /media/faces/{id}."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.ml.crops import crop_box, face_crop
from pipeline.ml.detector import Detection
from pipeline.ml.images import LoadedImage, load_image
from pipeline.ml.models import FaceModels

MAX_PIXELS = 100_000_000
POINTS = ((0.0, 0.0),) * 5


def test_crop_is_a_jpeg_square_that_shows_the_face(face_models: FaceModels, dev_set: Path) -> None:
    image = load_image((dev_set / "_group" / "fr_two_people.jpg").read_bytes(), max_side=800, max_pixels=MAX_PIXELS)
    for face in face_models.detector.detect(image):
        data = face_crop(image.image, face, scale=image.scale)
        crop = Image.open(io.BytesIO(data))
        assert crop.format == "JPEG" and crop.size == (160, 160)
        pixels = np.asarray(crop.convert("RGB"))
        found = face_models.detector.detect(LoadedImage(160, 160, pixels, 1.0, "JPEG"))
        assert len(found) == 1
        # With a 40% margin the face fills about 1 / 1.8 of the crop, in the middle.
        assert 60 < found[0].width < 120
        assert abs(found[0].x + found[0].width / 2 - 80) < 20


def test_webp_crop_of_another_size() -> None:
    image = Image.new("RGB", (400, 300), (90, 90, 90))
    face = Detection(100.0, 100.0, 80.0, 80.0, POINTS, 0.99)  # type: ignore[arg-type]
    data = face_crop(image, face, size=256, image_format="WEBP")
    crop = Image.open(io.BytesIO(data))
    assert crop.format == "WEBP" and crop.size == (256, 256)


def test_face_at_the_edge_gets_a_crop_moved_inside_the_photo() -> None:
    face = Detection(0.0, 250.0, 60.0, 50.0, POINTS, 0.99)  # type: ignore[arg-type]
    left, top, right, bottom = crop_box(face, image_size=(400, 300), scale=1.0, margin=0.4)
    assert (left, right - left) == (0, 108)
    assert bottom == 300 and bottom - top == 108


def test_crop_box_in_a_downscaled_copy() -> None:
    face = Detection(1000.0, 400.0, 200.0, 200.0, POINTS, 0.99)  # type: ignore[arg-type]
    assert crop_box(face, image_size=(1000, 750), scale=2.0, margin=0.0) == (500, 200, 600, 300)
