# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Relay connections: ``first``/``after``, ``totalCount``, a page-size cap, offset cursors."""

from __future__ import annotations

import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry

from schema.context import Info
from schema.errors import PublicError
from schema.ids import from_opaque, to_opaque
from schema.lookahead import selects

T = TypeVar("T")
N = TypeVar("N")

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many there are in all, across every page.")
    async def total_count(self) -> int:
        return await self._count()


@dataclass(frozen=True)
class Page:
    """Rows ``offset .. offset+limit`` of an ordered list; fetch ``limit + 1`` to see if more follow."""

    limit: int
    offset: int

    @property
    def fetch(self) -> int:
        return self.limit + 1

    def shows_all(self, fetched: int) -> bool:
        """Whether a first page that fetched ``fetched`` rows holds the whole list (its count)."""
        return not self.offset and fetched <= self.limit


# The cursors of the first pages' positions, made once (a page makes one per edge).
_CURSORS = [to_opaque(f"o:{index}") for index in range(2 * MAX_PAGE_SIZE)]


def cursor_for(index: int) -> str:
    return _CURSORS[index] if 0 <= index < len(_CURSORS) else to_opaque(f"o:{index}")


def page_of(first: int | None, after: str | None, *, default: int = DEFAULT_PAGE_SIZE) -> Page:
    """Check ``first``/``after``: a negative or too large page, or a foreign cursor, is the caller's mistake."""
    limit = default if first is None else first
    if limit < 0 or limit > MAX_PAGE_SIZE:
        raise PublicError(f"first: must be between 0 and {MAX_PAGE_SIZE}", code="VALIDATION_ERROR")
    offset = 0
    if after:
        try:
            text = from_opaque(after)
            if not text.startswith("o:") or len(text) > 14:
                raise ValueError(text)
            offset = int(text[2:]) + 1
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise PublicError("after: not a cursor of this list", code="VALIDATION_ERROR") from None
        if offset < 1:
            raise PublicError("after: not a cursor of this list", code="VALIDATION_ERROR")
    return Page(limit=limit, offset=offset)


def connection(
    rows: Sequence[N], page: Page, convert: Callable[[N], T], count: Callable[[], Awaitable[int]]
) -> Connection[T]:
    """A connection over ``rows`` (fetched with ``page.fetch``); ``count`` runs only if asked for."""
    shown = rows[: page.limit]
    edges = [Edge(node=convert(row), cursor=cursor_for(page.offset + i)) for i, row in enumerate(shown)]
    info = PageInfo(
        has_next_page=len(rows) > page.limit,
        has_previous_page=page.offset > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, _count=count)


def wants_total(info: Info) -> bool:
    """Whether the query asks the connection ``info`` resolves for its ``totalCount``: a resolver
    then counts in the page's own read (one trip to the worker thread, not two)."""
    return selects(info.selected_fields, info.field_name, "totalCount")


def known_count(total: int) -> Callable[[], Awaitable[int]]:
    """A connection's ``count`` when the total is already known."""

    async def count() -> int:
        return total

    return count


def in_memory_connection(items: Sequence[N], page: Page, convert: Callable[[N], T]) -> Connection[T]:
    """A connection over a list already in memory (small computed lists)."""
    return connection(items[page.offset : page.offset + page.fetch], page, convert, known_count(len(items)))
