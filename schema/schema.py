"""The assembled schema: one Query, Mutation and Subscription merged from the domains."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.albums.mutations import AlbumMutations
from schema.albums.queries import AlbumQueries
from schema.errors import MaskUnexpectedErrors
from schema.execution import FastExecutionContext
from schema.extensions import CloseReadSession, QueryLimits
from schema.faces.queries import FaceQueries
from schema.labels.mutations import LabelMutations
from schema.labels.queries import LabelQueries
from schema.library.queries import LibraryQueries, LibrarySubscriptions
from schema.people.mutations import PeopleMutations
from schema.people.queries import PeopleQueries
from schema.photos.mutations import PhotoMutations
from schema.photos.queries import PhotoQueries
from schema.users.mutations import UserMutations
from schema.users.queries import UserQueries

log = logging.getLogger("facesort.graphql")

MAX_TOKENS = 5000
# Distinct query texts whose parsed document and validation result are kept (LRU): the web
# client and a typical program send a few dozen.
QUERY_CACHE = 256

Query = merge_types(
    "Query",
    (UserQueries, PhotoQueries, FaceQueries, PeopleQueries, LabelQueries, AlbumQueries, LibraryQueries),
)
Mutation = merge_types(
    "Mutation", (PhotoMutations, PeopleMutations, LabelMutations, AlbumMutations, UserMutations)
)
Subscription = merge_types("Subscription", (LibrarySubscriptions,))

class FacesortSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Unexpected errors were logged with their id by MaskUnexpectedErrors; the rest are the client's.
        for error in errors:
            log.debug("graphql error: %s", error.message)


schema = FacesortSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[
        QueryLimits,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=QUERY_CACHE),
        lambda: ValidationCache(maxsize=QUERY_CACHE),
        MaskUnexpectedErrors,
        CloseReadSession,
    ],
    execution_context_class=FastExecutionContext,
)


def export_schema() -> str:
    """The SDL committed as ``schema.graphql`` (``facesort export-schema`` prints it)."""
    return schema.as_str().rstrip("\n") + "\n"
