"""ingest_photo's work: orientation, EXIF, place, thumbnails; a bad file fails with a reason."""

from __future__ import annotations

import io
import logging
import time
import uuid
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PIL import Image, ImageOps

from core.blobs.keys import preview_key, thumbnail_key
from core.db import transaction
from core.media import MediaError, sniff_image
from core.repositories import photos as photo_repo
from core.tables import utcnow
from pipeline.ml.images import oriented_size, to_rgb
from pipeline.photos.exif import PhotoInfo, read_photo_info
from pipeline.photos.places import place_of
from pipeline.photos.thumbnails import PREVIEW_SIDE, THUMB_SIDE, resized_webp

if TYPE_CHECKING:
    from pipeline.runtime import Runtime

MAX_ATTEMPTS = 3
log = logging.getLogger(__name__)


@dataclass
class IngestedPhoto:
    info: PhotoInfo
    width: int
    height: int
    thumb: bytes
    preview: bytes


def decode_for_ingest(data: bytes, *, max_pixels: int) -> IngestedPhoto:
    """Decode once (at reduced size for big JPEGs), read EXIF, make the thumbnail and preview."""
    sniff_image(data, max_pixels=max_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))
            if image.format != "JPEG":
                # Decode now: PNG's getexif() decodes the pixels itself, and read_photo_info swallows
                # its errors, which left a corrupt PNG stored as a black photo.
                image.load()
            info = read_photo_info(image)
            image.seek(0)  # the first frame of an animation
            width, height = oriented_size(image)
            if image.format == "JPEG":
                image.draft("RGB", (PREVIEW_SIDE, PREVIEW_SIDE))
            image.load()
            oriented = ImageOps.exif_transpose(image)
            oriented = to_rgb(oriented)
            return IngestedPhoto(
                info=info,
                width=width,
                height=height,
                thumb=resized_webp(oriented, THUMB_SIDE),
                preview=resized_webp(oriented, PREVIEW_SIDE, quality=85, method=0),
            )
    except MediaError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for corrupt data
        raise MediaError(f"corrupt or unreadable image: {exc}") from None


def ingest_photo(runtime: Runtime, photo_id: uuid.UUID) -> bool:
    """Run the ingest step; True when the photo should go on to face detection."""
    with transaction(runtime.sessions) as session:
        photo = photo_repo.claim_for_processing(session, photo_id=photo_id)
        if photo is None:
            return False
        if photo.attempts > MAX_ATTEMPTS:
            photo_repo.mark_failed(session, photo_id=photo_id, error=f"gave up after {MAX_ATTEMPTS} attempts")
            return False
        if photo.ingested_at is not None:
            return True
        key = photo.file_path
        file_time = photo.meta.get("file_modified_at")
    started = time.perf_counter()
    try:
        ingested = decode_for_ingest(runtime.blobs.get(key), max_pixels=runtime.settings.max_image_pixels)
    except MediaError as exc:
        with transaction(runtime.sessions) as session:
            photo_repo.mark_failed(session, photo_id=photo_id, error=str(exc))
        return False
    runtime.blobs.put(thumbnail_key(photo_id), ingested.thumb, content_type="image/webp")
    runtime.blobs.put(preview_key(photo_id), ingested.preview, content_type="image/webp")
    info = ingested.info
    has_gps = info.latitude is not None and info.longitude is not None
    place = place_of(info.latitude, info.longitude) if has_gps else None  # type: ignore[arg-type]
    with transaction(runtime.sessions) as session:
        photo = photo_repo.get_photo(session, photo_id=photo_id)
        if photo is None:
            return False  # deleted meanwhile
        photo.taken_at = info.taken_at or _file_time(file_time) or photo.upload_date
        photo.camera = info.camera
        photo.latitude, photo.longitude = info.latitude, info.longitude
        photo.location = place.label if place else None
        photo.country = place.country_code if place else None
        photo.width, photo.height = ingested.width, ingested.height
        photo.meta = {**photo.meta, **info.meta, "taken_at_source": "exif" if info.taken_at else "file"}
        if place:
            photo.meta["place"] = {"city": place.city, "region": place.region, "country": place.country_code}
        photo.ingested_at = photo.updated_at = utcnow()
        session.add(photo)
    log.info("photo %s ingested; stage ms: ingest_total=%.1f", photo_id, (time.perf_counter() - started) * 1000)
    return True


def _file_time(value: object) -> datetime | None:
    if not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
