"""A schema to execute against both databases, with a caller, without HTTP."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from core.blobs import LocalBlobStore
from core.db import SessionFactory
from core.services.accounts import Caller
from core.tables import User
from schema.context import Context, Services
from schema.schema import schema


@pytest.fixture
def enqueued() -> dict[str, list[Any]]:
    return {"photos": [], "recluster": []}


@pytest.fixture
def services(sessions: SessionFactory, settings: Any, tmp_path: Path, enqueued: dict[str, list[Any]]) -> Services:
    return Services(
        settings=settings,
        sessions=sessions,
        blobs=LocalBlobStore(tmp_path / "blobs"),
        enqueue_photos=lambda ids: enqueued["photos"].extend(ids),
        enqueue_recluster=lambda owner_id: enqueued["recluster"].append(owner_id),
    )


def caller_for(user: User) -> Caller:
    return Caller(user_id=user.id, username=user.username, token_id=None, token_kind=None)


Execute = Callable[..., Any]


@pytest.fixture
def execute(services: Services, owner: User) -> Execute:
    """Run an operation as ``owner`` (or as ``user=``, or nobody with ``user=None``)."""

    def run(query: str, variables: dict[str, Any] | None = None, *, user: User | str | None = "owner") -> Any:
        who = owner if user == "owner" else user

        async def go() -> Any:
            context = Context(services=services, caller=caller_for(who) if isinstance(who, User) else None)
            return await schema.execute(query, variable_values=variables, context_value=context)

        return asyncio.run(go())

    return run


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(engine: sa.Engine) -> Iterator[QueryCounter]:
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


def opaque(kind: str, value: uuid.UUID) -> str:
    from schema.ids import encode_id

    return str(encode_id(kind, value))
