"""detect_faces's work: find, embed and store a photo's faces; keep ids of faces found again."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import numpy as np

from core.blobs.keys import face_crop_key
from core.db import transaction
from core.repositories import clusters as cluster_repo
from core.repositories import detections as detection_repo
from core.repositories import photos as photo_repo
from core.tables import AssignedBy, Face, PhotoStatus, utcnow
from core.vectors import FacePoint
from pipeline.faces.matching import match_boxes
from pipeline.ml.images import ImageError
from pipeline.ml.models import AnalysedFace
from pipeline.runtime import Runtime

log = logging.getLogger(__name__)

_FACE_NAMESPACE = uuid.UUID("6f1c7a52-4c55-4f0e-9a43-1d2b8e7f0a11")


def new_face_id(photo_id: uuid.UUID, model: str, box: dict[str, Any]) -> uuid.UUID:
    """Deterministic, so a retried detection after a crash overwrites instead of duplicating."""
    key = f"{photo_id}:{model}:{box['x']:.0f}:{box['y']:.0f}:{box['width']:.0f}:{box['height']:.0f}"
    return uuid.uuid5(_FACE_NAMESPACE, key)


def detect_faces(runtime: Runtime, photo_id: uuid.UUID, *, again: bool = False) -> list[uuid.UUID]:
    """Store the photo's faces and mark it done; returns the ids of faces waiting for a person.

    `again` re-detects a finished photo (a new model): faces found again keep id, cluster and name.
    """
    with transaction(runtime.sessions) as session:
        photo = photo_repo.get_photo(session, photo_id=photo_id)
        finished = photo is not None and photo.status in (PhotoStatus.done, PhotoStatus.failed)
        if photo is None or photo.ingested_at is None or (finished and not again):
            return []
        key, owner_id = photo.file_path, photo.owner_id
        old_faces = detection_repo.faces_of_photo(session, photo_id=photo_id)
    started = time.perf_counter()
    try:
        analysis = runtime.analyse(runtime.blobs.get(key))
    except ImageError as exc:
        with transaction(runtime.sessions) as session:
            photo_repo.mark_failed(session, photo_id=photo_id, error=str(exc))
        return []
    model_name, dim = analysis.embedding_model, analysis.embedding_dim
    found = analysis.faces
    boxes = [face.detection.to_json() for face in found]
    matches = match_boxes([face.face_location for face in old_faces], boxes)
    rows = [
        _face_row(
            owner_id=owner_id, photo_id=photo_id, model=model_name, dim=dim, found=face, location=box,
            previous=old_faces[match] if match is not None else None,
        )
        for face, box, match in zip(found, boxes, matches, strict=True)
    ]
    # Crops and vectors first: they are keyed by face id, so a retry after a crash overwrites them.
    for row, face in zip(rows, found, strict=True):
        runtime.blobs.put(face_crop_key(row.id), face.crop, content_type="image/jpeg")
    # A worker that does not own the embedded index leaves indexing to the one that does, which
    # reads the embeddings from SQL once they are committed (pipeline.faces.indexing).
    vectors = runtime.vectors() if runtime.owns_vectors else None
    if vectors is not None:
        vectors.upsert([
            FacePoint(face_id=row.id, vector=face.embedding.astype(np.float32), owner_id=owner_id,
                      photo_id=photo_id, cluster_id=row.cluster_id)
            for row, face in zip(rows, found, strict=True)
        ])
    kept = {row.id for row in rows}
    removed = [face.id for face in old_faces if face.id not in kept]
    with transaction(runtime.sessions) as session:
        detection_repo.delete_faces(session, face_ids=removed)
        detection_repo.save_faces(session, faces=rows)
        touched = {face.cluster_id for face in old_faces if face.id not in kept and face.cluster_id}
        if touched:
            cluster_repo.refresh_cluster_stats(session, cluster_ids=list(touched))
        photo = photo_repo.get_photo(session, photo_id=photo_id)
        if photo is not None:
            photo.status = PhotoStatus.done
            photo.error = None
            photo.processed_at = photo.updated_at = utcnow()
            photo.meta = {**photo.meta, "faces_found": len(rows)}
            session.add(photo)
    if removed:
        if vectors is not None:  # else the points linger, but no search counts a face SQL lost
            vectors.delete(removed)
        for face_id in removed:
            runtime.blobs.delete(face_crop_key(face_id))
    stages = {**analysis.timings_ms, "faces_total": (time.perf_counter() - started) * 1000}
    log.info("photo %s: %d faces; stage ms: %s", photo_id, len(rows), stage_text(stages))
    return [row.id for row in rows if row.cluster_id is None]


def stage_text(stages: dict[str, float]) -> str:
    """``name=ms`` pairs, the form bench.ingest reads back from the worker's log."""
    return " ".join(f"{name}={ms:.1f}" for name, ms in stages.items())


def _face_row(
    *, owner_id: uuid.UUID, photo_id: uuid.UUID, model: str, dim: int, found: AnalysedFace,
    location: dict[str, Any], previous: Face | None,
) -> Face:
    now = utcnow()
    return Face(
        id=previous.id if previous else new_face_id(photo_id, model, location),
        owner_id=owner_id,
        photo_id=photo_id,
        face_location=location,
        face_embedding=found.embedding.astype(np.float32).tobytes(),
        embedding_model=model,
        embedding_dim=dim,
        cluster_id=previous.cluster_id if previous else None,
        assigned_by=previous.assigned_by if previous else AssignedBy.none,
        detection_confidence=float(found.detection.confidence),
        quality=float(found.quality.score),
        quality_detail=found.quality.to_json(),
        clusterable=bool(found.clusterable),
        created_at=previous.created_at if previous else now,
        updated_at=now,
    )
