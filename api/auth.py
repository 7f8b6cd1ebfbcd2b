"""Who a request acts for: bearer token, session cookie, or the local owner of a fresh install.

Also the cross-site guards: an unsafe request from another origin is refused, and a
cookie-authenticated one must echo the CSRF token (bearer-token requests need not: a browser
never adds that header on its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio.to_thread
from sqlmodel import Session
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from core.repositories import users as user_repo
from core.services import accounts
from core.services.accounts import Caller
from schema.context import Services
from schema.users.cookies import CSRF_HEADER, SESSION_COOKIE

PROTECTED_PREFIXES = ("/graphql", "/api/", "/media/")
# Routes whose reads go on the session that authenticated them. Others (an upload may take
# minutes) hand their connection back at once.
READING_PREFIXES = ("/graphql", "/media/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Authentication:
    caller: Caller | None
    cookie_token: str | None  # set when the caller came from the session cookie


def bearer_token(headers: Headers) -> str | None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate(services: Services, session: Session, connection: HTTPConnection) -> Authentication:
    """Blocking (runs in a worker thread): at most one query once the install is set up."""
    token = bearer_token(connection.headers)
    if token is not None:
        return Authentication(accounts.caller_for_token(session, token), None)
    cookie = connection.cookies.get(SESSION_COOKIE)
    if cookie:
        caller = accounts.caller_for_token(session, cookie)
        if caller is not None:
            return Authentication(caller, cookie)
    return Authentication(_local_owner(services, session), None)


def _local_owner(services: Services, session: Session) -> Caller | None:
    """The implicit passwordless owner, only while no account exists and never in production."""
    state = services.auth
    if state.set_up or services.settings.environment == "production":
        return None
    # Checked on every request until set up: another process may have made the first account.
    if user_repo.any_password_user(session):
        state.set_up, state.local_owner = True, None
        return None
    if state.local_owner is None:
        user = accounts.local_owner(services.sessions)
        state.local_owner = Caller(user_id=user.id, username=user.username, token_id=None, token_kind=None)
    return state.local_owner


def same_origin(headers: Headers) -> bool:
    """No Origin (curl, programs) or one naming this host; a browser always sends it cross-site."""
    origin = headers.get("origin")
    if origin is None:
        return True
    host = urlsplit(origin).netloc.lower()
    allowed = {headers.get("host", "").lower(), headers.get("x-forwarded-host", "").lower()} - {""}
    return host in allowed


class AuthMiddleware:
    """Puts ``scope["state"]["caller"]`` on API requests and refuses cross-site ones."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not scope["path"].startswith(PROTECTED_PREFIXES):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        websocket = scope["type"] == "websocket"
        unsafe = websocket or scope["method"] not in SAFE_METHODS
        if unsafe and not same_origin(connection.headers):
            await self._refuse(scope, receive, send, "cross-site request refused")
            return
        # A query's or an image's reads go on the session that authenticated it: one connection
        # checked out (and pinged) per request. A websocket or an upload lives long: it holds none.
        session = self.services.reads()
        try:
            auth = await anyio.to_thread.run_sync(authenticate, self.services, session, connection)
            if auth.cookie_token and unsafe and not websocket:
                sent = connection.headers.get(CSRF_HEADER)
                secret = self.services.settings.resolved_secret_key()
                if not accounts.csrf_matches(auth.cookie_token, secret, sent):
                    await self._refuse(scope, receive, send, f"missing or wrong {CSRF_HEADER} header")
                    return
            state = scope.setdefault("state", {})
            state["caller"] = auth.caller
            if websocket or not scope["path"].startswith(READING_PREFIXES):
                session.close()
            else:
                state["session"] = session
            await self.app(scope, receive, send)
        finally:
            session.close()

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, reason: str) -> None:
        if scope["type"] == "websocket":
            await WebSocket(scope, receive, send).close(code=1008, reason=reason)
            return
        await JSONResponse({"error": reason}, status_code=403)(scope, receive, send)


def caller_of(connection: HTTPConnection) -> Caller | None:
    state = connection.scope.get("state") or {}
    caller = state.get("caller")
    return caller if isinstance(caller, Caller) else None


def session_of(connection: HTTPConnection) -> Session | None:
    """The read session the middleware opened for this request (None on a websocket or an upload)."""
    state = connection.scope.get("state") or {}
    session = state.get("session")
    return session if isinstance(session, Session) else None


def read_session(connection: HTTPConnection) -> Session:
    """The request's read session; the middleware keeps one for the GraphQL and media routes."""
    session = session_of(connection)
    if session is None:
        raise RuntimeError(f"{connection.url.path} is not behind AuthMiddleware")
    return session


UNAUTHORIZED = {"error": "sign in first: send a session cookie or an `Authorization: Bearer <token>` header"}


def unauthorized() -> JSONResponse:
    return JSONResponse(UNAUTHORIZED, status_code=401, headers={"WWW-Authenticate": 'Bearer realm="facesort"'})
