"""Thumbnails and previews as WebP."""

from __future__ import annotations

import io

from PIL import Image

THUMB_SIDE = 400
PREVIEW_SIDE = 1600


def resized_webp(image: Image.Image, longest_side: int, *, quality: int = 80, method: int = 4) -> bytes:
    """`method` trades encoding time for size: 4 for small thumbnails, 0 for large previews
    (measured on a 1.4x1.9 MP photo: 338 ms at 4, 141 ms at 0, for a 25% larger file)."""
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    copy.save(out, format="WEBP", quality=quality, method=method)
    return out.getvalue()
