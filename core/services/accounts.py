"""Accounts, sessions and API tokens; the passwordless owner of a fresh embedded install."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from core.db import SessionFactory, transaction
from core.errors import DomainError, ValidationError
from core.repositories import users as user_repo
from core.tables import ApiToken, User, utcnow

SESSION_LIFETIME = timedelta(days=30)
LOCAL_OWNER = "local"
MIN_PASSWORD = 8
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,149}")
# Written into last_used_at at most this often, so reads do not turn into writes.
_TOUCH_EVERY = timedelta(minutes=5)

_hasher = PasswordHasher()
# Verified when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("facesort-no-such-user")


class AlreadySetUp(DomainError):  # noqa: N818 - a state, read as `except AlreadySetUp`
    """The first account exists already; further accounts come from ``facesort user create``."""


@dataclass(frozen=True)
class Caller:
    """Who a request acts for; ``token_id`` is None for the implicit local owner."""

    user_id: uuid.UUID
    username: str
    token_id: uuid.UUID | None
    token_kind: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def _check_credentials(username: str, password: str) -> str:
    username = username.strip()
    if not _USERNAME.fullmatch(username):
        raise ValidationError(
            "username: 1-150 letters, digits or . _ @ + -, starting with a letter or digit", field="username"
        )
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"password: at least {MIN_PASSWORD} characters", field="password")
    if len(password) > 1024:
        raise ValidationError("password: at most 1024 characters", field="password")
    return username


def create_user(sessions: SessionFactory, username: str, password: str, *, email: str | None = None) -> User:
    """A new account with an argon2 password hash (``facesort user create``)."""
    username = _check_credentials(username, password)
    with transaction(sessions) as session:
        if user_repo.get_user_by_username(session, username=username) is not None:
            raise ValidationError(f"username {username!r} is taken", field="username")
        return user_repo.add_user(
            session, user=User(username=username, email=email, password_hash=hash_password(password))
        )


def setup_required(sessions: SessionFactory) -> bool:
    """True while nobody has an account with a password (a fresh install)."""
    with sessions() as session:
        return not user_repo.any_password_user(session)


def local_owner(sessions: SessionFactory) -> User:
    """The passwordless owner a fresh embedded install acts as (created on first need)."""
    try:
        return _local_owner_once(sessions)
    except sa.exc.IntegrityError:
        # Concurrent first requests both tried to create it; the other one won: use that one.
        with sessions() as session:
            user = user_repo.passwordless_user(session)
        if user is None:
            raise
        return user


def _local_owner_once(sessions: SessionFactory) -> User:
    with transaction(sessions) as session:
        user = user_repo.passwordless_user(session)
        if user is not None:
            return user
        name = LOCAL_OWNER
        taken = user_repo.get_user_by_username(session, username=name)
        if taken is not None and taken.password_hash == user_repo.NO_PASSWORD:
            return taken  # committed by a concurrent first request since the query above
        if taken is not None:
            name = f"{LOCAL_OWNER}-{secrets.token_hex(3)}"
        return user_repo.add_user(session, user=User(username=name, password_hash=user_repo.NO_PASSWORD))


def create_first_user(sessions: SessionFactory, username: str, password: str) -> User:
    """Turn the passwordless owner (and its photos) into the first account."""
    username = _check_credentials(username, password)
    with transaction(sessions) as session:
        if user_repo.any_password_user(session):
            raise AlreadySetUp("the first account exists already; sign in instead")
        clash = user_repo.get_user_by_username(session, username=username)
        owner = user_repo.passwordless_user(session)
        if clash is not None and clash is not owner:
            raise ValidationError(f"username {username!r} is taken", field="username")
        if owner is None:
            owner = user_repo.add_user(session, user=User(username=username, password_hash=""))
        owner.username = username
        owner.password_hash = hash_password(password)
        owner.updated_at = utcnow()
        session.add(owner)
        session.flush()
        return owner


def authenticate(sessions: SessionFactory, username: str, password: str) -> User | None:
    with sessions() as session:
        user = user_repo.get_user_by_username(session, username=username.strip())
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


def open_session(sessions: SessionFactory, *, user_id: uuid.UUID, name: str = "web") -> str:
    """A new session token for the web page (returned once; only its hash is kept)."""
    token = new_token()
    with transaction(sessions) as session:
        user_repo.add_token(session, token=ApiToken(
            user_id=user_id, name=name[:200], kind="session", token_hash=token_hash(token),
            expires_at=utcnow() + SESSION_LIFETIME,
        ))
    return token


def create_api_token(sessions: SessionFactory, *, user_id: uuid.UUID, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError("name: 1-200 characters", field="name")
    token = new_token()
    with transaction(sessions) as session:
        row = user_repo.add_token(session, token=ApiToken(
            user_id=user_id, name=name, kind="api", token_hash=token_hash(token)
        ))
    return row, token


def revoke_api_token(sessions: SessionFactory, *, user_id: uuid.UUID, token_id: uuid.UUID) -> bool:
    with transaction(sessions) as session:
        return user_repo.revoke_token(session, user_id=user_id, token_id=token_id)


def close_session(sessions: SessionFactory, *, user_id: uuid.UUID, token: str) -> None:
    with transaction(sessions) as session:
        user_repo.revoke_token(session, user_id=user_id, token_hash=token_hash(token))


def caller_for_token(session: Session, token: str) -> Caller | None:
    """The user a session or API token stands for, or None when it is unknown, revoked or expired.

    Runs on the request's own read session (so a request checks out one connection, not two).
    """
    if not token or len(token) > 200:
        return None
    now = utcnow()
    found = user_repo.token_owner(session, token_hash=token_hash(token), now=now)
    if found is None:
        return None
    last = found.last_used_at
    if last is None or _aware(last) < now - _TOUCH_EVERY:
        user_repo.touch_token(session, token_id=found.token_id, now=now)
        session.commit()
    return Caller(user_id=found.user_id, username=found.username, token_id=found.token_id, token_kind=found.kind)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class LoginThrottle:
    """Failed logins per account and per address in a sliding window (in memory, per process).

    Bounded: only failures are stored (asking costs nothing), keys without a recent failure are
    dropped, and past ``max_keys`` the oldest keys go first, so a flood of made-up names or
    addresses cannot grow the process without limit.
    """

    def __init__(
        self, *, per_account: int = 10, per_address: int = 30, window_seconds: float = 900.0, max_keys: int = 100_000
    ) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window = window_seconds
        self.max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def retry_after(self, *, username: str, address: str) -> float:
        """Seconds until another attempt is allowed (0 when allowed now)."""
        now = time.monotonic()
        waits = [0.0]
        with self._lock:
            for key, limit in ((_account_key(username), self.per_account), (f"a:{address}", self.per_address)):
                times = self._recent(key, now)
                if times is not None and len(times) >= limit:
                    waits.append(times[len(times) - limit] + self.window - now)
        return max(waits)

    def failed(self, *, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (_account_key(username), f"a:{address}"):
                times = self._recent(key, now) or deque()
                times.append(now)
                self._failures[key] = times
            if len(self._failures) > self.max_keys:
                self._shrink(now)

    def succeeded(self, *, username: str) -> None:
        with self._lock:
            self._failures.pop(_account_key(username), None)

    def _shrink(self, now: float) -> None:
        for key in list(self._failures):
            self._recent(key, now)
        while len(self._failures) > self.max_keys:
            del self._failures[next(iter(self._failures))]  # the longest-known key

    def __len__(self) -> int:
        return len(self._failures)


def _account_key(username: str) -> str:
    return f"u:{username.strip().lower()[:200]}"


def csrf_token(session_token: str, secret_key: str) -> str:
    """The CSRF token that goes with a session: derived, so it cannot be planted separately."""
    return hmac.new(secret_key.encode(), f"csrf:{session_token}".encode(), hashlib.sha256).hexdigest()


def csrf_matches(session_token: str, secret_key: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(csrf_token(session_token, secret_key), sent or "")
