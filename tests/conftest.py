"""Shared fixtures: real PostgreSQL and SQLite databases, the dev set, settings in a temp folder."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from core.db import SessionFactory, make_engine, make_session_factory
from core.migrate import upgrade
from core.settings import Settings
from core.tables import User

REPO = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN_URL = os.environ.get("FACESORT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("FACESORT_TEST_REDIS", "redis://127.0.0.1:6379/15")


def datasets_dir() -> Path:
    return Path(os.environ.get("FACESORT_DATASETS", REPO.parent / "shared" / "datasets")).resolve()


@pytest.fixture(scope="session")
def dev_set() -> Path:
    path = datasets_dir() / "faces-dev"
    if not (path / "labels.csv").exists():
        pytest.fail(f"the dev set is missing at {path} (set FACESORT_DATASETS)")
    return path


def create_database(prefix: str) -> tuple[str, str]:
    """A new, empty database on the machine's PostgreSQL: (its name, its SQLAlchemy URL)."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is unreachable at {POSTGRES_ADMIN_URL}: {exc}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    return name, url.replace("postgresql://", "postgresql+psycopg://", 1)


def drop_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database(prefix: str, *, migrate: bool = True) -> Iterator[str]:
    """The URL of a database of its own (migrated to head unless ``migrate`` is false), dropped after."""
    name, url = create_database(prefix)
    try:
        if migrate:
            upgrade(url)
        yield url
    finally:
        drop_database(name)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test run on the machine's PostgreSQL, migrated to head."""
    with fresh_database("facesort_test") as url:
        yield url


def _truncate_all(engine: sa.Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test that uses it runs on both databases: a migrated SQLite file and PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        upgrade(url)
        yield url
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: sa.Engine) -> SessionFactory:
    return make_session_factory(engine)


def make_user(sessions: SessionFactory, username: str = "alice") -> User:
    user = User(username=username, password_hash="not-a-hash")
    with sessions() as session:
        session.add(user)
        session.commit()
    return user


@pytest.fixture
def owner(sessions: SessionFactory) -> User:
    return make_user(sessions)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", secret_key="test-secret-key-not-for-production")
