"""Expected failures as union members; unexpected ones masked with an error id and logged."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from core import errors as domain

log = logging.getLogger("facesort.graphql")


@strawberry.interface(description="Every expected failure has a message for the person.")
class Error:
    message: str


@strawberry.type(description="The thing does not exist or is not yours (never says which).")
class NotFound(Error):  # noqa: N818 - a GraphQL type, not an exception
    ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.type(description="The input is not acceptable; `field` names the input at fault.")
class ValidationError(Error):
    field: str | None = None


@strawberry.type(description="The caller may not do this.")
class Forbidden(Error):  # noqa: N818 - a GraphQL type, not an exception
    pass


@strawberry.type(description="Wrong username or password, or too many attempts.")
class InvalidCredentials(Error):  # noqa: N818 - a GraphQL type, not an exception
    retry_after_seconds: int | None = None


_KINDS = {"photo": "Photo", "face": "Face", "cluster": "Cluster", "person": "Cluster", "album": "Album"}


def not_found(error: domain.NotFound) -> NotFound:
    """The union member, with the ids as the caller sent them (opaque), not the inner uuids."""
    from schema.ids import encode_id

    kind = _KINDS.get(error.kind.lower())
    ids: list[strawberry.ID] = []
    for value in error.ids:
        try:
            ids.append(encode_id(kind, uuid.UUID(value)) if kind else strawberry.ID(value))
        except ValueError:
            ids.append(strawberry.ID(value))
    return NotFound(message=f"{error.kind} not found", ids=ids)


def invalid(error: domain.ValidationError) -> ValidationError:
    return ValidationError(message=str(error), field=error.field)


class PublicError(Exception):
    """An error whose message is meant for the client (shown unmasked, with a code)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class Unauthenticated(PublicError):  # noqa: N818 - the GraphQL error code's word
    def __init__(self) -> None:
        super().__init__("sign in first: send a session cookie or a bearer token", code="UNAUTHENTICATED")


def bad_input(error: domain.ValidationError) -> PublicError:
    return PublicError(str(error), code="VALIDATION_ERROR")


def _is_public(error: GraphQLError) -> bool:
    original = error.original_error
    # No original error: the query's own syntax or validation failed (the limits, unknown fields).
    # A GraphQLError inside: a scalar refused a variable's value (an Int over 32 bits): the client's input.
    return original is None or isinstance(original, PublicError | domain.DomainError | GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """Masks everything but public errors; logs the real one with an id the client can quote."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: not _is_public(error))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        error_id = uuid.uuid4().hex[:12]
        log.error("unexpected error %s at %s", error_id, error.path, exc_info=error.original_error)
        return GraphQLError(
            message=f"Unexpected error (id {error_id}).",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
        )

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        return [_with_code(error) for error in processed]


def _with_code(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    extra: dict[str, Any] = {}
    if isinstance(original, PublicError):
        extra["code"] = original.code
    elif isinstance(original, domain.ValidationError):
        extra["code"] = "VALIDATION_ERROR"
    elif isinstance(original, domain.NotFound):
        extra["code"] = "NOT_FOUND"
    if extra:
        error.extensions = {**(error.extensions or {}), **extra}
    return error
