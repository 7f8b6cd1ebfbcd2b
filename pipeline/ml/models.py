"""The face models of one worker process, and the whole per-photo analysis in one call.

``get_face_models`` loads the detector and embedder once per process (cached by its
arguments); ``analyse_photo`` / ``analyse_photos`` turn photo bytes into everything the
``detect_faces`` actor stores: size, boxes, embeddings, qualities and crops.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.ml.crops import face_crop
from pipeline.ml.detector import Detection, FaceDetector
from pipeline.ml.embedder import ArcfaceEmbedder, DlibEmbedder, Embedder, FacenetEmbedder
from pipeline.ml.images import ImageError, LoadedImage, load_image
from pipeline.ml.quality import Quality, face_quality, is_clusterable

DEFAULT_MAX_SIDE = 1600
DEFAULT_MAX_PIXELS = 100_000_000
DEFAULT_MIN_FACE_PX = 40
DEFAULT_MIN_CONFIDENCE = 0.9
EMBEDDERS = ("arcface", "dlib", "facenet")


@dataclass(frozen=True)
class FaceModels:
    detector: FaceDetector
    embedder: Embedder
    max_side: int

    @property
    def embedding_model(self) -> str:
        return self.embedder.name

    @property
    def embedding_dim(self) -> int:
        return self.embedder.dim


@functools.lru_cache(maxsize=4)
def get_face_models(
    *,
    embedder: str = "arcface",
    facenet_weights: str | Path | None = None,
    min_face_px: int = DEFAULT_MIN_FACE_PX,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    max_side: int = DEFAULT_MAX_SIDE,
    torch_threads: int = 2,
) -> FaceModels:
    """The process's models, loaded on first use (about a second) and then reused."""
    import torch

    torch.set_num_threads(torch_threads)
    chosen: Embedder
    if embedder == "arcface":
        chosen = ArcfaceEmbedder(threads=torch_threads)
    elif embedder == "dlib":
        chosen = DlibEmbedder()
    elif embedder == "facenet":
        if facenet_weights is None:
            raise ValueError("the facenet embedder needs facenet_weights (a state dict file)")
        chosen = FacenetEmbedder(Path(facenet_weights))
    else:
        raise ValueError(f"unknown embedder {embedder!r}; choose one of {EMBEDDERS}")
    detector = FaceDetector(min_face_px=min_face_px, min_confidence=min_confidence)
    return FaceModels(detector=detector, embedder=chosen, max_side=max_side)


@dataclass(frozen=True)
class AnalysedFace:
    detection: Detection  # box and landmarks in original pixels after EXIF orientation
    embedding: np.ndarray  # float32 [dim]
    quality: Quality
    clusterable: bool
    crop: bytes  # JPEG, CROP_SIZE square


@dataclass(frozen=True)
class PhotoFaces:
    width: int  # original size after EXIF orientation
    height: int
    embedding_model: str
    embedding_dim: int
    faces: list[AnalysedFace]
    timings_ms: dict[str, float] = field(default_factory=dict)  # decode, detect, embed, finish

    @property
    def detections(self) -> list[Detection]:
        return [face.detection for face in self.faces]

    @property
    def embeddings(self) -> np.ndarray:
        if not self.faces:
            return np.zeros((0, self.embedding_dim), dtype=np.float32)
        return np.stack([face.embedding for face in self.faces])


def _finish(
    models: FaceModels, image: LoadedImage, detections: list[Detection], timings: dict[str, float]
) -> PhotoFaces:
    """Embed, score and crop the faces of one decoded photo."""
    start = time.perf_counter()
    # Embedding on the detection copy: measured no worse than on the full photo (see
    # pipeline/ml/embedder.py) and it avoids decoding a 12 MP photo a second time.
    vectors = models.embedder.embed(image.pixels, detections, scale=image.scale)
    timings["embed"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    picture = image.image
    faces = []
    for detection, vector in zip(detections, vectors, strict=True):
        quality = face_quality(image.pixels, detection, scale=image.scale)
        faces.append(
            AnalysedFace(
                detection=detection,
                embedding=vector,
                quality=quality,
                clusterable=is_clusterable(quality),
                crop=face_crop(picture, detection, scale=image.scale),
            )
        )
    timings["finish"] = (time.perf_counter() - start) * 1000
    return PhotoFaces(
        width=image.width,
        height=image.height,
        embedding_model=models.embedding_model,
        embedding_dim=models.embedding_dim,
        faces=faces,
        timings_ms=timings,
    )


def analyse_photo(models: FaceModels, data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> PhotoFaces:
    """Decode, detect, embed, score and crop the faces of one photo. Raises ImageError."""
    start = time.perf_counter()
    image = load_image(data, max_side=models.max_side, max_pixels=max_pixels)
    decoded = time.perf_counter()
    detections = models.detector.detect(image)
    timings = {
        "decode": (decoded - start) * 1000,
        "detect": (time.perf_counter() - decoded) * 1000,
    }
    return _finish(models, image, detections, timings)


def _timed_load(data: bytes, max_side: int, max_pixels: int) -> tuple[LoadedImage, float]:
    start = time.perf_counter()
    image = load_image(data, max_side=max_side, max_pixels=max_pixels)
    return image, (time.perf_counter() - start) * 1000


def _windows(
    futures: Sequence[Future[tuple[LoadedImage, float]]], size: int
) -> Iterator[list[tuple[int, tuple[LoadedImage, float] | ImageError]]]:
    window: list[tuple[int, tuple[LoadedImage, float] | ImageError]] = []
    for index, future in enumerate(futures):
        try:
            window.append((index, future.result()))
        except ImageError as exc:
            window.append((index, exc))
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


def analyse_photos(
    models: FaceModels,
    photos: Sequence[bytes],
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    decode_threads: int = 2,
    batch_size: int = 8,
) -> list[PhotoFaces | ImageError]:
    """``analyse_photo`` for many photos, in order; a bad photo yields its ImageError.

    Decoding runs ahead in a thread pool (Pillow releases the GIL while decoding) while
    the detector works through windows of ``batch_size`` photos, batching the same-size
    ones through MTCNN together.
    """
    results: list[PhotoFaces | ImageError] = [ImageError("not analysed")] * len(photos)
    with ThreadPoolExecutor(max_workers=decode_threads, thread_name_prefix="decode") as pool:
        futures = [pool.submit(_timed_load, data, models.max_side, max_pixels) for data in photos]
        for window in _windows(futures, batch_size):
            decoded = [(i, loaded) for i, loaded in window if not isinstance(loaded, ImageError)]
            for i, loaded in window:
                if isinstance(loaded, ImageError):
                    results[i] = loaded
            start = time.perf_counter()
            found = models.detector.detect_batch([image for _, (image, _) in decoded])
            detect_ms = (time.perf_counter() - start) * 1000 / max(1, len(decoded))
            for (i, (image, decode_ms)), detections in zip(decoded, found, strict=True):
                timings = {"decode": decode_ms, "detect": detect_ms}
                results[i] = _finish(models, image, detections, timings)
    return results
