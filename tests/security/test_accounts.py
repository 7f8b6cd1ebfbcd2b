"""Passwords, tokens, sessions, cookies, CSRF and login throttling, checked where they are stored and sent."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from http.cookies import SimpleCookie

import pydantic
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from core.services import accounts
from core.settings import Settings
from core.tables import ApiToken, User, utcnow
from tests.security.conftest import PASSWORD, OpenApp, login

# The throttle and cookies live in the process, not the database: one database is enough.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
CREATE_TOKEN = 'mutation { createApiToken(name: "frame") { ... on CreatedApiToken { token apiToken { id } } } }'


def _dump(client: TestClient) -> str:
    """Every row of the users and api_tokens tables, as text."""
    engine = client.app.state.services.sessions.kw["bind"]  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = [*conn.execute(sa.text("SELECT * FROM users")).all(), *conn.execute(sa.text("SELECT * FROM api_tokens"))]
    return "\n".join(map(str, rows))


def test_passwords_are_stored_as_argon2id_hashes(client: TestClient) -> None:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    with sessions() as session:
        users = session.exec(sa.select(User)).scalars().all()
    assert {u.username for u in users} == {"anna", "mallory"}
    for user in users:
        assert re.fullmatch(r"\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+", user.password_hash)
    assert len({u.password_hash for u in users}) == 2, "salted: one password, two hashes"
    assert PASSWORD not in _dump(client)
    assert accounts.verify_password(users[0].password_hash, PASSWORD)
    assert not accounts.verify_password(users[0].password_hash, PASSWORD + "!")


def test_tokens_are_random_stored_hashed_and_revocable(client: TestClient) -> None:
    session = login(client)
    csrf = {"X-CSRF-Token": session["csrfToken"]}
    made = [client.post("/graphql", json={"query": CREATE_TOKEN}, headers=csrf).json()["data"]["createApiToken"]
            for _ in range(2)]
    tokens = [session["token"], *(m["token"] for m in made)]
    assert len(set(tokens)) == 3 and all(len(t) >= 43 for t in tokens)  # 32 random bytes, url-safe base64
    stored = _dump(client)
    for token in tokens:
        assert token not in stored, "only a hash of a token is kept"
        assert accounts.token_hash(token) in stored
    client.cookies.clear()

    bearer = {"Authorization": f"Bearer {made[0]['token']}"}
    assert client.post("/api/photos", files=[("files", ("x.jpg", b""))], headers=bearer).status_code == 200
    revoke = 'mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }'
    assert client.post("/graphql", json={"query": revoke, "variables": {"id": made[0]["apiToken"]["id"]}},
                       headers=bearer).json()["data"]["revokeApiToken"]["__typename"] == "RevokedApiToken"
    assert client.post("/api/photos", files=[("files", ("x.jpg", b""))], headers=bearer).status_code == 401
    assert client.get("/media/photos/x/original", headers=bearer).status_code == 401
    me = client.post("/graphql", json={"query": "{ me { id } }"}, headers=bearer).json()
    assert me == {"data": {"me": None}}
    other = {"Authorization": f"Bearer {made[1]['token']}"}
    assert client.post("/graphql", json={"query": "{ me { username } }"}, headers=other).json()["data"]["me"] == {
        "username": "anna"}, "revoking one token leaves the others"


def test_an_expired_or_logged_out_session_is_refused(client: TestClient) -> None:
    session = login(client)
    token = session["token"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/media/photos/x/original", headers=bearer).status_code == 404  # signed in: not found
    engine = client.app.state.services.sessions.kw["bind"]  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(sa.update(ApiToken).where(ApiToken.token_hash == accounts.token_hash(token))
                     .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/media/photos/x/original", headers=bearer).status_code == 401

    second = login(client)
    out = client.post("/graphql", json={"query": "mutation { logout { ok } }"},
                      headers={"X-CSRF-Token": second["csrfToken"]})
    assert out.json()["data"]["logout"]["ok"] is True
    assert client.get("/media/photos/x/original",
                      headers={"Authorization": f"Bearer {second['token']}"}).status_code == 401


def _set_cookies(client: TestClient) -> dict[str, dict[str, str | bool]]:
    response = client.post("/graphql", json={"query": "mutation($u: String!, $p: String!) { login(username: $u, "
                                                      "password: $p) { __typename } }",
                                             "variables": {"u": "anna", "p": PASSWORD}})
    cookies: dict[str, dict[str, str | bool]] = {}
    for header in response.headers.get_list("set-cookie"):
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            cookies[name] = {"httponly": bool(morsel["httponly"]), "secure": bool(morsel["secure"]),
                             "samesite": str(morsel["samesite"]).lower(), "path": morsel["path"]}
    return cookies


@SQLITE_ONLY
@pytest.mark.parametrize("https", [False, True])
def test_session_cookies_are_http_only_same_site_and_secure_behind_https(open_app: OpenApp, https: bool) -> None:
    with open_app(public_https=https) as client:
        cookies = _set_cookies(client)
    assert cookies["facesort_session"] == {"httponly": True, "secure": https, "samesite": "lax", "path": "/"}
    # The CSRF cookie is read by the page's script (it echoes it in a header), so it cannot be HttpOnly.
    assert cookies["facesort_csrf"] == {"httponly": False, "secure": https, "samesite": "lax", "path": "/"}


def test_cookie_requests_that_change_things_need_the_csrf_token(client: TestClient) -> None:
    anna = login(client)
    mutation = {"query": 'mutation { addLabels(photoIds: [], labels: ["x"]) { __typename } }'}
    refused = client.post("/graphql", json=mutation)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["error"]
    upload = client.post("/api/photos", files=[("files", ("x.jpg", b""))])
    assert upload.status_code == 403, "the REST upload is guarded the same way"
    cross_site = client.post("/graphql", json=mutation,
                             headers={"X-CSRF-Token": anna["csrfToken"], "Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    accepted = client.post("/graphql", json=mutation, headers={"X-CSRF-Token": anna["csrfToken"]})
    assert accepted.status_code == 200 and accepted.json()["data"]["addLabels"]["__typename"] == "LabelledPhotos"

    # Mallory's CSRF token does not go with Anna's session cookie.
    anna_cookie = client.cookies.get("facesort_session")
    client.cookies.clear()
    mallory = login(client, "mallory")
    client.cookies.set("facesort_session", anna_cookie or "")
    assert client.post("/graphql", json=mutation, headers={"X-CSRF-Token": mallory["csrfToken"]}).status_code == 403


@SQLITE_ONLY
def test_login_is_throttled_per_account_and_per_address(client: TestClient) -> None:
    for _ in range(10):
        assert login(client, "anna", "wrong guess")["__typename"] == "InvalidCredentials"
    blocked = login(client, "anna", PASSWORD)
    assert blocked["__typename"] == "InvalidCredentials" and blocked["retryAfterSeconds"] > 0
    assert login(client, "ANNA ", PASSWORD)["__typename"] == "InvalidCredentials", "same account, other spelling"
    # Another account from the same address is not locked out by anna's ten failures...
    assert login(client, "mallory", PASSWORD)["__typename"] == "Session"
    client.cookies.clear()

    services = client.app.state.services  # type: ignore[attr-defined]
    services.throttle = accounts.LoginThrottle()
    # ...but thirty failures from one address, spread over many names, lock that address out.
    for i in range(30):
        assert login(client, f"user{i}", "wrong guess")["__typename"] == "InvalidCredentials"
    blocked = login(client, "mallory", PASSWORD)
    assert blocked["__typename"] == "InvalidCredentials" and blocked["retryAfterSeconds"] > 0
    assert services.throttle.retry_after(username="mallory", address="10.0.0.9") == 0, "other addresses go on"


def test_the_login_throttle_stays_bounded_under_a_flood_of_names() -> None:
    throttle = accounts.LoginThrottle(per_account=3, per_address=1000, max_keys=50)
    for i in range(500):  # asking about a name stores nothing
        assert throttle.retry_after(username=f"nobody{i}", address="10.0.0.1") == 0
    assert len(throttle) == 0
    for _ in range(3):
        throttle.failed(username="alice", address="10.0.0.2")
    for i in range(400):
        throttle.failed(username=f"made-up-{i}" + "x" * 5000, address=f"10.1.{i // 250}.{i % 250}")
    assert len(throttle) <= 50
    # The oldest keys went first; a fresh run of failures still locks an account out.
    for _ in range(3):
        throttle.failed(username="bob", address="10.0.0.3")
    assert throttle.retry_after(username="bob", address="10.9.9.9") > 0


def test_failures_leave_the_throttle_when_their_window_ends() -> None:
    throttle = accounts.LoginThrottle(per_account=2, window_seconds=0.05)
    throttle.failed(username="alice", address="10.0.0.2")
    throttle.failed(username="alice", address="10.0.0.2")
    assert throttle.retry_after(username="alice", address="10.0.0.2") > 0
    time.sleep(0.06)
    assert throttle.retry_after(username="alice", address="10.0.0.2") == 0
    assert len(throttle) == 0


@pytest.mark.parametrize("secret", ["", "changeme", "change-me", "secret", "dev", " Secret "])
def test_production_refuses_default_secrets(secret: str, tmp_path: object) -> None:
    with pytest.raises(pydantic.ValidationError, match="FACESORT_SECRET_KEY"):
        Settings(environment="production", secret_key=secret)
    assert Settings(environment="development", secret_key=secret).environment == "development"
    assert Settings(environment="production", secret_key="k" * 48).secret_key == "k" * 48


@pytest.mark.parametrize("s3_secret", ["", "minioadmin", "MinioAdmin", "change-me", "minio123"])
def test_production_refuses_default_s3_secrets(s3_secret: str) -> None:
    store = {"s3_endpoint": "minio:9000", "s3_access_key": "minioadmin", "s3_secret_key": s3_secret}
    with pytest.raises(pydantic.ValidationError, match="FACESORT_S3_SECRET_KEY"):
        Settings(environment="production", secret_key="k" * 48, **store)
    assert Settings(environment="development", **store).s3_secret_key == s3_secret
    assert Settings(environment="production", secret_key="k" * 48, **{**store, "s3_secret_key": "s" * 40}).s3_endpoint


def test_production_refuses_the_default_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACESORT_ENVIRONMENT", "production")
    monkeypatch.delenv("FACESORT_SECRET_KEY", raising=False)
    with pytest.raises(pydantic.ValidationError):
        Settings()
    monkeypatch.setenv("FACESORT_SECRET_KEY", json.dumps("a-real-secret-of-enough-length-0123456789"))
    assert Settings().environment == "production"
