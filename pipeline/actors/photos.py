"""Thin actors for a photo's way through the pipeline: ingest, then faces."""

from __future__ import annotations

import uuid

import dramatiq

from pipeline import runtime
from pipeline.enqueue import QUEUES, send
from pipeline.faces import detect
from pipeline.photos import ingest

# Retries back off from 1 s; a photo that keeps killing its worker is failed by its attempt count.
_RETRY = {"max_retries": 3, "min_backoff": 1_000, "max_backoff": 30_000}


@dramatiq.actor(actor_name="ingest_photo", queue_name=QUEUES["ingest_photo"], time_limit=120_000, **_RETRY)
def ingest_photo(photo_id: str) -> None:
    if ingest.ingest_photo(runtime.current(), uuid.UUID(photo_id)):
        send("detect_faces", photo_id)


@dramatiq.actor(actor_name="detect_faces", queue_name=QUEUES["detect_faces"], time_limit=300_000, **_RETRY)
def detect_faces(photo_id: str) -> None:
    current = runtime.current()
    face_ids = detect.detect_faces(current, uuid.UUID(photo_id))
    if not current.owns_vectors:
        # Even with nothing to assign: the photo's other faces still need indexing.
        send("index_faces", photo_id, [str(face_id) for face_id in face_ids])
    elif face_ids:
        send("assign_faces", [str(face_id) for face_id in face_ids])
