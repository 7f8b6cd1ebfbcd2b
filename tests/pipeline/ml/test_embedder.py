"""Embedders: ArcFace (the default) and dlib separate the dev set's people; FaceNet loads a state dict file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
import torch
from facenet_pytorch import InceptionResnetV1
from sklearn.metrics import roc_auc_score

from core.embedding_models import ARCFACE, DLIB
from core.settings import Settings
from pipeline.ml.detector import Detection
from pipeline.ml.embedder import (
    ARCFACE_POINTS,
    ARCFACE_SHA256,
    ArcfaceEmbedder,
    ArcfaceModelMissingError,
    DlibEmbedder,
    Embedder,
    FacenetEmbedder,
    FacenetWeightsMissingError,
    arcface_model_path,
    predictor_box,
    similarity_to,
)
from pipeline.ml.images import LoadedImage, load_image
from pipeline.ml.models import AnalysedFace, FaceModels
from pipeline.runtime import embedding_model
from tests.pipeline.ml.conftest import LabelledPhoto
from tests.pipeline.steps.conftest import labelled_face_index

MAX_PIXELS = 100_000_000


def labelled_face(photo: LabelledPhoto) -> AnalysedFace:
    """The face of the photo's labelled person (the rule `facesort eval` uses)."""
    return photo.faces.faces[labelled_face_index(photo.faces)]


@pytest.fixture(scope="module")
def dlib_embedder() -> DlibEmbedder:
    return DlibEmbedder()


@pytest.fixture(scope="module")
def two_people(face_models: FaceModels, dev_set: Path) -> tuple[LoadedImage, list[Detection]]:
    """A photo of Obama and Biden, decoded as the detector sees it, and their two faces."""
    image = load_image((dev_set / "_group" / "fr_two_people.jpg").read_bytes(), max_pixels=MAX_PIXELS)
    return image, face_models.detector.detect(image)


def pair_distances(photos: list[LabelledPhoto], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each pair of labelled faces is one person, and its distance."""
    people = np.array([photo.person for photo in photos])
    upper = np.triu_indices(len(photos), k=1)
    same = (people[:, None] == people[None, :])[upper]
    distances = np.linalg.norm(vectors[:, None, :] - vectors[None, :, :], axis=-1)[upper]
    assert same.sum() == 1062 and (~same).sum() == 49978
    return same, distances


def test_same_person_is_closer_than_different_people(analysed_dev_set: list[LabelledPhoto]) -> None:
    photos = [photo for photo in analysed_dev_set if photo.faces.faces]
    assert len(photos) == 320
    same, distances = pair_distances(photos, np.stack([labelled_face(photo).embedding for photo in photos]))
    # Measured: ROC AUC 0.9933; at the link distance 96.5% of same-person pairs are closer and 99.97%
    # of other pairs are not.
    assert roc_auc_score(same, -distances) >= 0.99
    assert (distances[same] < ARCFACE.link_distance).mean() > 0.95
    assert (distances[~same] >= ARCFACE.link_distance).mean() > 0.999


def test_dlib_separates_the_dev_sets_people_too(
    analysed_dev_set: list[LabelledPhoto], face_models: FaceModels, dlib_embedder: DlibEmbedder, dev_set: Path
) -> None:
    """The other embedding on offer, on the same faces (measured: ROC AUC 0.9956)."""
    photos = [photo for photo in analysed_dev_set if photo.faces.faces]
    vectors = []
    for photo in photos:
        image = load_image((dev_set / photo.path).read_bytes(), max_side=face_models.max_side, max_pixels=MAX_PIXELS)
        vectors.append(dlib_embedder.embed(image.pixels, [labelled_face(photo).detection], scale=image.scale)[0])
    same, distances = pair_distances(photos, np.stack(vectors))
    assert roc_auc_score(same, -distances) >= 0.99
    # dlib's documented threshold (0.6) still splits most pairs the right way.
    assert (distances[same] < 0.6).mean() > 0.95
    assert (distances[~same] >= 0.6).mean() > 0.99


def test_arcface_embedding_shape_model_name_and_unit_length(
    face_models: FaceModels, two_people: tuple[LoadedImage, list[Detection]]
) -> None:
    embedder = face_models.embedder
    assert isinstance(embedder, ArcfaceEmbedder) and isinstance(embedder, Embedder)
    assert (embedder.name, embedder.dim) == ("arcface_w600k_mbf", 512)
    image, faces = two_people
    vectors = embedder.embed(image.pixels, faces, scale=image.scale)
    assert vectors.shape == (2, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.linalg.norm(vectors[0] - vectors[1]) > ARCFACE.link_distance  # Obama and Biden (measured 1.40)
    assert embedder.embed(image.pixels, [], scale=image.scale).shape == (0, 512)


def test_arcface_embedding_does_not_depend_on_the_decoded_resolution(face_models: FaceModels, dev_set: Path) -> None:
    data = (dev_set / "george_clooney" / "deepface_img38.jpg").read_bytes()
    full = load_image(data, max_pixels=MAX_PIXELS)
    small = load_image(data, max_side=800, max_pixels=MAX_PIXELS)
    assert small.scale > 1.5
    faces = face_models.detector.detect(small)
    at_full = face_models.embedder.embed(full.pixels, faces, scale=full.scale)
    at_small = face_models.embedder.embed(small.pixels, faces, scale=small.scale)
    assert np.linalg.norm(at_full - at_small, axis=1).max() < 0.2  # measured 0.06; one person is under 0.88


def test_arcface_chips_put_the_five_points_on_the_template(
    face_models: FaceModels, two_people: tuple[LoadedImage, list[Detection]]
) -> None:
    image, faces = two_people
    assert isinstance(face_models.embedder, ArcfaceEmbedder)
    chips = face_models.embedder.chips(image.pixels, faces, scale=image.scale)
    assert [chip.shape for chip in chips] == [(112, 112, 3)] * 2
    for face, chip in zip(faces, chips, strict=True):
        points = np.asarray(face.landmarks) / image.scale
        forward = similarity_to(points, ARCFACE_POINTS)
        placed = points @ forward[:, :2].T + forward[:, 2]
        assert np.linalg.norm(placed - ARCFACE_POINTS, axis=1).max() < 8  # measured 1-5 px of 112
        assert chip.std() > 20  # a face, not the blank outside the photo


def test_similarity_to_recovers_a_rotation_scale_and_shift() -> None:
    angle, factor, shift = 0.3, 2.5, np.array([10.0, -4.0])
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    points = (ARCFACE_POINTS - shift) @ np.linalg.inv(factor * rotation).T  # template = factor R p + shift
    found = similarity_to(points, ARCFACE_POINTS)
    assert np.allclose(found[:, :2], factor * rotation) and np.allclose(found[:, 2], shift)
    mirrored = points * np.array([-1.0, 1.0])
    assert np.linalg.det(similarity_to(mirrored, ARCFACE_POINTS)[:, :2]) > 0  # never a reflection


def test_the_arcface_model_is_the_measured_file_and_a_missing_one_is_named(tmp_path: Path) -> None:
    assert hashlib.sha256(arcface_model_path().read_bytes()).hexdigest() == ARCFACE_SHA256
    missing = tmp_path / "nowhere.onnx"
    with pytest.raises(ArcfaceModelMissingError, match=str(missing)):
        ArcfaceEmbedder(missing)


def test_dlib_embedding_shape_and_model_name(
    dlib_embedder: DlibEmbedder, two_people: tuple[LoadedImage, list[Detection]]
) -> None:
    assert isinstance(dlib_embedder, Embedder)
    assert (dlib_embedder.name, dlib_embedder.dim) == ("dlib_resnet_v1_squarebox", 128)
    image, faces = two_people
    vectors = dlib_embedder.embed(image.pixels, faces, scale=image.scale)
    assert vectors.shape == (2, 128) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors[0] - vectors[1]) > 0.6  # Obama and Biden
    assert dlib_embedder.embed(image.pixels, [], scale=image.scale).shape == (0, 128)


def test_dlib_chips_are_aligned_upright_faces(
    dlib_embedder: DlibEmbedder, two_people: tuple[LoadedImage, list[Detection]]
) -> None:
    image, faces = two_people
    chips = dlib_embedder.chips(image.pixels, faces, scale=image.scale)
    assert [chip.shape for chip in chips] == [(150, 150, 3)] * 2
    # dlib's chip is the face box grown by the padding (0.25 on each side), rotated upright:
    # the predictor finds the eyes level and the nose in the middle of the chip.
    import dlib

    middle = dlib.rectangle(25, 25, 125, 125)
    for chip in chips:
        shape = dlib_embedder._predictor(chip, middle)
        points = [(shape.part(i).x, shape.part(i).y) for i in range(5)]
        eye_ys = [y for _, y in points[:4]]  # dlib's 5 points: two corners of each eye, then the nose
        assert max(eye_ys) - min(eye_ys) < 10
        nose_x, nose_y = points[4]
        assert abs(nose_x - 75) < 15 and nose_y > max(eye_ys)


def save_random_facenet(path: Path, *, with_classifier: bool = False) -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    model = InceptionResnetV1(pretrained=None, classify=with_classifier, num_classes=7 if with_classifier else None)
    state = model.state_dict()
    torch.save(state, path)
    return state


def test_facenet_loads_a_state_dict_and_embeds_unit_vectors(tmp_path: Path, dev_set: Path) -> None:
    weights = tmp_path / "facenet.pt"
    state = save_random_facenet(weights)
    embedder = FacenetEmbedder(weights)
    assert (embedder.name, embedder.dim) == ("facenet_vggface2", 512)
    loaded = embedder._model.state_dict()
    assert torch.equal(loaded["last_linear.weight"], state["last_linear.weight"])

    image = load_image((dev_set / "_group" / "fr_two_people.jpg").read_bytes(), max_side=800, max_pixels=MAX_PIXELS)
    faces = [
        Detection(120.0, 60.0, 90.0, 110.0, ((150, 100), (185, 100), (165, 125), (150, 145), (180, 145)), 0.99),
        Detection(480.0, 40.0, 100.0, 120.0, ((510, 90), (550, 90), (530, 115), (512, 140), (548, 140)), 0.99),
    ]
    crops = embedder.crops(image.pixels, faces, scale=image.scale)
    assert crops.shape == (2, 3, 160, 160) and crops.dtype == np.float32
    assert crops.min() >= -1.0 and crops.max() <= 1.0 and crops.std() > 0.05  # fixed_image_standardization
    vectors = embedder.embed(image.pixels, faces, scale=image.scale)
    assert vectors.shape == (2, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed(image.pixels, [], scale=1.0).shape == (0, 512)


def test_facenet_ignores_the_classifier_of_published_weights(tmp_path: Path) -> None:
    weights = tmp_path / "with-logits.pt"
    save_random_facenet(weights, with_classifier=True)
    assert FacenetEmbedder(weights).dim == 512


def test_facenet_missing_weights_say_where_they_were_expected(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "facenet.pt"
    with pytest.raises(FacenetWeightsMissingError, match=str(missing)):
        FacenetEmbedder(missing)


def test_dlib_flip_average_stays_close_to_the_plain_descriptor(
    dlib_embedder: DlibEmbedder, two_people: tuple[LoadedImage, list[Detection]]
) -> None:
    """The optional mirror average (off by default: +0.0006 AUC for twice the time)."""
    image, faces = two_people
    plain = dlib_embedder.embed(image.pixels, faces, scale=image.scale)
    mirrored = DlibEmbedder(flip=True).embed(image.pixels, faces, scale=image.scale)
    assert mirrored.shape == plain.shape == (2, 128)
    distances = np.linalg.norm(mirrored - plain, axis=1)
    assert distances.max() < 0.3 and distances.min() > 0.0


def test_the_runtime_names_the_vectors_as_the_embedders_name_their_faces(tmp_path: Path) -> None:
    assert embedding_model(Settings(data_dir=tmp_path)) == ARCFACE
    assert ARCFACE.identity == (ArcfaceEmbedder.name, ArcfaceEmbedder.dim)
    assert embedding_model(Settings(data_dir=tmp_path, embedder="dlib")) == DLIB
    assert DLIB.identity == (DlibEmbedder.name, DlibEmbedder.dim)
    facenet = Settings(data_dir=tmp_path, embedder="facenet")
    assert embedding_model(facenet).identity == (FacenetEmbedder.name, FacenetEmbedder.dim)


def test_the_predictor_looks_in_a_square_box_like_dlibs_detector() -> None:
    """MTCNN's box runs from the forehead to below the chin; dlib's predictor was trained on its own
    detector's square box, a little wider and lower (pipeline.ml.embedder.predictor_box)."""
    eyes = ((130.0, 250.0), (170.0, 250.0))
    face = Detection(x=100.0, y=200.0, width=80.0, height=108.0, confidence=0.99,
                     landmarks=(*eyes, (150.0, 270.0), (135.0, 290.0), (165.0, 290.0)))
    left, top, right, bottom = predictor_box(face, scale=2.0)  # pixels of a copy half the size
    assert right - left == bottom - top == 45  # 1.126 x 40
    assert (left + right) / 2 == pytest.approx(70, abs=0.5)  # centred across, as MTCNN's box (50 + 20)
    assert (top + bottom) / 2 - (100 + 27) == pytest.approx(0.058 * 54, abs=0.5)  # and lower
