"""Engine and session factory for SQLite (embedded) and PostgreSQL (service mode)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session


def json_loads(data: str | bytes) -> Any:
    """JSON columns' values (a face's box, a photo's EXIF subset): orjson, a C call where the json
    module makes five Python calls (a page decodes a box per face). What orjson refuses goes to
    the json module, which reads it as before; orjson reads an integer beyond 64 bits as a float
    (none of ours is one: boxes are pixels, EXIF values 32-bit rationals)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def make_engine(url: str, **kwargs: Any) -> sa.Engine:
    """An engine that survives a database restart (pre-ping) and enforces SQLite foreign keys."""
    kwargs.setdefault("json_deserializer", json_loads)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    connect_args = {"options": POSTGRES_OPTIONS, **kwargs.pop("connect_args", {})}
    return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


# No parallel plans: starting workers costs ~15 ms, more than the page queries it would share out
# (photos of a person with 582 photos, first page: 21.8 ms with two workers, 4.1 ms without, on
# bench.api's 100k-photo library), and a small server has few cores to share anyway.
# Always a plan for the values given: psycopg prepares a statement after its fifth run, and
# PostgreSQL then settles on one generic plan, blind to which clusters a search names. The
# searches carry plain cluster ids so that the plan fits the people's sizes: with the generic
# plan, counting the photos of a person with 201 photos together with one in 75,805 took 14-19 ms
# instead of 4.5 ms (bench.api's library, 150 of 155 runs generic).
POSTGRES_OPTIONS = "-c max_parallel_workers_per_gather=0 -c plan_cache_mode=force_custom_plan"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


SessionFactory = sessionmaker[Session]


def make_session_factory(engine: sa.Engine) -> SessionFactory:
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


def autocommit_sessions(sessions: SessionFactory) -> SessionFactory:
    """Sessions for a request's reads: each statement on its own, with no BEGIN and ROLLBACK round trips.

    A statement sees as much as it would inside a transaction: PostgreSQL's default isolation
    (READ COMMITTED) takes a fresh snapshot for every statement anyway.
    """
    engine = sessions.kw["bind"]
    return sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), class_=Session,
                        expire_on_commit=False)


@contextmanager
def transaction(factory: SessionFactory) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
