"""Reads and writes of users and their session/API tokens (only token hashes are stored)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.tables import ApiToken, User, utcnow

# The passwordless owner of a fresh embedded install has this (impossible) hash.
NO_PASSWORD = ""


def get_user(session: Session, *, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def get_user_by_username(session: Session, *, username: str) -> User | None:
    return session.exec(select(User).where(sa.func.lower(User.username) == username.lower())).first()


def any_password_user(session: Session) -> bool:
    """Whether someone has made an account (then nobody gets in without credentials)."""
    query = select(User.id).where(User.password_hash != NO_PASSWORD).limit(1)
    return session.exec(query).first() is not None


def passwordless_user(session: Session) -> User | None:
    query = select(User).where(User.password_hash == NO_PASSWORD).order_by(col(User.created_at)).limit(1)
    return session.exec(query).first()


def add_user(session: Session, *, user: User) -> User:
    session.add(user)
    session.flush()
    return user


def add_token(session: Session, *, token: ApiToken) -> ApiToken:
    session.add(token)
    session.flush()
    return token


class TokenOwner(NamedTuple):
    """A live token and its user, as a request's authentication reads them."""

    user_id: uuid.UUID
    username: str
    token_id: uuid.UUID
    kind: str
    last_used_at: datetime | None


_USERS, _TOKENS = sa.inspect(User).columns, sa.inspect(ApiToken).columns
# Every request asks it: built once (Core, the columns it needs), only the values bound each time.
_TOKEN_OWNER = (
    sa.select(_USERS.id, _USERS.username, _TOKENS.id, _TOKENS.kind, _TOKENS.last_used_at)
    .join_from(_USERS.id.table, _TOKENS.id.table, _TOKENS.user_id == _USERS.id)
    .where(_TOKENS.token_hash == sa.bindparam("token_hash"), _TOKENS.revoked_at.is_(None))
    .where(sa.or_(_TOKENS.expires_at.is_(None), _TOKENS.expires_at > sa.bindparam("now")))
)


def token_owner(session: Session, *, token_hash: str, now: datetime) -> TokenOwner | None:
    """The live token with this hash and its user (one query)."""
    row = session.execute(_TOKEN_OWNER, {"token_hash": token_hash, "now": now}).first()
    return None if row is None else TokenOwner._make(row)


def touch_token(session: Session, *, token_id: uuid.UUID, now: datetime) -> None:
    session.execute(sa.update(ApiToken).where(col(ApiToken.id) == token_id).values(last_used_at=now))


def api_tokens_of(session: Session, *, user_id: uuid.UUID) -> list[ApiToken]:
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.kind == "api", col(ApiToken.revoked_at).is_(None))
        .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id))
    )
    return list(session.exec(query).all())


def revoke_token(session: Session, *, user_id: uuid.UUID, token_id: uuid.UUID | None = None,
                 token_hash: str | None = None) -> bool:
    """Revoke one of the user's tokens, by id or by hash; False when there is no such live token."""
    query = sa.update(ApiToken).where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
    if token_id is not None:
        query = query.where(col(ApiToken.id) == token_id)
    elif token_hash is not None:
        query = query.where(col(ApiToken.token_hash) == token_hash)
    else:
        return False
    result = session.execute(query.values(revoked_at=utcnow()))
    return bool(getattr(result, "rowcount", 0))
