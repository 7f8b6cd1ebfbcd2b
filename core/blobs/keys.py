"""Where each kind of blob lives. Originals are content-addressed, so a re-upload is a no-op."""

from __future__ import annotations

import hashlib
import re
from uuid import UUID

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")

ORIGINALS_PREFIX = "originals/"
THUMBNAILS_PREFIX = "thumbs/"
PREVIEWS_PREFIX = "previews/"
FACE_CROPS_PREFIX = "faces/"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def original_key(sha256: str) -> str:
    """``originals/ab/ab12...``: two hex characters of fan-out keep folders small on disk."""
    if not _SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a lowercase hex sha256: {sha256!r}")
    return f"{ORIGINALS_PREFIX}{sha256[:2]}/{sha256}"


def thumbnail_key(photo_id: UUID) -> str:
    return f"{THUMBNAILS_PREFIX}{photo_id}.webp"


def preview_key(photo_id: UUID) -> str:
    return f"{PREVIEWS_PREFIX}{photo_id}.webp"


def face_crop_key(face_id: UUID) -> str:
    return f"{FACE_CROPS_PREFIX}{face_id}.jpg"


def derived_keys(photo_id: UUID) -> tuple[str, str]:
    """The blobs made from a photo (not its original, which other owners may share)."""
    return thumbnail_key(photo_id), preview_key(photo_id)
