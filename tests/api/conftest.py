"""The app over HTTP, on both databases, with the Dramatiq stub broker and a temp data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from core.settings import Settings
from pipeline.broker import setup_broker


def app_settings(db_url: str, tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="test-secret-key-not-for-production",
                    **values)  # type: ignore[arg-type]


@pytest.fixture
def app_settings_factory(db_url: str, tmp_path: Path) -> object:
    return lambda **values: app_settings(db_url, tmp_path, **values)


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = app_settings(db_url, tmp_path)
    setup_broker(settings)
    with TestClient(create_app(settings), base_url="http://testserver") as test_client:
        yield test_client


def dev_photos(dev_set: Path, count: int, person: str = "barack_obama") -> list[Path]:
    return sorted((dev_set / person).glob("*.jp*g"))[:count]


def gql(client: TestClient, query: str, variables: dict[str, object] | None = None, **kwargs: object) -> dict:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}}, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]
