"""Blobs nothing refers to: left by a process that died between storing a file and its row.

The upload service stores the original before the photo row (so a row never points at nothing);
a crash between the two leaves an original no row names. Deleting a photo or a face can leave its
thumbnail, preview or crop behind the same way. ``remove_orphan_blobs`` finds and deletes them.

A blob written a moment ago may be an upload whose row is about to be committed, so a candidate
is deleted only if it is still unreferenced after ``settle_seconds``.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, col, select

from core.blobs import BlobStore
from core.blobs.keys import FACE_CROPS_PREFIX, ORIGINALS_PREFIX, PREVIEWS_PREFIX, THUMBNAILS_PREFIX
from core.db import SessionFactory
from core.tables import Face, Photo

log = logging.getLogger(__name__)

_CHUNK = 500


def _id_in_key(key: str, prefix: str) -> uuid.UUID | None:
    stem = key.removeprefix(prefix).split(".", 1)[0]
    try:
        return uuid.UUID(stem)
    except ValueError:
        return None


def _existing(session: Session, column: Any, values: list[Any]) -> set[Any]:
    """Which of ``values`` appear in ``column`` (asked in chunks, to keep each IN list short)."""
    found: set[Any] = set()
    for start in range(0, len(values), _CHUNK):
        found.update(session.exec(select(column).where(col(column).in_(values[start:start + _CHUNK]))).all())
    return found


def _unreferenced(sessions: SessionFactory, keys: list[str]) -> list[str]:
    """The keys among ``keys`` that no photo or face row refers to."""
    originals = [key for key in keys if key.startswith(ORIGINALS_PREFIX)]
    by_photo = {key: _id_in_key(key, prefix) for prefix in (THUMBNAILS_PREFIX, PREVIEWS_PREFIX)
                for key in keys if key.startswith(prefix)}
    by_face = {key: _id_in_key(key, FACE_CROPS_PREFIX) for key in keys if key.startswith(FACE_CROPS_PREFIX)}
    with sessions() as session:
        used = _existing(session, Photo.file_path, originals)
        live_photos = _existing(session, Photo.id, [value for value in by_photo.values() if value is not None])
        live_faces = _existing(session, Face.id, [value for value in by_face.values() if value is not None])
    orphans = [key for key in originals if key not in used]
    # A key whose name is not an id is not ours to judge: it is kept.
    orphans += [key for key, photo_id in by_photo.items() if photo_id is not None and photo_id not in live_photos]
    orphans += [key for key, face_id in by_face.items() if face_id is not None and face_id not in live_faces]
    return orphans


def remove_orphan_blobs(
    sessions: SessionFactory,
    blobs: BlobStore,
    *,
    settle_seconds: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Delete originals, thumbnails, previews and crops that no row refers to; returns how many."""
    keys = [key for prefix in (ORIGINALS_PREFIX, THUMBNAILS_PREFIX, PREVIEWS_PREFIX, FACE_CROPS_PREFIX)
            for key in blobs.iter_keys(prefix)]
    candidates = _unreferenced(sessions, keys)
    if not candidates:
        return 0
    sleep(settle_seconds)
    orphans = _unreferenced(sessions, candidates)  # an upload that was mid-way has its row by now
    for key in orphans:
        blobs.delete(key)
    if orphans:
        log.info("removed %d orphan blobs", len(orphans))
    return len(orphans)
