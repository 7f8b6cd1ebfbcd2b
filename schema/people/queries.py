# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Clusters and people (named clusters), and merge suggestions."""

from __future__ import annotations

import strawberry
from sqlmodel import Session

from core.repositories import search
from core.repositories.rows import ClusterRow
from core.services import people_suggestions
from schema.connections import Connection, connection, in_memory_connection, page_of, wants_total
from schema.context import Info
from schema.ids import decode_id
from schema.loaders import Covers, prime
from schema.lookahead import selects
from schema.people.types import Cluster


@strawberry.input
class ClusterFilter:
    named: bool | None = strawberry.field(default=None, description="True: people only; false: unnamed groups.")
    hidden: bool | None = None
    min_faces: int | None = None


@strawberry.type(description="Two clusters that look like one person: merge source into target.")
class MergeSuggestion:
    target: Cluster
    source: Cluster
    distance: float = strawberry.field(description="Embedding distance of the two centroids (smaller: surer).")


async def _clusters(info: Info, query: search.ClusterQuery, first: int | None, after: str | None
                    ) -> Connection[Cluster]:
    ctx = info.context
    owner_id = ctx.owner_id
    page = page_of(first, after)
    with_covers = selects(info.selected_fields, info.field_name, "edges", "node", "coverFace")
    with_total = wants_total(info)

    def read(session: Session) -> tuple[list[ClusterRow], Covers | None, int | None]:
        rows = search.search_clusters(session, owner_id=owner_id, query=query, limit=page.fetch, offset=page.offset)
        covers = ctx.loaders.covers(session, rows[: page.limit]) if with_covers and rows else None
        total = None if not with_total or page.shows_all(len(rows)) else search.count_clusters(
            session, owner_id=owner_id, query=query)
        return rows, covers, total

    rows, covers, total = await ctx.read(read)  # the page, its covers and count: one trip to the worker thread
    prime(ctx.loaders.cluster, {row.id: row for row in rows})
    if covers is not None:
        ctx.loaders.prime_covers(covers)

    async def count() -> int:
        if total is not None:
            return total
        if page.shows_all(len(rows)):
            return len(rows)
        return await ctx.read(lambda session: search.count_clusters(session, owner_id=owner_id, query=query))

    return connection(rows, page, Cluster.from_row, count)


@strawberry.type
class PeopleQueries:
    @strawberry.field(description="Your clusters, largest first.")
    async def clusters(
        self, info: Info, filter: ClusterFilter | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Cluster]:
        found = filter or ClusterFilter()
        query = search.ClusterQuery(named=found.named, hidden=found.hidden, min_faces=found.min_faces)
        return await _clusters(info, query, first, after)

    @strawberry.field(description="People (named, not hidden clusters). `name` matches case- and "
                                  "accent-insensitively: names starting with it first, then names containing it.")
    async def people(
        self, info: Info, name: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Cluster]:
        query = search.ClusterQuery(named=True, hidden=False, name=name)
        return await _clusters(info, query, first, after)

    @strawberry.field(description="A person (a named cluster); null when unknown, unnamed or not yours.")
    async def person(self, info: Info, id: strawberry.ID) -> Cluster | None:
        info.context.owner_id  # noqa: B018 - signed in, or Unauthenticated
        row = await info.context.loaders.cluster.load(decode_id("Cluster", id))
        return Cluster.from_row(row) if row is not None and row.name is not None else None

    @strawberry.field(description="A cluster, named or not; null when unknown or not yours.")
    async def cluster(self, info: Info, id: strawberry.ID) -> Cluster | None:
        info.context.owner_id  # noqa: B018 - signed in, or Unauthenticated
        row = await info.context.loaders.cluster.load(decode_id("Cluster", id))
        return Cluster.from_row(row) if row is not None else None

    @strawberry.field(description="Pairs of clusters that look like the same person, closest first.")
    async def merge_suggestions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[MergeSuggestion]:
        ctx = info.context
        owner_id = ctx.owner_id
        page = page_of(first, after, default=20)
        found = await ctx.call(people_suggestions.merge_suggestions, ctx.services.sessions, owner_id=owner_id,
                               limit=page.offset + page.fetch)
        return in_memory_connection(
            found, page,
            lambda s: MergeSuggestion(target=Cluster.from_row(s.target), source=Cluster.from_row(s.source),
                                      distance=s.distance),
        )
