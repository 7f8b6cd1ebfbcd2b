# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Who is signed in, whether the install still needs its first account, the caller's tokens."""

from __future__ import annotations

import strawberry

from core.repositories import users as user_repo
from core.services import accounts
from schema.context import Info
from schema.users.types import ApiToken, User


@strawberry.type
class UserQueries:
    @strawberry.field(description="The signed-in user; null when nobody is.")
    async def me(self, info: Info) -> User | None:
        caller = info.context.caller
        if caller is None:
            return None
        row = await info.context.read(lambda session: user_repo.get_user(session, user_id=caller.user_id))
        return User.from_row(row) if row is not None else None

    @strawberry.field(description="True on a fresh install: the web page offers createFirstUser.")
    async def setup_required(self, info: Info) -> bool:
        services = info.context.services
        if services.auth.set_up or services.settings.environment == "production":
            return False
        return await info.context.call(accounts.setup_required, services.sessions)

    @strawberry.field(description="Your API tokens (not the secrets).")
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        owner_id = info.context.owner_id
        rows = await info.context.read(lambda session: user_repo.api_tokens_of(session, user_id=owner_id))
        return [ApiToken.from_row(row) for row in rows]
