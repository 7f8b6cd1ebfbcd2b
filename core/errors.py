"""Expected failures of use cases; the GraphQL layer maps each to a union member."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """A failure the person can act on; ``str(error)`` is shown to them."""


class NotFound(DomainError):  # noqa: N818 - named like the GraphQL union member it becomes
    """The thing does not exist, or belongs to another owner (never say which)."""

    def __init__(self, kind: str, ids: Iterable[object] = ()) -> None:
        self.kind = kind
        self.ids = [str(i) for i in ids]
        shown = ", ".join(self.ids[:5]) + (" ..." if len(self.ids) > 5 else "")
        super().__init__(f"{kind} not found" + (f": {shown}" if shown else ""))


class ValidationError(DomainError):
    """The request is well-formed but not acceptable; ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)
