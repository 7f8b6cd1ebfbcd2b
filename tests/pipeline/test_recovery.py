"""Lost jobs come back: stale photos and unserved recluster asks are enqueued again."""

from __future__ import annotations

from datetime import timedelta

from core.blobs.local import LocalBlobStore
from core.db import SessionFactory, transaction
from core.repositories import owner_jobs
from core.settings import Settings
from core.tables import Photo, User, utcnow
from pipeline.broker import setup_broker
from pipeline.enqueue import QUEUES
from pipeline.recovery import requeue_lost_reclusters, requeue_stale_photos
from pipeline.runtime import Runtime


def _runtime(settings: Settings, sessions: SessionFactory) -> Runtime:
    return Runtime(settings=settings, sessions=sessions, blobs=LocalBlobStore(settings.data_dir / "blobs"))


def test_an_old_unserved_recluster_ask_is_sent_again(settings: Settings, sessions: SessionFactory,
                                                      owner: User) -> None:
    broker = setup_broker(settings)
    runtime = _runtime(settings, sessions)
    with transaction(sessions) as session:
        owner_jobs.request_recluster(session, owner_id=owner.id, at=utcnow() - timedelta(hours=1))
    assert requeue_lost_reclusters(runtime) == 1
    messages = list(broker.queues[QUEUES["recluster"]].queue)
    assert len(messages) == 1
    with transaction(sessions) as session:
        owner_jobs.request_recluster(session, owner_id=owner.id)  # a fresh ask: its own message is coming
    assert requeue_lost_reclusters(runtime) == 0


def test_stale_photos_are_enqueued_once_per_pass(settings: Settings, sessions: SessionFactory, owner: User) -> None:
    broker = setup_broker(settings)
    runtime = _runtime(settings, sessions)
    old = utcnow() - timedelta(hours=2)
    with transaction(sessions) as session:
        for index in range(3):
            session.add(Photo(owner_id=owner.id, file_name=f"{index}.jpg", file_path="k", sha256=f"{index:064x}",
                              status="uploaded" if index < 2 else "done", updated_at=old))
    assert requeue_stale_photos(runtime, older_than_seconds=600) == 2
    assert len(broker.queues[QUEUES["ingest_photo"]].queue) == 2
    assert requeue_stale_photos(runtime, older_than_seconds=600) == 0  # touched: not stale any more
