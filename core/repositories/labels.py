"""Free-text labels on photos; ``label_key`` is the folded label (case and accents ignored)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.tables import Photo, PhotoLabel


def existing_keys(
    session: Session, *, photo_ids: Sequence[uuid.UUID], keys: Sequence[str]
) -> set[tuple[uuid.UUID, str]]:
    query = select(PhotoLabel.photo_id, PhotoLabel.label_key).where(
        col(PhotoLabel.photo_id).in_(photo_ids), col(PhotoLabel.label_key).in_(keys)
    )
    return {(photo_id, key) for photo_id, key in session.exec(query).all()}


def add_labels(session: Session, *, labels: Sequence[PhotoLabel]) -> None:
    session.add_all(labels)
    session.flush()


def remove_labels(session: Session, *, photo_ids: Sequence[uuid.UUID], keys: Sequence[str]) -> int:
    result = session.execute(
        sa.delete(PhotoLabel).where(col(PhotoLabel.photo_id).in_(photo_ids), col(PhotoLabel.label_key).in_(keys))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def label_counts(session: Session, *, owner_id: uuid.UUID, limit: int, offset: int) -> list[tuple[str, int]]:
    """Each label of the owner with its number of photos, most used first."""
    count = sa.func.count().label("n")
    query = (
        select(sa.func.min(PhotoLabel.label), count)
        .join(Photo, col(Photo.id) == col(PhotoLabel.photo_id))
        .where(Photo.owner_id == owner_id)
        .group_by(col(PhotoLabel.label_key))
        .order_by(count.desc(), col(PhotoLabel.label_key))
        .limit(limit).offset(offset)
    )
    return [(label, int(n)) for label, n in session.exec(query).all()]


def count_labels(session: Session, *, owner_id: uuid.UUID) -> int:
    keys = (
        select(PhotoLabel.label_key).join(Photo, col(Photo.id) == col(PhotoLabel.photo_id))
        .where(Photo.owner_id == owner_id).group_by(col(PhotoLabel.label_key)).subquery()
    )
    return int(session.exec(select(sa.func.count()).select_from(keys)).one())
