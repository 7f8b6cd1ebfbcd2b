"""Decode photo bytes into the pixels the face models work on.

Bytes in, arrays out: no database, no blob store. The upload side reuses
``open_photo`` for thumbnails and EXIF; the detector uses ``load_image``.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

try:  # HEIC support is optional at import time so the module works without it.
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    pass
else:
    register_heif_opener()

# Pillow's own bomb check only warns below twice its limit; we decide with our own limit.
Image.MAX_IMAGE_PIXELS = None


class ImageError(ValueError):
    """The bytes are not a photo we can read (corrupt, unsupported, or a decompression bomb)."""


@dataclass(frozen=True)
class LoadedImage:
    """A photo decoded for face detection.

    ``width``/``height`` are the original size after EXIF orientation: the coordinate
    system every stored box uses. ``pixels`` is an RGB uint8 copy whose longest side is
    at most ``max_side``; one of its pixels spans ``scale`` original pixels (``scale >= 1``
    unless the copy was upscaled), so ``original = copy * scale``.
    """

    width: int
    height: int
    pixels: np.ndarray
    scale: float
    format: str | None

    @property
    def image(self) -> Image.Image:
        return Image.fromarray(self.pixels)


def open_photo(data: bytes, *, max_pixels: int) -> Image.Image:
    """Open (lazily) and check the declared size before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except (OSError, SyntaxError, Image.DecompressionBombError, ValueError) as exc:
        raise ImageError(f"not a readable image: {exc}") from exc
    width, height = img.size
    if width <= 0 or height <= 0:
        raise ImageError("image has no pixels")
    if width * height > max_pixels:
        raise ImageError(
            f"image too large: {width}x{height} = {width * height} pixels "
            f"(limit {max_pixels}); refused as a possible decompression bomb"
        )
    return img


def oriented_size(img: Image.Image) -> tuple[int, int]:
    """Full-resolution size after EXIF orientation (read it before a reduced draft decode)."""
    orientation = img.getexif().get(0x0112, 1)
    width, height = img.size
    # Orientations 5-8 swap the axes (rotations by 90 or 270 degrees).
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def to_rgb(img: Image.Image) -> Image.Image:
    """Any mode (CMYK, 16-bit, palette, alpha) as 8-bit RGB."""
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        # Transparent areas become white, as a viewer shows them, not black.
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: scale down to 8 bits instead of clipping at 255.
        arr = np.asarray(img, dtype=np.uint32) >> 8
        return Image.fromarray(arr.astype(np.uint8), "L").convert("RGB")
    return img.convert("RGB")


def load_image(data: bytes, *, max_side: int | None = None, max_pixels: int) -> LoadedImage:
    """Decode ``data`` for face detection.

    Refuses images declaring more than ``max_pixels`` pixels, applies EXIF orientation,
    takes the first frame of animations, converts any mode to RGB and returns a copy
    whose longest side is at most ``max_side`` (no limit when ``None``). JPEGs are
    decoded at reduced size (``draft``), so a 12 MP photo never costs a full decode.
    """
    img = open_photo(data, max_pixels=max_pixels)
    source_format = img.format
    try:
        width, height = oriented_size(img)
        # MPO is the multi-picture JPEG many phones write; it decodes like a JPEG.
        is_jpeg = source_format in ("JPEG", "MPO")
        if max_side is not None and is_jpeg and max(img.size) > max_side:
            # draft picks a DCT scale (1/2, 1/4, 1/8) that still covers the requested size.
            target = max(1, round(max_side * img.size[0] / max(img.size)))
            target_h = max(1, round(max_side * img.size[1] / max(img.size)))
            img.draft("RGB", (target, target_h))
        img = ImageOps.exif_transpose(img)
        img = to_rgb(img)
        if max_side is not None and max(img.size) > max_side:
            factor = max_side / max(img.size)
            size = (max(1, round(img.width * factor)), max(1, round(img.height * factor)))
            img = img.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
        pixels = np.asarray(img, dtype=np.uint8)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageError(f"cannot decode image: {exc}") from exc
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ImageError(f"unexpected pixel layout {pixels.shape}")
    return LoadedImage(
        width=width,
        height=height,
        pixels=np.ascontiguousarray(pixels),
        scale=max(width, height) / max(pixels.shape[:2]),
        format=source_format,
    )
