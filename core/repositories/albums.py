"""Albums a person makes (the albums per person are derived from people, not stored)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.repositories.rows import PHOTO_COLUMNS, PhotoRow
from core.tables import Album, AlbumPhoto, Photo


def get_album(session: Session, *, owner_id: uuid.UUID, album_id: uuid.UUID) -> Album | None:
    album = session.get(Album, album_id)
    return album if album is not None and album.owner_id == owner_id else None


def albums_of(session: Session, *, owner_id: uuid.UUID, limit: int, offset: int) -> list[Album]:
    query = (
        select(Album).where(Album.owner_id == owner_id)
        .order_by(col(Album.created_at).desc(), col(Album.id)).limit(limit).offset(offset)
    )
    return list(session.exec(query).all())


def count_albums(session: Session, *, owner_id: uuid.UUID) -> int:
    return int(session.exec(select(sa.func.count()).select_from(Album).where(Album.owner_id == owner_id)).one())


def photos_in_albums(session: Session, *, album_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    query = select(AlbumPhoto.album_id, AlbumPhoto.photo_id).where(col(AlbumPhoto.album_id).in_(album_ids))
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for album_id, photo_id in session.exec(query).all():
        found[album_id].add(photo_id)
    return found


def add_photos(session: Session, *, album_id: uuid.UUID, photo_ids: Sequence[uuid.UUID]) -> int:
    present = photos_in_albums(session, album_ids=[album_id]).get(album_id, set())
    new = [photo_id for photo_id in photo_ids if photo_id not in present]
    session.add_all(AlbumPhoto(album_id=album_id, photo_id=photo_id) for photo_id in new)
    session.flush()
    return len(new)


def remove_photos(session: Session, *, album_id: uuid.UUID, photo_ids: Sequence[uuid.UUID]) -> int:
    result = session.execute(
        sa.delete(AlbumPhoto).where(col(AlbumPhoto.album_id) == album_id, col(AlbumPhoto.photo_id).in_(photo_ids))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def photo_counts(session: Session, *, album_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    query = select(AlbumPhoto.album_id, sa.func.count()).where(col(AlbumPhoto.album_id).in_(album_ids)).group_by(
        col(AlbumPhoto.album_id)
    )
    return {album_id: int(n) for album_id, n in session.exec(query).all()}


def covers(session: Session, *, album_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, PhotoRow]:
    """The newest photo of each album (one window query)."""
    rank = sa.func.row_number().over(
        partition_by=col(AlbumPhoto.album_id),
        order_by=(col(Photo.taken_at).desc().nulls_first(), col(Photo.id).desc()),
    ).label("rank")
    ranked = (
        select(AlbumPhoto.album_id, col(Photo.id).label("photo_id"), rank)
        .join(Photo, col(Photo.id) == col(AlbumPhoto.photo_id))
        .where(col(AlbumPhoto.album_id).in_(album_ids)).subquery()
    )
    query = (
        sa.select(ranked.c.album_id, *PHOTO_COLUMNS).join(ranked, ranked.c.photo_id == col(Photo.id))
        .where(ranked.c.rank == 1)
    )
    return {row[0]: PhotoRow._make(row[1:]) for row in session.execute(query)}
