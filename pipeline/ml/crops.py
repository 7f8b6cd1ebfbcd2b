"""Face crops for the blob store (served at GET /media/faces/{id})."""

from __future__ import annotations

import io

from PIL import Image

from pipeline.ml.detector import Detection

CROP_SIZE = 160
CROP_MARGIN = 0.4
CROP_FORMAT = "JPEG"
CROP_MEDIA_TYPE = "image/jpeg"


def crop_box(
    detection: Detection, *, image_size: tuple[int, int], scale: float, margin: float
) -> tuple[int, int, int, int]:
    """Square box around the face, in the pixels of an image ``scale`` times smaller.

    The square is moved back inside the photo where the photo is large enough, so a face at
    the edge gets a full crop instead of a black band.
    """
    cx = (detection.x + detection.width / 2) / scale
    cy = (detection.y + detection.height / 2) / scale
    side = max(detection.width, detection.height) * (1 + 2 * margin) / scale
    side = max(1.0, min(side, float(max(image_size))))
    left = cx - side / 2
    top = cy - side / 2
    width, height = image_size
    if side <= width:
        left = min(max(left, 0.0), width - side)
    if side <= height:
        top = min(max(top, 0.0), height - side)
    return round(left), round(top), round(left + side), round(top + side)


def face_crop(
    image: Image.Image,
    detection: Detection,
    *,
    scale: float = 1.0,
    size: int = CROP_SIZE,
    margin: float = CROP_MARGIN,
    image_format: str = CROP_FORMAT,
    quality: int = 85,
) -> bytes:
    """A ``size`` x ``size`` crop of one face, encoded as JPEG (default) or WebP.

    ``image`` may be a downscaled copy of the photo: one of its pixels spans ``scale``
    original pixels (the detection is in original pixels).
    """
    box = crop_box(detection, image_size=image.size, scale=scale, margin=margin)
    crop = image.crop(box)
    if crop.mode != "RGB":
        crop = crop.convert("RGB")
    crop = crop.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    crop.save(out, format=image_format, quality=quality)
    return out.getvalue()
