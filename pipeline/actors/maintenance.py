"""Maintenance actors."""

from __future__ import annotations

import dramatiq

from pipeline import runtime
from pipeline.enqueue import QUEUES
from pipeline.reindex import reindex as rebuild_index


@dramatiq.actor(actor_name="reindex", queue_name=QUEUES["reindex"], max_retries=0, time_limit=3_600_000)
def reindex() -> None:
    rebuild_index(runtime.current())
