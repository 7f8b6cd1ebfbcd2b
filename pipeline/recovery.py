"""Nothing uploaded is lost: photos whose job vanished (a killed worker, a lost broker) go again."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.common import dq_name

from core.db import transaction
from core.repositories import owner_jobs
from core.repositories import photos as photo_repo
from core.tables import utcnow
from pipeline.enqueue import QUEUES, enqueue_photos, enqueue_recluster
from pipeline.runtime import Runtime

log = logging.getLogger(__name__)


def requeue_stale_photos(runtime: Runtime, *, older_than_seconds: float) -> int:
    """Enqueue unfinished photos untouched for `older_than_seconds`; returns how many."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    total = 0
    while True:
        with transaction(runtime.sessions) as session:
            photo_ids = photo_repo.stale_photo_ids(session, older_than=cutoff, limit=500)
            photo_repo.touch_enqueued(session, photo_ids=photo_ids)
        if not photo_ids:
            return total
        enqueue_photos(photo_ids)
        total += len(photo_ids)
        log.info("re-enqueued %d unfinished photos", len(photo_ids))


def requeue_lost_reclusters(runtime: Runtime) -> int:
    """Send the recluster again for owners whose ask is long past and unserved (a lost message)."""
    debounce = runtime.settings.recluster_debounce_seconds
    with transaction(runtime.sessions) as session:
        owners = owner_jobs.owners_waiting_for_recluster(
            session, asked_before=utcnow() - timedelta(seconds=2 * debounce + 60)
        )
    for owner_id in owners:
        enqueue_recluster(owner_id)
    return len(owners)


def photo_jobs_waiting(broker: dramatiq.Broker) -> int:
    """Messages waiting (or delayed for a retry) in the photo queue, not counting those in flight."""
    queue = QUEUES["ingest_photo"]
    if isinstance(broker, RedisBroker):
        prefix = f"{broker.namespace}:{queue}"
        return int(broker.client.llen(prefix)) + int(broker.client.llen(f"{prefix}.DQ"))
    if isinstance(broker, StubBroker):
        return sum(broker.queues[name].qsize() for name in (queue, dq_name(queue)) if name in broker.queues)
    return 0


class RecoveryLoop(threading.Thread):
    """Re-enqueues stale photos every `interval` seconds until stopped."""

    def __init__(self, runtime: Runtime, *, interval: float, stale_after: float) -> None:
        super().__init__(name="facesort-recovery", daemon=True)
        self.runtime = runtime
        self.interval = interval
        self.stale_after = stale_after
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                # A photo waiting behind a long queue is quiet, not lost: enqueueing it again would
                # count an attempt per extra delivery and fail a healthy photo after three.
                requeue_lost_reclusters(self.runtime)
                if photo_jobs_waiting(dramatiq.get_broker()):
                    continue
                requeue_stale_photos(self.runtime, older_than_seconds=self.stale_after)
            except Exception:
                log.exception("recovery pass failed; trying again in %ss", self.interval)

    def stop(self) -> None:
        self.stopped.set()
