"""Writes of the face detector's results for one photo."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, delete, select

from core.tables import Face


def faces_of_photo(session: Session, *, photo_id: uuid.UUID) -> list[Face]:
    query = select(Face).where(Face.photo_id == photo_id).order_by(col(Face.created_at), col(Face.id))
    return list(session.exec(query).all())


def delete_faces(session: Session, *, face_ids: Sequence[uuid.UUID]) -> None:
    if face_ids:
        session.execute(delete(Face).where(col(Face.id).in_(face_ids)))


def save_faces(session: Session, *, faces: Sequence[Face]) -> None:
    """Insert new faces and update re-detected ones (same id), in one flush."""
    for face in faces:
        session.merge(face)
    session.flush()
