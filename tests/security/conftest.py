"""The app on both databases with one account (anna) and a stranger (mallory) who owns a photo."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from core.services import accounts
from core.settings import Settings
from pipeline.broker import setup_broker

PASSWORD = "correct horse battery staple"
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  __typename ... on Session { token csrfToken } ... on InvalidCredentials { message retryAfterSeconds } } }"""

OpenApp = Callable[..., Any]


@pytest.fixture
def open_app(db_url: str, tmp_path: Path) -> OpenApp:
    """``with open_app(**settings) as client:`` the app with accounts anna and mallory made."""

    @contextmanager
    def opened(**values: Any) -> Iterator[TestClient]:
        settings = Settings(data_dir=tmp_path / "data", database_url=db_url,
                            secret_key="test-secret-key-not-for-production", **values)
        setup_broker(settings)
        with TestClient(create_app(settings), base_url="https://testserver") as client:
            sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
            for name in ("anna", "mallory"):
                accounts.create_user(sessions, name, PASSWORD)
            yield client

    return opened


@pytest.fixture
def client(open_app: OpenApp) -> Iterator[TestClient]:
    with open_app() as test_client:
        yield test_client


def login(client: TestClient, username: str = "anna", password: str = PASSWORD) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": LOGIN, "variables": {"u": username, "p": password}})
    assert response.status_code == 200, response.text
    return response.json()["data"]["login"]  # type: ignore[no-any-return]
