"""Thumbnails and previews as WebP."""

from __future__ import annotations

import io

from PIL import Image

THUMB_SIDE = 400
PREVIEW_SIDE = 1600


def resized_webp(image: Image.Image, longest_side: int, *, quality: int = 80) -> bytes:
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="WEBP", quality=quality, method=4)
    return out.getvalue()
