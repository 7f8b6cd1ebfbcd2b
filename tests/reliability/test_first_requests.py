"""Concurrent first requests on a fresh install all act as one local owner (found by bench/load.py: a 500)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select

from core.db import SessionFactory
from core.services import accounts
from core.tables import User


def test_concurrent_first_requests_make_one_local_owner(sessions: SessionFactory) -> None:
    start = threading.Barrier(8)

    def first_request() -> object:
        start.wait()
        return accounts.local_owner(sessions).id

    with ThreadPoolExecutor(8) as pool:
        owners = list(pool.map(lambda _: first_request(), range(8)))
    assert len(set(owners)) == 1
    with sessions() as session:
        assert [user.username for user in session.exec(select(User)).all()] == ["local"]
