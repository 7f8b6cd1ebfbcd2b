"""Reads and writes of photo rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.tables import Photo, PhotoStatus, utcnow


def get_photo(session: Session, *, photo_id: uuid.UUID, owner_id: uuid.UUID | None = None) -> Photo | None:
    photo = session.get(Photo, photo_id)
    if photo is None or (owner_id is not None and photo.owner_id != owner_id):
        return None
    return photo


def get_photos(session: Session, *, photo_ids: Sequence[uuid.UUID]) -> list[Photo]:
    if not photo_ids:
        return []
    return list(session.exec(select(Photo).where(col(Photo.id).in_(photo_ids))).all())


def find_by_sha256(session: Session, *, owner_id: uuid.UUID, sha256: str) -> Photo | None:
    query = select(Photo).where(Photo.owner_id == owner_id, Photo.sha256 == sha256)
    return session.exec(query).first()


def find_known_sha256(session: Session, *, owner_id: uuid.UUID, digests: Sequence[str]) -> dict[str, uuid.UUID]:
    """Which of these content hashes the owner already has (one query)."""
    if not digests:
        return {}
    query = select(Photo.sha256, Photo.id).where(Photo.owner_id == owner_id, col(Photo.sha256).in_(digests))
    return dict(session.exec(query).all())


def add_photo(session: Session, *, photo: Photo) -> Photo:
    session.add(photo)
    session.flush()
    return photo


def claim_for_processing(session: Session, *, photo_id: uuid.UUID) -> Photo | None:
    """Mark an unfinished photo as processing and count the attempt; None when already done."""
    photo = session.get(Photo, photo_id, with_for_update=True)
    if photo is None or photo.status in (PhotoStatus.done, PhotoStatus.failed):
        return None
    photo.status = PhotoStatus.processing
    photo.attempts += 1
    photo.updated_at = utcnow()
    return photo


def mark_failed(session: Session, *, photo_id: uuid.UUID, error: str) -> None:
    values: dict[str, Any] = {"status": PhotoStatus.failed, "error": error[:2000], "updated_at": utcnow()}
    session.execute(sa.update(Photo).where(col(Photo.id) == photo_id).values(**values))


def stale_photo_ids(session: Session, *, older_than: datetime, limit: int = 1000) -> list[uuid.UUID]:
    """Unfinished photos nobody has touched since `older_than` (their job was lost)."""
    query = (
        select(Photo.id)
        .where(col(Photo.status).in_([PhotoStatus.uploaded, PhotoStatus.processing]))
        .where(col(Photo.updated_at) < older_than)
        .order_by(col(Photo.updated_at))
        .limit(limit)
    )
    return list(session.exec(query).all())


def touch_enqueued(session: Session, *, photo_ids: Sequence[uuid.UUID]) -> None:
    if photo_ids:
        now = utcnow()
        session.execute(
            sa.update(Photo).where(col(Photo.id).in_(photo_ids)).values(enqueued_at=now, updated_at=now)
        )


def status_counts(session: Session, *, owner_id: uuid.UUID) -> dict[str, int]:
    query = select(Photo.status, sa.func.count()).where(Photo.owner_id == owner_id).group_by(Photo.status)
    return dict(session.exec(query).all())
