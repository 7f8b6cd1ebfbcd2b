"""A fresh library (SQLite file, blob folder, the app) and the three ways files come into it."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from starlette.testclient import TestClient

from api.app import create_app
from core.blobs import BlobStore, open_blob_store
from core.db import SessionFactory, make_engine, make_session_factory
from core.migrate import upgrade
from core.settings import Settings
from core.tables import Photo
from pipeline import runtime as runtime_module
from pipeline.broker import setup_broker
from pipeline.photos.ingest import ingest_photo
from tests.conftest import REDIS_URL
from tests.reliability.uploads import Outcome, upload_folder, upload_graphql, upload_http

WAYS_IN = ("http", "graphql", "import")
FAULTS_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/14"  # a database of our own: these tests flush it


@pytest.fixture
def fault_redis() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(FAULTS_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is unreachable at {FAULTS_REDIS_URL}: {exc}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@dataclass
class Library:
    settings: Settings
    sessions: SessionFactory
    blobs: BlobStore
    client: TestClient
    way_in: str
    folder: Path
    capsys: pytest.CaptureFixture[str]

    def upload(self, files: Sequence[tuple[str, bytes]]) -> Outcome:
        if self.way_in == "http":
            return upload_http(self.client, files)
        if self.way_in == "graphql":
            return upload_graphql(self.client, files)
        folder = self.folder / uuid.uuid4().hex[:8]
        return upload_folder(self.settings, self.sessions, folder, files, self.capsys)

    def ingest(self, photo_id: uuid.UUID) -> bool:
        """The pipeline's ingest step, run here the way a worker runs it."""
        return ingest_photo(runtime_module.current(), photo_id)

    def photo(self, photo_id: uuid.UUID) -> Photo:
        with self.sessions() as session:
            row = session.get(Photo, photo_id)
            assert row is not None
            session.expunge(row)
            return row

    def photo_ids(self) -> set[uuid.UUID]:
        from sqlmodel import select

        with self.sessions() as session:
            return set(session.exec(select(Photo.id)).all())


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each library starts from a copy (migrating each time costs more)."""
    path = tmp_path_factory.mktemp("template") / "library.db"
    upgrade(f"sqlite:///{path}")
    return path


@contextmanager
def open_library(tmp_path: Path, way_in: str, capsys: pytest.CaptureFixture[str], template: Path,
                 **values: Any) -> Iterator[Library]:
    shutil.copyfile(template, tmp_path / "library.db")
    url = f"sqlite:///{tmp_path / 'library.db'}"
    settings = Settings(data_dir=tmp_path / "data", database_url=url, secret_key="test-secret-key-not-for-production",
                        **values)
    setup_broker(settings)
    engine = make_engine(url)
    runtime_module.configure(settings)
    try:
        with TestClient(create_app(settings), base_url="http://testserver") as client:
            yield Library(settings=settings, sessions=make_session_factory(engine), blobs=open_blob_store(settings),
                          client=client, way_in=way_in, folder=tmp_path / "import", capsys=capsys)
    finally:
        runtime_module.current().close()
        engine.dispose()
