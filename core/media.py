"""What a file is, by its bytes, not its name; and a safe name for it."""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# Pillow's own guard warns at max/2 and raises at max; we check the header ourselves first.
Image.MAX_IMAGE_PIXELS = None

ACCEPTED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "HEIF": "image/heic",
    "AVIF": "image/avif",
    "GIF": "image/gif",
    "TIFF": "image/tiff",
}


class MediaError(ValueError):
    """A file that is not a photo we accept; the message is shown to the person."""


@dataclass(frozen=True)
class ImageHeader:
    format: str
    content_type: str
    width: int
    height: int


def sniff_image(data: bytes, *, max_pixels: int) -> ImageHeader:
    """Read only the header: reject empty, non-image, unsupported and oversized images."""
    if not data:
        raise MediaError("empty file")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype", b"<html")):
        raise MediaError("not a photo: SVG/HTML/XML documents are not accepted")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            image_format = image.format or ""
    except UnidentifiedImageError:
        raise MediaError("not a supported image (accepted: JPEG, PNG, WebP, HEIC, AVIF, GIF, TIFF)") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for corrupt headers
        raise MediaError(f"corrupt image: {exc}") from None
    content_type = ACCEPTED_FORMATS.get(image_format)
    if content_type is None:
        raise MediaError(f"unsupported image format {image_format or 'unknown'}")
    if width <= 0 or height <= 0:
        raise MediaError("image has no pixels")
    if width * height > max_pixels:
        raise MediaError(f"image too large: {width}x{height} pixels exceeds the limit of {max_pixels}")
    return ImageHeader(format=image_format, content_type=content_type, width=width, height=height)


def safe_file_name(name: str | None) -> str:
    """The last path component, without control characters, at most 255 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".")
    if not name:
        name = "photo"
    return name[:255]


def fold(text: str) -> str:
    """Case- and accent-insensitive key for names and labels."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
