# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Sign in and out, the first account, API tokens."""

from __future__ import annotations

from typing import Annotated

import strawberry

from core import errors as domain
from core.services import accounts
from schema.context import Info
from schema.errors import Forbidden, InvalidCredentials, NotFound, ValidationError, invalid, not_found
from schema.ids import decode_id
from schema.users.cookies import SESSION_COOKIE, clear_session_cookies, set_session_cookies
from schema.users.types import ApiToken, CreatedApiToken, LoggedOut, RevokedApiToken, Session, User

LoginResult = Annotated[Session | InvalidCredentials, strawberry.union("LoginResult")]
FirstUserResult = Annotated[Session | ValidationError | Forbidden, strawberry.union("CreateFirstUserResult")]
CreateApiTokenResult = Annotated[CreatedApiToken | ValidationError, strawberry.union("CreateApiTokenResult")]
RevokeApiTokenResult = Annotated[RevokedApiToken | NotFound | ValidationError, strawberry.union("RevokeApiTokenResult")]


async def _start_session(info: Info, user_id: object, username: str, email: str | None) -> Session:
    ctx = info.context
    services = ctx.services
    token = await ctx.call(accounts.open_session, services.sessions, user_id=user_id)
    if ctx.response is not None:
        set_session_cookies(ctx.response, token=token, settings=services.settings)
    from schema.ids import encode_id

    user = User(id=encode_id("User", user_id), username=username, email=email)  # type: ignore[arg-type]
    return Session(token=token, user=user,
                   csrf_token=accounts.csrf_token(token, services.settings.resolved_secret_key()))


@strawberry.type
class UserMutations:
    @strawberry.mutation(description="Sign in: sets the session cookies and returns the session.")
    async def login(self, info: Info, username: str, password: str) -> LoginResult:
        ctx = info.context
        throttle = ctx.services.throttle
        wait = throttle.retry_after(username=username, address=ctx.client_address)
        if wait > 0:
            return InvalidCredentials(message="too many failed attempts; try again later",
                                      retry_after_seconds=int(wait) + 1)
        user = await ctx.call(accounts.authenticate, ctx.services.sessions, username, password)
        if user is None:
            throttle.failed(username=username, address=ctx.client_address)
            return InvalidCredentials(message="wrong username or password")
        throttle.succeeded(username=username)
        return await _start_session(info, user.id, user.username, user.email)

    @strawberry.mutation(description="Sign out: the session token stops working.")
    async def logout(self, info: Info) -> LoggedOut:
        ctx = info.context
        caller = ctx.caller
        token = ctx.request.cookies.get(SESSION_COOKIE) if ctx.request is not None else None
        if caller is not None and token:
            await ctx.call(accounts.close_session, ctx.services.sessions, user_id=caller.user_id, token=token)
        if ctx.response is not None:
            clear_session_cookies(ctx.response, settings=ctx.services.settings)
        return LoggedOut(ok=True)

    @strawberry.mutation(description="On a fresh install: make the first account; photos so far become its own.")
    async def create_first_user(self, info: Info, username: str, password: str) -> FirstUserResult:
        ctx = info.context
        services = ctx.services
        if services.settings.environment == "production":
            return Forbidden(message="accounts are made with `facesort user create` in production")
        try:
            user = await ctx.call(accounts.create_first_user, services.sessions, username, password)
        except accounts.AlreadySetUp as exc:
            return Forbidden(message=str(exc))
        except domain.ValidationError as exc:
            return invalid(exc)
        services.auth.set_up = True
        services.auth.local_owner = None
        return await _start_session(info, user.id, user.username, user.email)

    @strawberry.mutation(description="A token for a program; the secret is in the answer, and only there.")
    async def create_api_token(self, info: Info, name: str) -> CreateApiTokenResult:
        ctx = info.context
        owner_id = ctx.owner_id
        try:
            row, token = await ctx.write(accounts.create_api_token, ctx.services.sessions, user_id=owner_id, name=name)
        except domain.ValidationError as exc:
            return invalid(exc)
        return CreatedApiToken(token=token, api_token=ApiToken.from_row(row))

    @strawberry.mutation(description="Revoke one of your API tokens.")
    async def revoke_api_token(self, info: Info, id: strawberry.ID) -> RevokeApiTokenResult:
        ctx = info.context
        owner_id = ctx.owner_id
        try:
            token_id = decode_id("ApiToken", id)
        except domain.ValidationError as exc:
            return invalid(exc)
        done = await ctx.write(accounts.revoke_api_token, ctx.services.sessions, user_id=owner_id, token_id=token_id)
        if not done:
            return not_found(domain.NotFound("API token", [id]))
        return RevokedApiToken(id=id)
