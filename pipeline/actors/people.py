"""Thin actors for people: assign new faces, then (debounced) recluster the owner's unknown faces."""

from __future__ import annotations

import uuid

import dramatiq

from pipeline import runtime
from pipeline.enqueue import QUEUES
from pipeline.faces.indexing import index_photo_faces
from pipeline.people.assign import assign_new_faces
from pipeline.people.recluster import recluster_owner


@dramatiq.actor(
    actor_name="assign_faces", queue_name=QUEUES["assign_faces"], max_retries=5, min_backoff=1_000,
    max_backoff=30_000, time_limit=120_000,
)
def assign_faces(face_ids: list[str]) -> None:
    # Only faces still unknown are touched, so a retry or a duplicate message changes nothing.
    assign_new_faces(runtime.current(), [uuid.UUID(face_id) for face_id in face_ids])


@dramatiq.actor(
    actor_name="index_faces", queue_name=QUEUES["index_faces"], max_retries=5, min_backoff=1_000,
    max_backoff=30_000, time_limit=120_000,
)
def index_faces(photo_id: str, face_ids: list[str]) -> None:
    # Sent instead of assign_faces by a photo worker that does not own the vector index: index
    # first, so the assignment and every later search see the photo's faces.
    index_photo_faces(runtime.current(), uuid.UUID(photo_id))
    if face_ids:
        assign_new_faces(runtime.current(), [uuid.UUID(face_id) for face_id in face_ids])


@dramatiq.actor(
    actor_name="recluster", queue_name=QUEUES["recluster"], max_retries=3, min_backoff=5_000,
    max_backoff=60_000, time_limit=900_000,
)
def recluster(owner_id: str) -> None:
    # Debounced and serialised per owner inside; a message that is not the last ask returns at once.
    recluster_owner(runtime.current(), uuid.UUID(owner_id))
