"""`facesort reindex`: the vector index is rebuilt from SQL, the record of truth."""

from __future__ import annotations

import logging
import uuid

import numpy as np
import sqlalchemy as sa
from sqlmodel import col, select

from core.tables import Face, Photo, PhotoStatus
from core.vectors import FacePoint
from pipeline.faces.detect import detect_faces
from pipeline.runtime import Runtime, embedding_model

log = logging.getLogger(__name__)
BATCH = 2000


def reindex(runtime: Runtime, *, reembed: bool = False) -> int:
    """Drop the index and upsert every face of the configured model; returns the point count."""
    if reembed:
        _reembed(runtime)
    model, dim = embedding_model(runtime.settings).identity
    vectors = runtime.vectors()
    vectors.clear()
    vectors.ensure()
    total = 0
    last: uuid.UUID | None = None
    while True:
        with runtime.sessions() as session:
            query = select(Face.id, Face.owner_id, Face.photo_id, Face.cluster_id, Face.face_embedding).where(
                Face.embedding_model == model, Face.embedding_dim == dim
            )
            if last is not None:
                query = query.where(col(Face.id) > last)
            rows = session.exec(query.order_by(col(Face.id)).limit(BATCH)).all()
        if not rows:
            break
        vectors.upsert([
            FacePoint(face_id=face_id, vector=np.frombuffer(blob, dtype=np.float32), owner_id=owner_id,
                      photo_id=photo_id, cluster_id=cluster_id)
            for face_id, owner_id, photo_id, cluster_id, blob in rows
        ])
        total += len(rows)
        last = rows[-1][0]
    vectors.optimize()
    log.info("reindexed %d faces into %s/%d", total, model, dim)
    return total


def faces_of_other_models(runtime: Runtime) -> dict[tuple[str, int], int]:
    """Faces embedded by another model than the configured one (a release that changed the
    embedding), by model and size, with a warning: the vector index holds only the configured
    model's faces, so new faces cannot be matched with these until `facesort reindex --reembed`."""
    model, dim = embedding_model(runtime.settings).identity
    with runtime.sessions() as session:
        rows = session.exec(
            select(Face.embedding_model, Face.embedding_dim, sa.func.count())
            .where(sa.or_(col(Face.embedding_model) != model, col(Face.embedding_dim) != dim))
            .group_by(col(Face.embedding_model), col(Face.embedding_dim))
        ).all()
    others = {(name, size): int(count) for name, size, count in rows}
    if others:
        found = ", ".join(f"{count} by {name}/{size}" for (name, size), count in sorted(others.items()))
        log.warning("faces embedded by another model than %s/%d: %s; new faces are not matched with them "
                    "until `facesort reindex --reembed` embeds them again", model, dim, found)
    return others


def _reembed(runtime: Runtime) -> None:
    """Run detection and embedding again with the configured model on every finished photo."""
    with runtime.sessions() as session:
        photo_ids = list(session.exec(select(Photo.id).where(Photo.status == PhotoStatus.done)).all())
    for photo_id in photo_ids:
        detect_faces(runtime, photo_id, again=True)
