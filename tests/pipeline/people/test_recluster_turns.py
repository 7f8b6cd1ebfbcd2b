"""One recluster per owner at a time, and asking for the next one never waits for a running one."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import pipeline.people.recluster as recluster_module
from core.db import transaction
from core.repositories import owner_jobs
from core.tables import User
from pipeline.people.recluster import recluster_owner
from pipeline.runtime import Runtime
from tests.pipeline.people.conftest import one_face_per_photo, settle_recluster_asks
from tests.pipeline.people.factories import faces_around, person_centres


@pytest.fixture
def slow_clustering(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The real clustering, after a pause long enough to overlap other work with it."""
    started = threading.Event()
    real = recluster_module.cluster_faces

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.set()
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(recluster_module, "cluster_faces", slow)
    return started


def test_two_runs_at_once_do_the_work_once(runtime: Runtime, owner: User, slow_clustering: threading.Event) -> None:
    (centre,) = person_centres(1, seed=41)
    one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(centre, 4, seed=1))
    with transaction(runtime.sessions) as session:
        owner_jobs.request_recluster(session, owner_id=owner.id)
    settle_recluster_asks(runtime, owner.id)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(recluster_owner, runtime, owner.id)
        slow_clustering.wait(10)
        second = pool.submit(recluster_owner, runtime, owner.id)
        statuses = sorted([first.result(30).status, second.result(30).status])
    assert statuses == ["done", "skipped"]


def test_asking_does_not_wait_for_a_running_recluster(
    runtime: Runtime, owner: User, slow_clustering: threading.Event
) -> None:
    (centre,) = person_centres(1, seed=42)
    one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(centre, 4, seed=1))
    settle_recluster_asks(runtime, owner.id)
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(recluster_owner, runtime, owner.id)
        assert slow_clustering.wait(10)
        clock = time.perf_counter()
        with transaction(runtime.sessions) as session:
            owner_jobs.request_recluster(session, owner_id=owner.id)
        asked_in = time.perf_counter() - clock
        assert running.result(30).status == "done"
    assert asked_in < 0.5
    # The ask came after the run started: the next message runs again (once the debounce passes).
    runtime.settings.recluster_debounce_seconds = 0
    assert recluster_owner(runtime, owner.id).status == "done"
