"""The people actors on Dramatiq's stub broker with a real worker; each message delivered twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker
from sqlmodel import select

import pipeline.runtime
from core.services import people
from core.tables import Face, FaceCluster, OwnerJob, User
from pipeline.enqueue import send
from pipeline.runtime import Runtime
from tests.pipeline.people.conftest import add_photo_faces, one_face_per_photo
from tests.pipeline.people.factories import faces_around, person_centres

ANN, BOB = person_centres(2, seed=31)


@pytest.fixture
def worker(runtime: Runtime, broker: StubBroker, monkeypatch: pytest.MonkeyPatch) -> Iterator[Worker]:
    from pipeline.actors import people as people_actors

    for actor in (people_actors.assign_faces, people_actors.recluster):
        monkeypatch.setattr(actor, "broker", broker)
        broker.declare_actor(actor)
    monkeypatch.setattr(pipeline.runtime, "_current", runtime)
    runtime.settings.recluster_debounce_seconds = 0.2
    made = Worker(broker, worker_timeout=50, worker_threads=1)
    made.start()
    yield made
    made.stop()


def _cluster_of(runtime: Runtime, face_ids: list[uuid.UUID]) -> list[uuid.UUID | None]:
    with runtime.sessions() as session:
        return [session.get(Face, f).cluster_id for f in face_ids]  # type: ignore[union-attr]


def test_assign_then_debounced_recluster(runtime: Runtime, owner: User, broker: StubBroker, worker: Worker) -> None:
    ann_faces = one_face_per_photo(runtime, owner_id=owner.id, embeddings=faces_around(ANN, 4, seed=1))
    ann = people.create_person_from_faces(runtime.sessions, owner_id=owner.id, face_ids=ann_faces, name="Ann").id
    _, (new_ann,) = add_photo_faces(runtime, owner_id=owner.id, embeddings=faces_around(ANN, 1, seed=2))
    bob_faces = [add_photo_faces(runtime, owner_id=owner.id, embeddings=[e])[1][0]
                 for e in faces_around(BOB, 3, seed=3)]
    for _ in range(2):  # delivered twice: the second changes nothing
        send("assign_faces", [str(new_ann), *map(str, bob_faces)])
        broker.join("people", fail_fast=True)
        worker.join()
    assert _cluster_of(runtime, [new_ann]) == [ann]
    # Bob's faces were unknown: the debounced recluster (sent with a delay) made them a cluster.
    (bob,) = set(_cluster_of(runtime, bob_faces))
    assert bob is not None
    with runtime.sessions() as session:
        clusters = {c.id: c for c in session.exec(select(FaceCluster).where(FaceCluster.owner_id == owner.id))}
        job = session.get(OwnerJob, owner.id)
    assert (clusters[ann].face_count, clusters[bob].face_count, clusters[bob].name) == (5, 3, None)
    assert job is not None
    assert job.reclustered_at is not None
    # An on-demand recluster with nothing new is skipped quietly.
    send("recluster", str(owner.id))
    broker.join("people", fail_fast=True)
    assert set(_cluster_of(runtime, bob_faces)) == {bob}
