"""Hostile GraphQL over HTTP: bad ids, other people's ids, page sizes, depth, aliases, size, batches.

Introspection: allowed for every caller, also in production. The schema is public (schema.graphql
is committed and GraphiQL needs it); the data behind it is not, and the tests below show that no
field answers with data to a caller who is not signed in.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from core.services import accounts
from core.settings import Settings
from pipeline.broker import setup_broker
from schema.ids import encode_id
from tests.schema.factories import Library, add_user, make_library


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """Signed in as anna with an API token."""
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url,
                        secret_key="test-secret-key-not-for-production")
    setup_broker(settings)
    with TestClient(create_app(settings), base_url="http://testserver") as test_client:
        sessions = test_client.app.state.services.sessions  # type: ignore[attr-defined]
        anna = accounts.create_user(sessions, "anna", "correct horse battery")
        _, token = accounts.create_api_token(sessions, user_id=anna.id, name="tests")
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


@pytest.fixture
def stranger(client: TestClient) -> Library:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    mallory = add_user(sessions, "mallory")
    return make_library(sessions, mallory.id, photos=2, people={"Eve": [0, 1]})


def post(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def error_code(body: dict[str, Any]) -> str:
    return str(body["errors"][0].get("extensions", {}).get("code"))


BAD_IDS = ["", "zzz", "%%%", "a" * 5000, "UGhvdG86bm90LWEtdXVpZA", "Photo:1", encode_id("Face", uuid.uuid4()),
           "\u0000\u202e", "1 OR 1=1; --"]


def test_malformed_ids_are_validation_errors(client: TestClient) -> None:
    for bad_id in BAD_IDS:
        body = post(client, "query($id: ID!) { photo(id: $id) { id } }", {"id": bad_id})
        assert body["data"] in ({"photo": None}, None), bad_id
        assert error_code(body) == "VALIDATION_ERROR", bad_id
        assert "Unexpected" not in body["errors"][0]["message"]


def test_unknown_ids_are_null(client: TestClient) -> None:
    for field, kind in (("photo", "Photo"), ("face", "Face"), ("person", "Cluster")):
        body = post(client, f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": encode_id(kind, uuid.uuid4())})
        assert body == {"data": {field: None}}


def test_another_users_ids_look_unknown(client: TestClient, stranger: Library) -> None:
    ids = {"photo": encode_id("Photo", stranger.photos[0].id), "face": encode_id("Face", stranger.faces[0].id),
           "person": encode_id("Cluster", stranger.people["Eve"])}
    for field, opaque in ids.items():
        assert post(client, f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": opaque}) == {
            "data": {field: None}}
    listed = post(client, "{ photos { totalCount } people { totalCount } faces { totalCount } }")["data"]
    assert listed == {"photos": {"totalCount": 0}, "people": {"totalCount": 0}, "faces": {"totalCount": 0}}
    named = post(client, 'mutation($id: ID!) { nameCluster(id: $id, name: "Mine now") { __typename } }',
                 {"id": ids["person"]})
    assert named["data"]["nameCluster"]["__typename"] == "NotFound"
    deleted = post(client, "mutation($ids: [ID!]!) { deletePhotos(ids: $ids) { ... on DeletedPhotos { ids } } }",
                   {"ids": [ids["photo"]]})
    assert deleted["data"]["deletePhotos"]["ids"] == []
    assert client.get(f"/media/photos/{ids['photo']}/original").status_code == 404


def test_page_sizes_outside_1_to_500_are_refused(client: TestClient) -> None:
    for first in [-1, 501, 10**9]:
        body = post(client, "query($first: Int) { photos(first: $first) { totalCount } }", {"first": first})
        assert error_code(body) == "VALIDATION_ERROR", first
    assert "errors" not in post(client, "{ photos(first: 500) { totalCount } }")


def test_a_page_size_beyond_32_bits_is_a_graphql_error(client: TestClient) -> None:
    body = post(client, "query($first: Int) { photos(first: $first) { totalCount } }", {"first": 2**40})
    assert "Int cannot represent" in body["errors"][0]["message"] and body.get("data") is None


def test_deep_nesting_is_refused_before_running(client: TestClient) -> None:
    inner = "id"
    for _ in range(20):
        inner = f"faces {{ photo {{ {inner} }} }}"
    body = post(client, f"{{ photos {{ edges {{ node {{ {inner} }} }} }} }}")
    assert "exceeds maximum operation depth" in body["errors"][0]["message"] and body.get("data") is None


def test_many_aliases_are_refused(client: TestClient) -> None:
    query = "{ " + " ".join(f"p{i}: photos(first: 500) {{ totalCount }}" for i in range(200)) + " }"
    body = post(client, query)
    assert "aliases" in body["errors"][0]["message"] and body.get("data") is None


def test_fragment_cycles_are_refused(client: TestClient) -> None:
    body = post(client, "query { photos { ...A } } fragment A on PhotoConnection { ...B } "
                        "fragment B on PhotoConnection { ...A }")
    assert body["errors"] and body.get("data") is None


def test_huge_bodies_and_variables_are_refused(client: TestClient) -> None:
    big = {"query": "query($n: String) { people(name: $n) { totalCount } }", "variables": {"n": "x" * 2_000_000}}
    response = client.post("/graphql", json=big)
    assert response.status_code == 413
    chunked = client.post("/graphql", content=iter([json.dumps(big).encode()]),
                          headers={"content-type": "application/json"})
    assert chunked.status_code == 413, "a body without a length is refused too"
    many_ids = [encode_id("Photo", uuid.uuid4()) for _ in range(6000)]
    body = post(client, "mutation($ids: [ID!]!) { deletePhotos(ids: $ids) { __typename } }", {"ids": many_ids})
    assert body["data"]["deletePhotos"]["__typename"] == "ValidationError"
    long_name = post(client, "query($n: String) { people(name: $n) { totalCount } }", {"n": "é" * 100_000})
    assert "Unexpected" not in json.dumps(long_name)


def test_batched_requests_are_refused(client: TestClient) -> None:
    response = client.post("/graphql", content=json.dumps([{"query": "{ me { id } }"}] * 50),
                           headers={"content-type": "application/json"})
    assert response.status_code == 400 and "Batching is not enabled" in response.text


def test_mutations_are_refused_over_get(client: TestClient) -> None:
    # A GET carries no CSRF check (it is a safe method), so it must never change anything.
    response = client.get("/graphql", params={"query": 'mutation { createApiToken(name: "x") { __typename } }'})
    assert response.status_code in (400, 405)
    listed = post(client, "{ apiTokens { name } }")["data"]["apiTokens"]
    assert listed == [{"name": "tests"}]


def test_introspection_is_allowed_but_no_data_without_a_caller(db_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, environment="production",
                        secret_key="a-real-production-secret-0123456789abcdef")
    setup_broker(settings)
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        schema = post(client, "{ __schema { queryType { name } types { name } } }")["data"]["__schema"]
        assert schema["queryType"]["name"] == "Query" and any(t["name"] == "Photo" for t in schema["types"])
        for query in ["{ photos { totalCount } }", "{ people { totalCount } }", "{ libraryStatus { photos } }",
                      "{ faces { totalCount } }", "{ apiTokens { id } }"]:
            body = post(client, query)
            assert body.get("data") is None and error_code(body) == "UNAUTHENTICATED", query
