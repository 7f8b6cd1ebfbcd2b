"""Users, sessions and API tokens."""

from __future__ import annotations

from datetime import datetime

import strawberry

from core import tables
from schema.ids import encode_id


@strawberry.type
class User:
    id: strawberry.ID
    username: str
    email: str | None

    @classmethod
    def from_row(cls, row: tables.User) -> User:
        return cls(id=encode_id("User", row.id), username=row.username, email=row.email)


@strawberry.type(description="A signed-in session. The web page gets it as cookies; programs may send the "
                             "token as `Authorization: Bearer <token>`.")
class Session:
    token: str
    user: User
    csrf_token: str = strawberry.field(description="Send as X-CSRF-Token with cookie-authenticated POSTs.")


@strawberry.type(description="A token for a program; its secret is shown only once, at creation.")
class ApiToken:
    id: strawberry.ID
    name: str
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def from_row(cls, row: tables.ApiToken) -> ApiToken:
        return cls(id=encode_id("ApiToken", row.id), name=row.name, created_at=row.created_at,
                   last_used_at=row.last_used_at)


@strawberry.type
class CreatedApiToken:
    token: str = strawberry.field(description="The secret: store it now, it is never shown again.")
    api_token: ApiToken


@strawberry.type
class RevokedApiToken:
    id: strawberry.ID


@strawberry.type
class LoggedOut:
    ok: bool
