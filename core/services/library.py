"""The library as a whole: status counts, deleting photos, labels, albums a person makes."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.blobs import BlobStore
from core.blobs.keys import derived_keys, face_crop_key, original_key
from core.db import SessionFactory, transaction
from core.errors import NotFound, ValidationError
from core.media import fold
from core.repositories import albums as album_repo
from core.repositories import clusters as cluster_repo
from core.repositories import labels as label_repo
from core.tables import Album, Face, FaceCluster, Photo, PhotoLabel, PhotoStatus, utcnow

log = logging.getLogger(__name__)

MAX_LABEL_LENGTH = 100
MAX_ALBUM_NAME = 200


@dataclass(frozen=True)
class LibraryStatus:
    photos: int
    pending: int
    processing: int
    done: int
    failed: int
    faces: int
    unknown_faces: int
    clusters: int
    people: int


def library_status(session: Session, *, owner_id: uuid.UUID) -> LibraryStatus:
    """Counts of the owner's library in three grouped queries (cheap enough to poll every second)."""
    by_status = {
        status: int(n)
        for status, n in session.exec(
            select(Photo.status, sa.func.count()).where(Photo.owner_id == owner_id).group_by(col(Photo.status))
        ).all()
    }
    faces, unknown = session.exec(
        select(sa.func.count(), sa.func.count().filter(col(Face.cluster_id).is_(None))).where(Face.owner_id == owner_id)
    ).one()
    clusters, people = session.exec(
        select(sa.func.count(), sa.func.count(col(FaceCluster.name))).where(FaceCluster.owner_id == owner_id)
    ).one()
    return LibraryStatus(
        photos=sum(by_status.values()),
        pending=by_status.get(PhotoStatus.uploaded, 0),
        processing=by_status.get(PhotoStatus.processing, 0),
        done=by_status.get(PhotoStatus.done, 0),
        failed=by_status.get(PhotoStatus.failed, 0),
        faces=int(faces or 0),
        unknown_faces=int(unknown or 0),
        clusters=int(clusters or 0),
        people=int(people or 0),
    )


def delete_photos(
    sessions: SessionFactory, blobs: BlobStore, *, owner_id: uuid.UUID, photo_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Delete the owner's photos among ``photo_ids`` (others' are ignored); returns the ids deleted.

    Rows go first (faces cascade; clusters are recounted and empty unnamed ones dropped). Blobs
    go after the commit: a crash in between leaves an orphan blob, never a row without its file.
    The original is kept while another photo row (any owner) has the same content.
    """
    wanted = list(dict.fromkeys(photo_ids))
    if not wanted:
        return []
    with transaction(sessions) as session:
        photos = list(session.exec(
            select(Photo.id, Photo.sha256).where(col(Photo.id).in_(wanted), Photo.owner_id == owner_id)
        ).all())
        ids = [photo_id for photo_id, _ in photos]
        if not ids:
            return []
        faces = list(session.exec(select(Face.id, Face.cluster_id).where(col(Face.photo_id).in_(ids))).all())
        session.execute(sa.delete(Face).where(col(Face.photo_id).in_(ids)))
        session.execute(sa.delete(Photo).where(col(Photo.id).in_(ids)))
        cluster_repo.refresh_cluster_stats(session, cluster_ids=[cluster_id for _, cluster_id in faces])
        digests = {sha for _, sha in photos}
        still_used = set(session.exec(select(Photo.sha256).where(col(Photo.sha256).in_(digests))).all())
    keys = [key for photo_id in ids for key in derived_keys(photo_id)]
    keys += [face_crop_key(face_id) for face_id, _ in faces]
    keys += [original_key(sha) for sha in digests - still_used]
    for key in keys:
        try:
            blobs.delete(key)
        except Exception:
            log.warning("could not delete blob %s", key, exc_info=True)
    return ids


def _owned_photo_ids(session: Session, *, owner_id: uuid.UUID, photo_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(photo_ids))
    found = set(session.exec(select(Photo.id).where(col(Photo.id).in_(wanted), Photo.owner_id == owner_id)).all())
    missing = [photo_id for photo_id in wanted if photo_id not in found]
    if missing:
        raise NotFound("photo", missing)
    return wanted


def clean_labels(labels: Sequence[str]) -> dict[str, str]:
    """key -> label as written (first spelling wins); refuses empty and over-long labels."""
    cleaned: dict[str, str] = {}
    for label in labels:
        text = " ".join(label.split())
        if not text:
            raise ValidationError("a label cannot be empty", field="labels")
        if len(text) > MAX_LABEL_LENGTH:
            raise ValidationError(f"a label has at most {MAX_LABEL_LENGTH} characters", field="labels")
        cleaned.setdefault(fold(text), text)
    if not cleaned:
        raise ValidationError("give at least one label", field="labels")
    return cleaned


def add_labels(
    sessions: SessionFactory, *, owner_id: uuid.UUID, photo_ids: Sequence[uuid.UUID], labels: Sequence[str]
) -> list[uuid.UUID]:
    cleaned = clean_labels(labels)
    with transaction(sessions) as session:
        ids = _owned_photo_ids(session, owner_id=owner_id, photo_ids=photo_ids)
        present = label_repo.existing_keys(session, photo_ids=ids, keys=list(cleaned))
        label_repo.add_labels(session, labels=[
            PhotoLabel(photo_id=photo_id, label=label, label_key=key)
            for photo_id in ids for key, label in cleaned.items() if (photo_id, key) not in present
        ])
        return ids


def remove_labels(
    sessions: SessionFactory, *, owner_id: uuid.UUID, photo_ids: Sequence[uuid.UUID], labels: Sequence[str]
) -> list[uuid.UUID]:
    cleaned = clean_labels(labels)
    with transaction(sessions) as session:
        ids = _owned_photo_ids(session, owner_id=owner_id, photo_ids=photo_ids)
        label_repo.remove_labels(session, photo_ids=ids, keys=list(cleaned))
        return ids


def _album_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("an album needs a name", field="name")
    if len(cleaned) > MAX_ALBUM_NAME:
        raise ValidationError(f"an album name has at most {MAX_ALBUM_NAME} characters", field="name")
    return cleaned


def _owned_album(session: Session, *, owner_id: uuid.UUID, album_id: uuid.UUID) -> Album:
    album = album_repo.get_album(session, owner_id=owner_id, album_id=album_id)
    if album is None:
        raise NotFound("album", [album_id])
    return album


def create_album(
    sessions: SessionFactory, *, owner_id: uuid.UUID, name: str, photo_ids: Sequence[uuid.UUID] = ()
) -> Album:
    cleaned = _album_name(name)
    with transaction(sessions) as session:
        ids = _owned_photo_ids(session, owner_id=owner_id, photo_ids=photo_ids) if photo_ids else []
        album = Album(owner_id=owner_id, name=cleaned)
        session.add(album)
        session.flush()
        album_repo.add_photos(session, album_id=album.id, photo_ids=ids)
        return album


def rename_album(sessions: SessionFactory, *, owner_id: uuid.UUID, album_id: uuid.UUID, name: str) -> Album:
    cleaned = _album_name(name)
    with transaction(sessions) as session:
        album = _owned_album(session, owner_id=owner_id, album_id=album_id)
        album.name, album.updated_at = cleaned, utcnow()
        session.add(album)
        session.flush()
        return album


def add_photos_to_album(
    sessions: SessionFactory, *, owner_id: uuid.UUID, album_id: uuid.UUID, photo_ids: Sequence[uuid.UUID]
) -> Album:
    with transaction(sessions) as session:
        album = _owned_album(session, owner_id=owner_id, album_id=album_id)
        ids = _owned_photo_ids(session, owner_id=owner_id, photo_ids=photo_ids)
        album_repo.add_photos(session, album_id=album.id, photo_ids=ids)
        album.updated_at = utcnow()
        session.add(album)
        return album


def remove_photos_from_album(
    sessions: SessionFactory, *, owner_id: uuid.UUID, album_id: uuid.UUID, photo_ids: Sequence[uuid.UUID]
) -> Album:
    with transaction(sessions) as session:
        album = _owned_album(session, owner_id=owner_id, album_id=album_id)
        album_repo.remove_photos(session, album_id=album.id, photo_ids=list(photo_ids))
        album.updated_at = utcnow()
        session.add(album)
        return album


def delete_album(sessions: SessionFactory, *, owner_id: uuid.UUID, album_id: uuid.UUID) -> uuid.UUID:
    """Delete the album; its photos stay in the library."""
    with transaction(sessions) as session:
        album = _owned_album(session, owner_id=owner_id, album_id=album_id)
        session.delete(album)
        return album_id
