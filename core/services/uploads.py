"""Upload: one path for HTTP, GraphQL and the folder import."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from core.blobs import BlobStore
from core.blobs.keys import original_key
from core.db import SessionFactory, transaction
from core.media import MediaError, safe_file_name, sniff_image
from core.repositories import photos as photo_repo
from core.tables import Photo, PhotoStatus, utcnow

log = logging.getLogger(__name__)

Enqueue = Callable[[Sequence[uuid.UUID]], None]


@dataclass(frozen=True)
class IncomingFile:
    file_name: str
    data: bytes
    modified_at: float | None = None  # file time, the fallback for taken_at


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int


@dataclass(frozen=True)
class UploadedPhoto:
    id: uuid.UUID
    file_name: str
    duplicate: bool


@dataclass(frozen=True)
class RejectedFile:
    file_name: str
    error: str


@dataclass
class UploadResult:
    photos: list[UploadedPhoto] = field(default_factory=list)
    errors: list[RejectedFile] = field(default_factory=list)


def upload_photos(
    *,
    sessions: SessionFactory,
    blobs: BlobStore,
    owner_id: uuid.UUID,
    files: Iterable[IncomingFile],
    limits: UploadLimits,
    enqueue: Enqueue,
) -> UploadResult:
    """Store each good file once (sha256 per owner) and enqueue it; name each bad file's reason."""
    result = UploadResult()
    new_ids: list[uuid.UUID] = []
    for incoming in files:
        name = safe_file_name(incoming.file_name)
        try:
            uploaded = _store_one(sessions=sessions, blobs=blobs, owner_id=owner_id, incoming=incoming, name=name,
                                  limits=limits)
        except MediaError as exc:
            result.errors.append(RejectedFile(file_name=name, error=str(exc)))
            continue
        result.photos.append(uploaded)
        if not uploaded.duplicate:
            new_ids.append(uploaded.id)
    if new_ids:
        try:
            enqueue(new_ids)
        except Exception:
            log.warning("could not enqueue %d photos; recovery will retry", len(new_ids), exc_info=True)
    return result


def _store_one(
    *,
    sessions: SessionFactory,
    blobs: BlobStore,
    owner_id: uuid.UUID,
    incoming: IncomingFile,
    name: str,
    limits: UploadLimits,
) -> UploadedPhoto:
    data = incoming.data
    if len(data) > limits.max_bytes:
        raise MediaError(f"file too large: {len(data)} bytes exceeds the limit of {limits.max_bytes}")
    header = sniff_image(data, max_pixels=limits.max_pixels)
    digest = hashlib.sha256(data).hexdigest()
    with transaction(sessions) as session:
        known = photo_repo.find_by_sha256(session, owner_id=owner_id, sha256=digest)
        if known is not None:
            return UploadedPhoto(id=known.id, file_name=known.file_name, duplicate=True)
    key = original_key(digest)
    if not blobs.exists(key):
        blobs.put(key, data, content_type=header.content_type)
    meta: dict[str, object] = {"format": header.format}
    if incoming.modified_at is not None:
        meta["file_modified_at"] = incoming.modified_at
    photo = Photo(
        owner_id=owner_id,
        file_name=name,
        file_path=key,
        sha256=digest,
        size_bytes=len(data),
        content_type=header.content_type,
        width=header.width,
        height=header.height,
        status=PhotoStatus.uploaded,
        meta=meta,
        enqueued_at=utcnow(),
    )
    try:
        with transaction(sessions) as session:
            photo_repo.add_photo(session, photo=photo)
    except sa.exc.IntegrityError:
        # Another request stored the same file a moment ago: it is one photo.
        with transaction(sessions) as session:
            known = photo_repo.find_by_sha256(session, owner_id=owner_id, sha256=digest)
        if known is None:
            raise
        return UploadedPhoto(id=known.id, file_name=known.file_name, duplicate=True)
    return UploadedPhoto(id=photo.id, file_name=name, duplicate=False)
