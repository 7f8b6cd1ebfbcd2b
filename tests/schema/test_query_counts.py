"""The web client's main operations cost a small, fixed number of SQL queries, whatever the page size."""

from __future__ import annotations

import pytest

from core.db import SessionFactory
from core.tables import User
from tests.schema.conftest import Execute, QueryCounter, opaque
from tests.schema.factories import make_library

PHOTOS_PAGE = """
query($first: Int!) {
  photos(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id fileName takenAt location thumbnailUrl labels
                   faces { id box { x y width height } cropUrl cluster { id name coverFace { id cropUrl } } } } }
  }
}
"""

PEOPLE_LIST = """
query($first: Int!) {
  people(first: $first) {
    totalCount
    edges { node { id name faceCount photoCount coverFace { id cropUrl box { x y width height } } } }
  }
}
"""

PERSON_PAGE = """
query($id: ID!, $first: Int!) {
  person(id: $id) {
    id name faceCount photoCount
    coverFace { id cropUrl }
    photos(first: $first) { totalCount edges { node { id thumbnailUrl takenAt
      faces { id cluster { id name } } } } }
    faces(first: $first) { totalCount edges { node { id cropUrl quality photo { id fileName } } } }
  }
}
"""


def _count(execute: Execute, counter: QueryCounter, query: str, variables: dict[str, object]) -> int:
    before = counter.count
    result = execute(query, variables)
    assert result.errors is None, result.errors
    return counter.count - before


@pytest.fixture
def big_library(sessions: SessionFactory, owner: User) -> dict[str, object]:
    people: dict[str | None, range] = {f"Person {i:02d}": range(i, 80, 7) for i in range(12)}
    library = make_library(sessions, owner.id, photos=80, people=people, unknown_faces_in=range(0, 80, 5))
    return {"person": opaque("Cluster", library.people["Person 03"])}


def test_photos_page_with_faces_and_clusters(execute: Execute, count_queries: QueryCounter,
                                             big_library: dict[str, object]) -> None:
    small = _count(execute, count_queries, PHOTOS_PAGE, {"first": 5})
    large = _count(execute, count_queries, PHOTOS_PAGE, {"first": 60})
    # page, count, faces of the photos, labels, clusters, cover faces
    assert small == large <= 6, count_queries.statements[-large:]


def test_people_list_with_cover_faces(execute: Execute, count_queries: QueryCounter,
                                      big_library: dict[str, object]) -> None:
    small = _count(execute, count_queries, PEOPLE_LIST, {"first": 3})
    large = _count(execute, count_queries, PEOPLE_LIST, {"first": 10})
    assert small == large <= 3, count_queries.statements[-large:]  # page, count, cover faces


def test_person_page(execute: Execute, count_queries: QueryCounter, big_library: dict[str, object]) -> None:
    small = _count(execute, count_queries, PERSON_PAGE, {"id": big_library["person"], "first": 2})
    large = _count(execute, count_queries, PERSON_PAGE, {"id": big_library["person"], "first": 50})
    assert small == large <= 9, count_queries.statements[-large:]


PHOTOS_PAGE_WITH_FRAGMENTS = """
fragment PersonBits on Cluster { id name coverFace { id cropUrl } }
fragment FaceBits on Face { id box { x y width height } cropUrl cluster { ...PersonBits } }
query($first: Int!) {
  photos(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ... on Photo { id fileName takenAt location thumbnailUrl labels faces { ...FaceBits } } } }
  }
}
"""


def test_fragments_load_nested_fields_with_the_page_too(execute: Execute, count_queries: QueryCounter,
                                                       big_library: dict[str, object]) -> None:
    """The page's faces and people are loaded with it whether the query names them inline or in
    fragments (schema.lookahead): same answer, same queries."""
    inline = _count(execute, count_queries, PHOTOS_PAGE, {"first": 60})
    fragments = _count(execute, count_queries, PHOTOS_PAGE_WITH_FRAGMENTS, {"first": 60})
    assert fragments == inline
    assert execute(PHOTOS_PAGE_WITH_FRAGMENTS, {"first": 60}).data == execute(PHOTOS_PAGE, {"first": 60}).data


def test_lookahead_sees_fields_through_fragments(execute: Execute, big_library: dict[str, object],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import schema.photos.nested as nested

    seen: list[bool] = []
    real = nested.selects

    def spy(info, *path):  # type: ignore[no-untyped-def]
        found = real(info, *path)
        seen.append(found)
        return found

    monkeypatch.setattr(nested, "selects", spy)
    assert execute(PHOTOS_PAGE_WITH_FRAGMENTS, {"first": 5}).errors is None
    assert seen == [True, True]  # faces, then their clusters
    seen.clear()
    assert execute("query { photos(first: 5) { edges { node { id } } } }", {}).errors is None
    assert seen == [False]
