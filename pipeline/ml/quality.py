"""Face quality: size, sharpness and landmark geometry, folded into one score in 0..1.

Low-quality faces are stored and shown but left out of clustering: a blurred 25 px face
in a crowd embeds badly and would chain unrelated people together.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image

from pipeline.ml.detector import Detection

# Sharpness is measured on the face box resized to this side, so it does not depend on
# the photo's resolution.
SHARPNESS_SIDE = 64
# Variance of the Laplacian (grey levels 0..255) at which a face counts as fully sharp.
# On faces-dev the labelled faces have a median of 400 (5th percentile 170); the blurred
# bystanders behind them 10-110.
SHARP_VARIANCE = 200.0
# Faces from this size up (shorter box side, original px) embed as well as large ones;
# below it the score falls linearly to 0 at MIN_SIZE_PX.
FULL_SIZE_PX = 60.0
MIN_SIZE_PX = 20.0
# is_clusterable: a face must have at least this score and this size.
CLUSTERABLE_SCORE = 0.3
CLUSTERABLE_MIN_PX = 30.0


@dataclass(frozen=True)
class Quality:
    size_px: float  # shorter side of the face box, original pixels
    sharpness: float  # variance of the Laplacian on a 64 px grey crop
    pose: float  # 1 frontal .. 0 profile, from the landmarks' symmetry
    score: float  # 0..1, the product of the three normalised terms

    def to_json(self) -> dict[str, float]:
        return {key: round(value, 4) for key, value in asdict(self).items()}


def laplacian_variance(grey: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: high for edges and texture, low for blur."""
    g = grey.astype(np.float32)
    lap = g[1:-1, :-2] + g[1:-1, 2:] + g[:-2, 1:-1] + g[2:, 1:-1] - 4.0 * g[1:-1, 1:-1]
    return float(lap.var())


def face_sharpness(pixels: np.ndarray, detection: Detection, *, scale: float = 1.0) -> float:
    """Sharpness of the face box in ``pixels`` (RGB; ``scale`` original px per pixel)."""
    height, width = pixels.shape[:2]
    x1 = int(max(0, np.floor(detection.x / scale)))
    y1 = int(max(0, np.floor(detection.y / scale)))
    x2 = int(min(width, np.ceil((detection.x + detection.width) / scale)))
    y2 = int(min(height, np.ceil((detection.y + detection.height) / scale)))
    if x2 - x1 < 3 or y2 - y1 < 3:
        return 0.0
    crop = Image.fromarray(pixels[y1:y2, x1:x2]).convert("L")
    crop = crop.resize((SHARPNESS_SIDE, SHARPNESS_SIDE), Image.Resampling.BILINEAR)
    return laplacian_variance(np.asarray(crop))


def pose_score(detection: Detection) -> float:
    """1 for a frontal face, towards 0 as the head turns to a profile.

    Compares the nose's horizontal distance to each eye and to each mouth corner; a turned
    head brings the nose close to one side. Roll does not matter (alignment undoes it), so
    the distances are measured along the eye line.
    """
    (lx, ly), (rx, ry), (nx, ny), (mlx, mly), (mrx, mry) = detection.landmarks
    axis = np.array([rx - lx, ry - ly], dtype=np.float64)
    norm = float(np.hypot(*axis))
    if norm < 1e-6:
        return 0.0
    axis /= norm

    def along(px: float, py: float) -> float:
        return float(np.dot([px - nx, py - ny], axis))

    left = -along(lx, ly) - along(mlx, mly)
    right = along(rx, ry) + along(mrx, mry)
    if left <= 0 or right <= 0:  # nose outside the eyes: a profile
        return 0.0
    return float(min(left, right) / max(left, right))


def _ramp(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def face_quality(pixels: np.ndarray, detection: Detection, *, scale: float = 1.0) -> Quality:
    """Quality of one face in ``pixels`` (the photo or its detection copy, RGB uint8)."""
    sharpness = face_sharpness(pixels, detection, scale=scale)
    pose = pose_score(detection)
    size_term = _ramp(detection.size_px, MIN_SIZE_PX, FULL_SIZE_PX)
    sharp_term = min(1.0, sharpness / SHARP_VARIANCE)
    # A half-turned face (pose ~0.5) still embeds usefully: soften the pose term. On faces-dev
    # the nearest other face is the same person for every face with pose >= 0.15, but for
    # only 5 of 7 below it; those score under CLUSTERABLE_SCORE.
    pose_term = min(1.0, pose * 2.0)
    score = size_term * sharp_term * pose_term
    return Quality(size_px=detection.size_px, sharpness=sharpness, pose=pose, score=score)


def is_clusterable(quality: Quality) -> bool:
    """Whether a face is good enough to take part in clustering.

    Faces failing this are kept (shown, searchable by hand-assignment) but not grouped:
    score below CLUSTERABLE_SCORE (small, blurred or profile) or under CLUSTERABLE_MIN_PX.
    """
    return quality.score >= CLUSTERABLE_SCORE and quality.size_px >= CLUSTERABLE_MIN_PX
