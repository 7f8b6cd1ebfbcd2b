"""Send pipeline jobs by actor name: the only piece of the pipeline the API imports.

It needs a broker (see ``pipeline.broker.setup_broker``) but none of the actors' code, so the API
process stays free of torch.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import dramatiq
from dramatiq import Message

# actor name -> queue; the actors declare themselves with the same queues.
QUEUES = {
    "ingest_photo": "photos",
    "detect_faces": "photos",
    "assign_faces": "people",
    # On the people queue: in service mode without a Qdrant server, the one process that consumes
    # it owns the embedded vector shard (pipeline.faces.indexing).
    "index_faces": "people",
    "recluster": "people",
    "reindex": "maintenance",
}


def send(actor_name: str, *args: object, delay_ms: int | None = None) -> None:
    broker = dramatiq.get_broker()
    message: Message[object] = Message(
        queue_name=QUEUES[actor_name], actor_name=actor_name, args=args, kwargs={}, options={}
    )
    broker.enqueue(message, delay=delay_ms)


# Queues whose actors search or update the vector index.
VECTOR_QUEUES = frozenset({QUEUES["assign_faces"], QUEUES["recluster"], QUEUES["reindex"]})


def enqueue_photos(photo_ids: Sequence[uuid.UUID]) -> None:
    """Start processing of newly uploaded (or stale) photos."""
    for photo_id in photo_ids:
        send("ingest_photo", str(photo_id))


def enqueue_recluster(owner_id: uuid.UUID, *, delay_ms: int | None = None) -> None:
    send("recluster", str(owner_id), delay_ms=delay_ms)


def enqueue_reindex() -> None:
    send("reindex")
