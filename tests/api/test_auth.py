"""First run, sign-in, cookies and CSRF, API tokens, throttling, cross-site refusal."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from api.app import create_app
from api.auth import AuthMiddleware
from pipeline.broker import setup_broker
from tests.api.conftest import app_settings, dev_photos, gql
from tests.schema.conftest import QueryCounter

FIRST_USER = """mutation($u: String!, $p: String!) { createFirstUser(username: $u, password: $p) {
  __typename ... on Session { token csrfToken user { username } } ... on Error { message } } }"""
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  __typename ... on Session { token csrfToken user { username } }
  ... on InvalidCredentials { message retryAfterSeconds } } }"""


def test_fresh_install_acts_as_local_owner_until_the_first_account(client: TestClient, dev_set: Path) -> None:
    photo = dev_photos(dev_set, 1)[0]
    uploaded = client.post("/api/photos", files=[("files", (photo.name, photo.read_bytes()))])
    assert uploaded.status_code == 200 and not uploaded.json()["errors"]
    assert gql(client, "{ setupRequired me { username } }")["data"] == {
        "setupRequired": True, "me": {"username": "local"}}

    short = gql(client, FIRST_USER, {"u": "anna", "p": "short"})["data"]["createFirstUser"]
    assert short["__typename"] == "ValidationError"
    made = gql(client, FIRST_USER, {"u": "anna", "p": "correct horse battery"})["data"]["createFirstUser"]
    assert made["__typename"] == "Session" and made["user"]["username"] == "anna"
    # The web page now holds the cookies; the photos came along with the account.
    assert client.cookies.get("facesort_session") == made["token"]
    headers = {"X-CSRF-Token": made["csrfToken"]}
    status = gql(client, "{ setupRequired libraryStatus { photos } }", headers=headers)["data"]
    assert status == {"setupRequired": False, "libraryStatus": {"photos": 1}}
    again = gql(client, FIRST_USER, {"u": "eve", "p": "correct horse battery"}, headers=headers)
    assert again["data"]["createFirstUser"]["__typename"] == "Forbidden"

    client.cookies.clear()
    assert client.post("/api/photos", files=[("files", (photo.name, photo.read_bytes()))]).status_code == 401
    assert gql(client, "{ photos { totalCount } }")["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gql(client, "{ setupRequired me { id } }")["data"] == {"setupRequired": False, "me": None}


def test_cookie_posts_need_the_csrf_token(client: TestClient) -> None:
    session = gql(client, FIRST_USER, {"u": "anna", "p": "correct horse battery"})["data"]["createFirstUser"]
    refused = client.post("/graphql", json={"query": "{ libraryStatus { photos } }"})
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["error"]
    wrong = client.post("/graphql", json={"query": "{ libraryStatus { photos } }"}, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    assert client.cookies.get("facesort_csrf") == session["csrfToken"]
    ok = client.post("/graphql", json={"query": "{ libraryStatus { photos } }"},
                     headers={"X-CSRF-Token": session["csrfToken"]})
    assert ok.status_code == 200 and ok.json()["data"]["libraryStatus"]["photos"] == 0


def test_login_logout_tokens_and_revocation(client: TestClient) -> None:
    gql(client, FIRST_USER, {"u": "anna", "p": "correct horse battery"})
    client.cookies.clear()
    wrong = gql(client, LOGIN, {"u": "anna", "p": "wrong password"})["data"]["login"]
    assert wrong["__typename"] == "InvalidCredentials"
    session = gql(client, LOGIN, {"u": "ANNA", "p": "correct horse battery"})["data"]["login"]
    assert session["__typename"] == "Session"
    cookie = client.cookies.get("facesort_session")
    assert cookie == session["token"]
    csrf = {"X-CSRF-Token": session["csrfToken"]}
    made = gql(client, 'mutation { createApiToken(name: "photo frame") { ... on CreatedApiToken { token '
                       'apiToken { id name } } } }', headers=csrf)["data"]["createApiToken"]
    listed = gql(client, "{ apiTokens { id name } }", headers=csrf)["data"]["apiTokens"]
    assert listed == [made["apiToken"]]
    client.cookies.clear()

    bearer = {"Authorization": f"Bearer {made['token']}"}
    assert gql(client, "{ me { username } }", headers=bearer)["data"]["me"] == {"username": "anna"}
    # Bearer requests need no CSRF token: no browser adds that header by itself.
    assert gql(client, 'mutation { addLabels(photoIds: [], labels: ["x"]) { __typename } }',
               headers=bearer)["data"]["addLabels"]["__typename"] == "LabelledPhotos"
    assert client.get("/media/photos/nope/thumb", headers={"Authorization": "Bearer wrong"}).status_code == 401

    revoked = gql(client, 'mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }',
                  {"id": made["apiToken"]["id"]}, headers=bearer)
    assert revoked["data"]["revokeApiToken"]["__typename"] == "RevokedApiToken"
    assert gql(client, "{ me { username } }", headers=bearer)["data"]["me"] is None

    client.cookies.set("facesort_session", cookie)
    out = gql(client, "mutation { logout { ok } }", headers=csrf)
    assert out["data"]["logout"]["ok"] is True
    client.cookies.set("facesort_session", cookie)
    assert gql(client, "{ me { username } }")["data"]["me"] is None


def test_login_is_throttled_per_account(client: TestClient) -> None:
    gql(client, FIRST_USER, {"u": "anna", "p": "correct horse battery"})
    client.cookies.clear()
    for _ in range(10):
        gql(client, LOGIN, {"u": "anna", "p": "guess"})
    blocked = gql(client, LOGIN, {"u": "anna", "p": "correct horse battery"})["data"]["login"]
    assert blocked["__typename"] == "InvalidCredentials" and blocked["retryAfterSeconds"] > 0


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    evil = client.post("/graphql", json={"query": "{ setupRequired }"}, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    same = client.post("/graphql", json={"query": "{ setupRequired }"}, headers={"Origin": "http://testserver"})
    assert same.status_code == 200


def test_production_has_no_implicit_owner(db_url: str, tmp_path: Path) -> None:
    settings = app_settings(db_url, tmp_path, environment="production")
    setup_broker(settings)
    with TestClient(create_app(settings)) as client:
        assert client.post("/api/photos", files=[("files", ("a.jpg", b"x"))]).status_code == 401
        data = gql(client, "{ setupRequired me { id } }")["data"]
        assert data == {"setupRequired": False, "me": None}
        refused = gql(client, FIRST_USER, {"u": "anna", "p": "correct horse battery"})
        assert refused["data"]["createFirstUser"]["__typename"] == "Forbidden"


def test_a_request_authenticates_and_reads_on_one_connection(client: TestClient) -> None:
    gql(client, FIRST_USER, {"u": "anna", "p": "correct horse battery"})
    csrf = {"X-CSRF-Token": client.cookies.get("facesort_csrf") or ""}
    made = gql(client, 'mutation { createApiToken(name: "frame") { ... on CreatedApiToken { token } } }',
               headers=csrf)["data"]["createApiToken"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {made['token']}"}
    engine = client.app.state.services.sessions.kw["bind"]  # type: ignore[attr-defined]
    checkouts: list[object] = []
    statements = QueryCounter()

    def checkout(*_: object) -> None:
        checkouts.append(1)

    gql(client, "{ me { username } }", headers=bearer)  # the token's last use is recorded once
    sa.event.listen(engine, "checkout", checkout)
    sa.event.listen(engine, "before_cursor_execute", statements)
    try:
        answer = gql(client, "{ me { username } photos(first: 5) { totalCount } }", headers=bearer)
    finally:
        sa.event.remove(engine, "checkout", checkout)
        sa.event.remove(engine, "before_cursor_execute", statements)
    assert answer["data"] == {"me": {"username": "anna"}, "photos": {"totalCount": 0}}
    assert len(checkouts) == 1, statements.statements  # was two: one to authenticate, one for the reads
    assert statements.count == 3  # the token, the photo count's two (owner's library size, count)


def test_only_query_and_image_requests_keep_their_session(client: TestClient) -> None:
    seen: dict[str, bool] = {}

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        seen[scope["path"]] = (scope.get("state") or {}).get("session") is not None
        await PlainTextResponse("ok")(scope, receive, send)

    app = AuthMiddleware(route, client.app.state.services)  # type: ignore[attr-defined]
    direct = TestClient(app, base_url="http://testserver")
    for path in ("/graphql", "/media/photos/x/thumb", "/api/photos"):
        assert direct.get(path).status_code == 200
    # An upload may take minutes: it must not hold a pooled connection while the bytes arrive.
    assert seen == {"/graphql": True, "/media/photos/x/thumb": True, "/api/photos": False}
