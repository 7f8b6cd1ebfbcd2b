"""MTCNN on real photos: counts, positions, landmarks, and the one-face share of the dev set."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from pipeline.ml.detector import Detection
from pipeline.ml.images import load_image
from pipeline.ml.models import FaceModels
from tests.pipeline.ml.conftest import LabelledPhoto

MAX_PIXELS = 100_000_000


def detect(models: FaceModels, path: Path) -> list[Detection]:
    image = load_image(path.read_bytes(), max_side=models.max_side, max_pixels=MAX_PIXELS)
    return models.detector.detect(image)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("facenet-pytorch_multiface.jpg", 6),  # the six Friends
        ("fr_two_people.jpg", 2),
        ("deepface_couple.jpg", 2),
        ("fr_kit_with_rose.jpg", 2),
    ],
)
def test_group_photos_have_every_labelled_face(face_models: FaceModels, dev_set: Path, name: str, count: int) -> None:
    faces = detect(face_models, dev_set / "_group" / name)
    assert len(faces) == count
    assert all(face.confidence >= 0.9 for face in faces)


def test_two_people_boxes_sit_side_by_side_on_the_faces(face_models: FaceModels, dev_set: Path) -> None:
    faces = sorted(detect(face_models, dev_set / "_group" / "fr_two_people.jpg"), key=lambda f: f.x)
    left, right = faces
    # 1126 x 661 photo: Obama on the left half, Biden on the right half, heads in the top half.
    assert left.x + left.width < 1126 / 2 < right.x
    assert all(face.y + face.height < 661 * 0.75 for face in faces)
    assert all(60 < face.width < 400 for face in faces)
    # The boxes do not overlap.
    assert left.x + left.width < right.x


def test_large_photo_box_is_in_original_pixels(face_models: FaceModels, dev_set: Path) -> None:
    path = dev_set / "angelina_jolie" / "deepface_img1.jpg"  # 1382 x 1868, detected at 1600 px
    image = load_image(path.read_bytes(), max_side=face_models.max_side, max_pixels=MAX_PIXELS)
    assert image.scale > 1.1
    (face,) = face_models.detector.detect(image)
    assert face.x + face.width <= image.width and face.y + face.height <= image.height
    # A portrait: the face is large and in the upper part of the frame.
    assert face.width > image.width * 0.2
    assert face.y < image.height / 2


def test_small_lfw_photo_face_is_found(face_models: FaceModels, dev_set: Path) -> None:
    faces = detect(face_models, dev_set / "lfw_nancy_pelosi" / "Nancy_Pelosi_0005.jpg")
    # 150 x 150 news photo, the labelled face in the middle, about 57 px.
    central = [f for f in faces if abs(f.x + f.width / 2 - 75) < 20 and abs(f.y + f.height / 2 - 70) < 25]
    assert len(central) == 1
    assert 45 < central[0].width < 75


def test_landmarks_lie_inside_their_box(analysed_dev_set: list[LabelledPhoto]) -> None:
    outside = []
    for photo in analysed_dev_set:
        for face in photo.faces.detections:
            slack = 0.15 * max(face.width, face.height)
            for px, py in face.landmarks:
                inside_x = face.x - slack <= px <= face.x + face.width + slack
                inside_y = face.y - slack <= py <= face.y + face.height + slack
                if not (inside_x and inside_y):
                    outside.append(photo.path)
    assert outside == []


def test_eyes_above_mouth(analysed_dev_set: list[LabelledPhoto]) -> None:
    upside_down = [
        photo.path
        for photo in analysed_dev_set
        for face in photo.faces.detections
        if max(face.landmarks[0][1], face.landmarks[1][1]) > min(face.landmarks[3][1], face.landmarks[4][1])
    ]
    assert upside_down == []


def test_single_person_photos_have_exactly_one_face(analysed_dev_set: list[LabelledPhoto]) -> None:
    single = [photo for photo in analysed_dev_set if not photo.is_stranger]
    assert len(single) == 280
    counts = {photo.path: len(photo.faces.faces) for photo in single}
    share = sum(1 for count in counts.values() if count == 1) / len(counts)
    missing = [path for path, count in counts.items() if count == 0]
    assert share >= 0.95, sorted((c, p) for p, c in counts.items() if c != 1)
    assert missing == []


def test_every_stranger_has_a_face(analysed_dev_set: list[LabelledPhoto]) -> None:
    strangers = [photo for photo in analysed_dev_set if photo.is_stranger]
    assert len(strangers) == 40
    assert [photo.path for photo in strangers if not photo.faces.faces] == []


def test_boxes_map_back_through_exif_rotation_and_downscaling(face_models: FaceModels, dev_set: Path) -> None:
    """A photo stored sideways with EXIF orientation 6, twice as large, detected at 1600 px."""
    path = dev_set / "_group" / "fr_two_people.jpg"
    reference = sorted(detect(face_models, path), key=lambda f: f.x)
    upright = Image.open(path).convert("RGB")
    big = upright.resize((upright.width * 2, upright.height * 2), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = io.BytesIO()
    big.transpose(Image.Transpose.ROTATE_90).save(stored, format="JPEG", quality=92, exif=exif.tobytes())
    image = load_image(stored.getvalue(), max_side=1600, max_pixels=MAX_PIXELS)
    assert (image.width, image.height) == (2252, 1322)
    assert image.scale == pytest.approx(2252 / 1600, rel=1e-3)
    found = sorted(face_models.detector.detect(image), key=lambda f: f.x)
    assert len(found) == len(reference) == 2
    for small, large in zip(reference, found, strict=True):
        tolerance = 0.08 * large.width
        assert large.x == pytest.approx(2 * small.x, abs=tolerance)
        assert large.y == pytest.approx(2 * small.y, abs=tolerance)
        assert large.width == pytest.approx(2 * small.width, abs=tolerance)
        for (lx, ly), (sx, sy) in zip(large.landmarks, small.landmarks, strict=True):
            assert lx == pytest.approx(2 * sx, abs=tolerance) and ly == pytest.approx(2 * sy, abs=tolerance)
