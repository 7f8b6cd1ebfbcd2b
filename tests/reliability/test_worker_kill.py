"""A real `facesort worker` SIGKILLed in the middle of a batch; a new one finishes it.

Service mode on this machine: PostgreSQL (a database of this test's own), Redis, blobs in a
folder. Without FACESORT_QDRANT_URL the vectors live in the embedded Qdrant Edge shard, which
admits one process, so the test runs ONE worker process (with two threads) at a time: the
multi-process case needs a Qdrant server, which this machine cannot run.

Afterwards every photo is done, with no duplicate faces (a face's id is a uuid5 of photo and box,
and no two faces of a photo overlap) and exactly one vector point per face.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from sqlmodel import select

from core.blobs import open_blob_store
from core.db import make_engine, make_session_factory
from core.services.uploads import IncomingFile, UploadLimits, upload_photos
from core.settings import Settings
from core.tables import Face, Photo, PhotoStatus, User
from core.vectors import open_vector_index
from pipeline.broker import setup_broker
from pipeline.enqueue import enqueue_photos
from pipeline.faces.matching import SAME_FACE_IOU, iou
from pipeline.runtime import embedding_model
from tests.conftest import fresh_database
from tests.reliability.conftest import FAULTS_REDIS_URL

REPO = Path(__file__).resolve().parents[2]
PHOTOS = 10
KILL_AFTER_DONE = 3


@pytest.fixture
def own_postgres() -> Iterator[str]:
    with fresh_database("facesort_kill") as url:
        yield url


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([str(REPO / ".venv" / "bin" / "facesort"), "worker", "--processes", "1",
                                 "--threads", "2"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _status_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT status, count(*) FROM photos GROUP BY status")).all()
    return {str(status): int(count) for status, count in rows}


def _wait(engine: sa.Engine, worker: subprocess.Popen[bytes], log: Path, until: Any, timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = _status_counts(engine)
        if until(counts):
            return counts
        if worker.poll() is not None:
            pytest.fail(f"the worker exited with {worker.returncode}:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)
    pytest.fail(f"timed out at {_status_counts(engine)}:\n{log.read_text()[-4000:]}")


def _stop(worker: subprocess.Popen[bytes], sig: int) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
    worker.wait(timeout=60)




def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    own_postgres: str, fault_redis: redis.Redis, tmp_path: Path, dev_set: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=own_postgres, redis_url=FAULTS_REDIS_URL,
                        secret_key="test-secret-key-not-for-production", stale_after_seconds=6)
    engine = make_engine(own_postgres)
    sessions = make_session_factory(engine)
    with sessions() as session:
        owner = User(username="anna", password_hash="not-a-hash")
        session.add(owner)
        session.commit()
    people = sorted(p for p in dev_set.iterdir() if p.is_dir() and not p.name.startswith("_"))
    files = [path for person in people for path in sorted(person.glob("*.jp*g"))[:2]][:PHOTOS]
    setup_broker(settings)
    result = upload_photos(sessions=sessions, blobs=open_blob_store(settings), owner_id=owner.id,
                           files=[IncomingFile(path.name, path.read_bytes()) for path in files],
                           limits=UploadLimits(settings.max_upload_bytes, settings.max_image_pixels),
                           enqueue=enqueue_photos)
    assert len(result.photos) == PHOTOS and not result.errors

    env = {key: value for key, value in os.environ.items() if not key.startswith("FACESORT_")}
    env.update({"FACESORT_DATA_DIR": str(settings.data_dir), "FACESORT_DATABASE_URL": own_postgres,
                "FACESORT_REDIS_URL": FAULTS_REDIS_URL, "FACESORT_SECRET_KEY": settings.secret_key,
                "FACESORT_STALE_AFTER_SECONDS": "6", "FACESORT_RECLUSTER_DEBOUNCE_SECONDS": "1",
                "FACESORT_TORCH_THREADS": "1"})
    log = tmp_path / "worker.log"
    first = _start_worker(env, log)
    try:
        at_kill = _wait(engine, first, log, lambda c: c.get("done", 0) >= KILL_AFTER_DONE, timeout=240)
    finally:
        _stop(first, signal.SIGKILL)
    assert at_kill.get("done", 0) < PHOTOS, "the batch finished before the kill: raise PHOTOS"

    second = _start_worker(env, log)
    try:
        finished = _wait(engine, second, log, lambda c: c.get("done", 0) + c.get("failed", 0) == PHOTOS,
                         timeout=300)
        time.sleep(3)  # let assign/recluster jobs of the last photos drain before reading the index
    finally:
        _stop(second, signal.SIGTERM)
    with sessions() as session:
        photos = session.exec(select(Photo)).all()
        faces = session.exec(select(Face)).all()
    failures = [(p.file_name, p.attempts, p.error) for p in photos if p.status != PhotoStatus.done]
    assert finished == {"done": PHOTOS}, f"{failures}\n{log.read_text()[-6000:]}"
    assert all(p.status == PhotoStatus.done and p.error is None and p.processed_at for p in photos)
    assert all(p.meta["faces_found"] == sum(f.photo_id == p.id for f in faces) for p in photos)
    assert len(faces) >= PHOTOS - 2, "the dev set's photos show faces"
    for photo in photos:
        boxes = [f.face_location for f in faces if f.photo_id == photo.id]
        duplicates = [pair for pair in combinations(boxes, 2) if iou(*pair) >= SAME_FACE_IOU]
        assert not duplicates, f"duplicate faces in {photo.file_name}"

    model, dim = embedding_model(settings).identity
    with open_vector_index(settings, model=model, dim=dim) as index:
        index.ensure()
        assert index.count() == len(faces), "one vector point per face, none twice, none missing"
        assert index.count(owner.id) == len(faces)
    engine.dispose()
