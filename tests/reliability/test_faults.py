"""Faults: Redis down, the vector index lost, PostgreSQL connections killed, a process dying mid-upload.

(The worker SIGKILLed mid-batch is in test_worker_kill.py: it needs the face models.)
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dramatiq
import numpy as np
import psycopg
import pytest
import redis
import sqlalchemy as sa
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from sqlmodel import select
from starlette.testclient import TestClient

from api.app import create_app
from core.blobs import open_blob_store
from core.blobs.keys import face_crop_key, original_key, preview_key, sha256_hex, thumbnail_key
from core.db import make_engine, make_session_factory
from core.services.cleanup import remove_orphan_blobs
from core.settings import Settings
from core.tables import Face, Photo, PhotoStatus, User
from pipeline import runtime as runtime_module
from pipeline.broker import setup_broker
from pipeline.recovery import requeue_stale_photos
from pipeline.runtime import embedding_model
from tests.conftest import POSTGRES_ADMIN_URL, _truncate_all
from tests.reliability import images
from tests.reliability.conftest import FAULTS_REDIS_URL, open_library
from tests.reliability.uploads import upload_http
from tests.schema.factories import face_row, photo_row

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def _queued_photo_ids(client: redis.Redis, queue: str = "photos") -> list[str]:
    """The photo ids of the ingest_photo messages waiting in a Dramatiq queue on Redis."""
    messages = [json.loads(raw) for raw in client.hvals(f"dramatiq:{queue}.msgs")]
    return sorted(m["args"][0] for m in messages if m["actor_name"] == "ingest_photo")


def _declare_ingest(broker: dramatiq.Broker, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real ingest actor on `broker`; detect_faces is a recorder (these tests are not about faces)."""
    from pipeline.actors import photos as photo_actors

    detected: list[str] = []

    @dramatiq.actor(actor_name="detect_faces", queue_name="photos", broker=StubBroker(), max_retries=0)
    def record_detect(photo_id: str) -> None:
        detected.append(photo_id)

    for actor in (photo_actors.ingest_photo, record_detect):
        monkeypatch.setattr(actor, "broker", broker)
        monkeypatch.setitem(broker.actors, actor.actor_name, actor)
    return detected


def test_uploads_are_accepted_while_redis_is_down_and_processed_when_it_returns(
    tmp_path: Path, migrated_sqlite: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    fault_redis: redis.Redis, monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = [(f"p{i}.jpg", images.good_jpeg(300 + i)) for i in range(3)]
    with open_library(tmp_path, "http", capsys, migrated_sqlite, redis_url=CLOSED_PORT_REDIS) as library:
        with caplog.at_level(logging.WARNING, logger="core.services.uploads"):
            outcome = upload_http(library.client, files)
        assert outcome.errors == [] and len(outcome.photos) == 3
        assert "could not enqueue 3 photos; recovery will retry" in caplog.text
        ids = [photo_id for photo_id, _, _ in outcome.photos]
        assert {library.photo(i).status for i in ids} == {PhotoStatus.uploaded}

        # Redis is back: the recovery pass (every worker runs it periodically) enqueues them again.
        settings = library.settings.model_copy(update={"redis_url": FAULTS_REDIS_URL})
        broker = setup_broker(settings)
        runtime = runtime_module.configure(settings)
        assert requeue_stale_photos(runtime, older_than_seconds=0) == 3
        assert _queued_photo_ids(fault_redis) == sorted(map(str, ids))

        detected = _declare_ingest(broker, monkeypatch)
        worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
        worker.start()
        try:
            broker.join("photos", timeout=60_000)
            worker.join()
        finally:
            worker.stop()
        for photo_id in ids:
            photo = library.photo(photo_id)
            assert photo.ingested_at is not None and photo.status == PhotoStatus.processing
        assert sorted(detected) == sorted(map(str, ids))
        assert isinstance(broker, RedisBroker)


# --- the vector index lost ------------------------------------------------------------------------

def test_reindex_restores_identical_neighbours_after_the_index_is_deleted(
    tmp_path: Path, migrated_sqlite: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from facesort.cli import main as facesort

    database = tmp_path / "library.db"
    shutil.copyfile(migrated_sqlite, database)
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{database}",
                        secret_key="test-secret-key-not-for-production")
    model, dim = embedding_model(settings).identity
    sessions = make_session_factory(make_engine(settings.resolved_database_url()))
    rng = np.random.default_rng(5)
    owners = []
    with sessions() as session:
        for name in ("anna", "ben"):
            owner = User(username=name, password_hash="not-a-hash")
            session.add(owner)
            session.flush()
            owners.append(owner.id)
            for index in range(60):
                photo = photo_row(owner.id, index, sha256=sha256_hex(f"{name}{index}".encode()))
                session.add(photo)
                session.flush()
                vector = rng.normal(size=dim).astype(np.float32)
                session.add(face_row(owner.id, photo.id, None, face_embedding=(vector / np.linalg.norm(vector))
                                     .astype(np.float32).tobytes(), embedding_model=model, embedding_dim=dim))
        session.commit()
    queries = rng.normal(size=(8, dim)).astype(np.float32)

    for name, value in {"DATA_DIR": settings.data_dir, "DATABASE_URL": settings.database_url,
                        "SECRET_KEY": settings.secret_key}.items():
        monkeypatch.setenv(f"FACESORT_{name}", str(value))
    assert facesort(["reindex"]) == 0
    assert "indexed 120 faces" in capsys.readouterr().out
    before = _neighbours(settings, owners, queries)

    shutil.rmtree(settings.resolved_qdrant_path())  # the vector data is lost
    assert _neighbours(settings, owners, queries) == {owner: [[] for _ in queries] for owner in owners}
    assert facesort(["reindex"]) == 0
    after = _neighbours(settings, owners, queries)
    assert after == before
    assert all(len(found) == 5 for results in after.values() for found in results)


def _neighbours(settings: Settings, owners: list[uuid.UUID], queries: np.ndarray) -> dict[uuid.UUID, Any]:
    from core.vectors import open_vector_index

    model, dim = embedding_model(settings).identity
    with open_vector_index(settings, model=model, dim=dim) as index:
        index.ensure()
        return {owner: [[(n.face_id, round(n.distance, 5)) for n in found]
                        for found in index.search_batch(queries, owner_id=owner, limit=5)] for owner in owners}


# --- PostgreSQL connections killed ----------------------------------------------------------------

@pytest.fixture
def clean_postgres(postgres_url: str) -> Iterator[str]:
    yield postgres_url
    engine = make_engine(postgres_url)
    _truncate_all(engine)
    engine.dispose()


def _kill_backends(database_url: str, *, pid: int | None = None) -> int:
    """Terminate the server processes of the test database (or one of them), as a restart would."""
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        if pid is not None:
            rows = admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchall()
        else:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            ).fetchall()
    return sum(1 for (done,) in rows if done)


def test_the_app_reconnects_after_postgres_drops_every_connection(clean_postgres: str, tmp_path: Path,
                                                                  dev_set: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=clean_postgres,
                        secret_key="test-secret-key-not-for-production")
    setup_broker(settings)
    photo = sorted((dev_set / "barack_obama").glob("*.jp*g"))[0].read_bytes()
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        query = {"query": "{ libraryStatus { photos } }"}
        assert client.post("/graphql", json=query).json()["data"]["libraryStatus"]["photos"] == 0
        assert _kill_backends(clean_postgres) >= 1  # the app's pooled connections are now dead
        uploaded = client.post("/api/photos", files=[("files", ("a.jpg", photo))])
        assert uploaded.status_code == 200 and uploaded.json()["errors"] == []
        assert _kill_backends(clean_postgres) >= 1
        assert client.post("/graphql", json=query).json() == {"data": {"libraryStatus": {"photos": 1}}}


def test_a_job_whose_connection_dies_is_retried(clean_postgres: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=clean_postgres,
                        secret_key="test-secret-key-not-for-production")
    broker = setup_broker(settings)
    engine = make_engine(clean_postgres)
    runtime = runtime_module.configure(settings, sessions=make_session_factory(engine))
    with runtime.sessions() as session:
        owner = User(username="anna", password_hash="not-a-hash")
        session.add(owner)
        session.commit()
    data = images.good_jpeg(400)
    from core.services.uploads import IncomingFile, UploadLimits, upload_photos

    result = upload_photos(sessions=runtime.sessions, blobs=runtime.blobs, owner_id=owner.id,
                           files=[IncomingFile("a.jpg", data)], limits=UploadLimits(10**7, 10**8),
                           enqueue=lambda ids: None)
    photo_id = result.photos[0].id
    claims: list[str] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def kill_on_first_claim(conn: sa.Connection, _cursor: Any, statement: str, *_: Any) -> None:
        # The first time the job writes the photo, PostgreSQL drops its connection mid-transaction.
        if statement.lstrip().upper().startswith("UPDATE PHOTOS"):
            claims.append(statement)
            if len(claims) == 1:
                backend_pid = conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
                assert _kill_backends(clean_postgres, pid=backend_pid) == 1

    detected = _declare_ingest(broker, monkeypatch)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        from pipeline.enqueue import enqueue_photos

        enqueue_photos([photo_id])
        broker.join("photos", timeout=60_000)
        worker.join()
    finally:
        worker.stop()
        runtime.close()
    with runtime.sessions() as session:
        photo = session.get(Photo, photo_id)
        assert photo is not None and photo.ingested_at is not None and photo.error is None
        assert photo.attempts == 1  # the killed attempt's claim was rolled back with its transaction
    assert len(claims) >= 2, "the job ran again after its connection died"
    assert detected == [str(photo_id)]
    engine.dispose()


# --- a process dies between storing the file and its row ----------------------------------------------

CRASHING_UPLOAD = textwrap.dedent("""
    import os, signal, sys
    from core.blobs import open_blob_store
    from core.db import make_engine, make_session_factory
    from core.services.uploads import IncomingFile, UploadLimits, upload_photos
    from core.settings import Settings
    from core.tables import User

    settings = Settings(data_dir=sys.argv[1], database_url=sys.argv[2], secret_key="x" * 40)
    sessions = make_session_factory(make_engine(settings.resolved_database_url()))
    store = open_blob_store(settings)

    class DiesAfterPut:
        def __getattr__(self, name):
            return getattr(store, name)

        def put(self, key, data, *, content_type):
            store.put(key, data, content_type=content_type)
            os.kill(os.getpid(), signal.SIGKILL)  # the server is killed right after the file is written

    with sessions() as session:
        owner = session.get(User, __import__("uuid").UUID(sys.argv[3]))
    upload_photos(sessions=sessions, blobs=DiesAfterPut(), owner_id=owner.id, limits=UploadLimits(10**7, 10**8),
                  files=[IncomingFile("crash.jpg", open(sys.argv[4], "rb").read())], enqueue=lambda ids: None)
    print("not reached")
""")


def test_a_server_killed_mid_upload_leaves_no_row_and_cleanup_removes_the_file(
    tmp_path: Path, migrated_sqlite: Path,
) -> None:
    database = tmp_path / "library.db"
    shutil.copyfile(migrated_sqlite, database)
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{database}",
                        secret_key="test-secret-key-not-for-production")
    sessions = make_session_factory(make_engine(settings.database_url))
    blobs = open_blob_store(settings)
    with sessions() as session:
        owner = User(username="anna", password_hash="not-a-hash")
        session.add(owner)
        session.flush()
        kept = photo_row(owner.id, 0, sha256=sha256_hex(b"kept"), file_path=original_key(sha256_hex(b"kept")))
        session.add(kept)
        session.flush()
        face = face_row(owner.id, kept.id, None)
        session.add(face)
        session.commit()
    blobs.put(kept.file_path, b"kept", content_type="image/jpeg")
    blobs.put(thumbnail_key(kept.id), b"thumb", content_type="image/webp")
    blobs.put(face_crop_key(face.id), b"crop", content_type="image/webp")
    gone_photo, gone_face = uuid.uuid4(), uuid.uuid4()  # rows deleted, their derived files left behind
    blobs.put(preview_key(gone_photo), b"old", content_type="image/webp")
    blobs.put(face_crop_key(gone_face), b"old", content_type="image/webp")

    crashing = images.good_jpeg(500)
    (tmp_path / "crash.jpg").write_bytes(crashing)
    child = subprocess.run([sys.executable, "-c", CRASHING_UPLOAD, str(settings.data_dir), settings.database_url,
                            str(owner.id), str(tmp_path / "crash.jpg")], capture_output=True, text=True, timeout=120,
                           cwd=Path(__file__).resolve().parents[2], check=False)
    assert child.returncode == -9, child.stderr
    orphan = original_key(sha256_hex(crashing))
    assert blobs.exists(orphan), "the file was written before the process died"
    with sessions() as session:
        assert session.exec(select(Photo.file_name)).all() == [kept.file_name], "no partial photo row"

    # An upload that is mid-way when cleanup looks: its row arrives while cleanup waits to be sure.
    arriving = images.good_jpeg(501)
    arriving_key = original_key(sha256_hex(arriving))
    blobs.put(arriving_key, arriving, content_type="image/jpeg")

    def row_arrives(_seconds: float) -> None:
        with sessions() as session:
            session.add(photo_row(owner.id, 1, sha256=sha256_hex(arriving), file_path=arriving_key))
            session.commit()

    assert remove_orphan_blobs(sessions, blobs, sleep=row_arrives) == 3
    assert not blobs.exists(orphan)
    assert not blobs.exists(preview_key(gone_photo)) and not blobs.exists(face_crop_key(gone_face))
    for key in (kept.file_path, thumbnail_key(kept.id), face_crop_key(face.id), arriving_key):
        assert blobs.exists(key), key
    assert remove_orphan_blobs(sessions, blobs, settle_seconds=0) == 0
    with sessions() as session:
        assert session.exec(select(Face.id)).all() == [face.id]


# --- recovery waits while the queue is busy ---------------------------------------------------------

def test_recovery_leaves_photos_alone_while_jobs_are_waiting(tmp_path: Path, migrated_sqlite: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A photo queued behind a long import is quiet, not lost: no extra delivery counts against it."""
    from pipeline.enqueue import send
    from pipeline.recovery import RecoveryLoop

    with open_library(tmp_path, "http", capsys, migrated_sqlite) as library:
        (photo_id, _, _), = upload_http(library.client, [("a.jpg", images.good_jpeg(600))]).photos
        broker = dramatiq.get_broker()  # the stub broker the library was set up with
        assert isinstance(broker, StubBroker)
        broker.flush_all()
        send("reindex")  # unrelated work elsewhere does not hold recovery back
        send("ingest_photo", str(uuid.uuid4()))  # a photo job still waiting does
        loop = RecoveryLoop(runtime_module.current(), interval=0.05, stale_after=0)
        loop.start()
        try:
            time.sleep(0.5)
            assert broker.queues["photos"].qsize() == 1, "nothing enqueued while photo jobs wait"
            broker.flush("photos")
            deadline = time.monotonic() + 10
            while broker.queues["photos"].qsize() == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            loop.stop()
            loop.join()
        queued = [json.loads(raw)["args"][0] for raw in list(broker.queues["photos"].queue)]
        assert str(photo_id) in queued
