"""The web client's main operations cost a small, fixed number of SQL queries, whatever the page size."""

from __future__ import annotations

from typing import Any

import pytest

from core.db import SessionFactory
from core.tables import Face, FaceCluster, User
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
    # the person, the cover, the album's library estimate and page, its faces and their clusters,
    # the page of faces and their photos (the totalCounts are the counts the cluster keeps)
    assert small == large <= 8, count_queries.statements[-large:]


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


PEOPLE_LIST_WITH_FRAGMENTS = """
fragment Card on Cluster { id name faceCount photoCount coverFace { id cropUrl box { x y width height } } }
query($first: Int!) { people(first: $first) { totalCount edges { node { ...Card } } } }
"""


def _waited(execute: Execute, monkeypatch: pytest.MonkeyPatch, query: str) -> tuple[list[object], dict[str, Any]]:
    """The keys nested fields resolved through schema.loaders.load_then had to wait for (not
    loaded with the page) while ``query`` ran, and its answer."""
    import schema.loaders as loaders

    waited: list[object] = []
    real = loaders.peek

    def spy(loader, key):  # type: ignore[no-untyped-def]  # load_then's look beyond the page's values
        answer = real(loader, key)
        if answer is loaders._NONE:
            waited.append(key)
        return answer

    monkeypatch.setattr(loaders, "peek", spy)
    result = execute(query, {"first": 60})
    assert result.errors is None, result.errors
    return waited, result.data


def _nested_values(data: dict[str, Any]) -> list[object]:
    """What the page's nested fields answered: each face's person and each person's cover."""
    root = data.get("photos") or data["people"]
    nodes = [edge["node"] for edge in root["edges"]]
    if "faces" in nodes[0]:
        return [face["cluster"] for node in nodes for face in node["faces"]]
    return [node["coverFace"] for node in nodes]


@pytest.mark.parametrize("query", [PHOTOS_PAGE, PHOTOS_PAGE_WITH_FRAGMENTS, PEOPLE_LIST, PEOPLE_LIST_WITH_FRAGMENTS],
                         ids=["photos", "photos-fragments", "people", "people-fragments"])
def test_pages_load_their_nested_fields_with_them(execute: Execute, big_library: dict[str, object],
                                                  monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    """Faces, their people and cover faces are loaded with the page (schema.lookahead), inline or
    through fragments, so none of those fields waits on its own."""
    waited, data = _waited(execute, monkeypatch, query)
    assert waited == []
    nested = _nested_values(data)
    assert nested and any(value is not None for value in nested)


def test_fragments_give_the_same_answer_and_queries(execute: Execute, count_queries: QueryCounter,
                                                    big_library: dict[str, object]) -> None:
    inline = _count(execute, count_queries, PHOTOS_PAGE, {"first": 60})
    fragments = _count(execute, count_queries, PHOTOS_PAGE_WITH_FRAGMENTS, {"first": 60})
    assert fragments == inline
    assert execute(PHOTOS_PAGE_WITH_FRAGMENTS, {"first": 60}).data == execute(PHOTOS_PAGE, {"first": 60}).data


def test_without_the_nested_fields_nothing_more_is_loaded(execute: Execute, count_queries: QueryCounter,
                                                         big_library: dict[str, object]) -> None:
    assert _count(execute, count_queries, "query($first: Int!) { photos(first: $first) { edges { node { id } } } }",
                  {"first": 60}) == 1  # the page alone (its count is not asked for)


def test_a_cover_unset_or_gone_gives_way_to_the_best_face(execute: Execute, count_queries: QueryCounter,
                                                          sessions: SessionFactory, owner: User,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The people list reads its covers with the page: the chosen ones, and the best face (the
    sharpest) of a person whose cover is unset or has moved to someone else; nothing waits."""
    library = make_library(sessions, owner.id, photos=10,
                           people={"Ann": range(6), "Bob": range(3, 9), "Cid": range(5, 10)})
    faces = {(face.cluster_id, index): face.id for face in library.faces
             for index, photo in enumerate(library.photos) if face.photo_id == photo.id}
    ann, bob, cid = (library.people[name] for name in ("Ann", "Bob", "Cid"))
    with sessions() as session:
        session.get(FaceCluster, ann).cover_face_id = None  # type: ignore[union-attr]
        moved = session.get(Face, faces[(bob, 3)])  # Bob's cover, now Cid's face
        moved.cluster_id = cid  # type: ignore[union-attr]
        session.commit()
    statements = _count(execute, count_queries, PEOPLE_LIST, {"first": 10})
    covers = {edge["node"]["name"]: edge["node"]["coverFace"]["id"]
              for edge in execute(PEOPLE_LIST, {"first": 10}).data["people"]["edges"]}
    assert covers == {"Ann": opaque("Face", faces[(ann, 5)]), "Bob": opaque("Face", faces[(bob, 8)]),
                      "Cid": opaque("Face", faces[(cid, 5)])}
    assert statements == 3, count_queries.statements[-statements:]  # page, chosen covers, best faces
    waited, data = _waited(execute, monkeypatch, PEOPLE_LIST)
    assert waited == [] and all(value is not None for value in _nested_values(data))


TRIP_PHOTOS = ("query($first: Int!) { photos(first: $first) { totalCount "
               "edges { node { id faces { cluster { name } } } } } }")
TRIP_PEOPLE = "query($first: Int!) { people(first: $first) { totalCount edges { node { name coverFace { id } } } } }"


@pytest.mark.parametrize(("query", "field", "total"), [(TRIP_PHOTOS, "photos", 80), (TRIP_PEOPLE, "people", 12)],
                         ids=["photos", "people"])
def test_a_page_and_its_count_come_in_one_trip(execute: Execute, big_library: dict[str, object],
                                               monkeypatch: pytest.MonkeyPatch, query: str, field: str,
                                               total: int) -> None:
    """A page that does not hold the whole list reads its totalCount with itself: one trip to the
    worker thread; a page that holds it counts its rows; a query without totalCount counts nothing."""
    from schema.context import Context

    trips: list[object] = []
    real = Context.read

    async def counted(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        trips.append(fn)
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(Context, "read", counted)
    result = execute(query, {"first": 3})
    assert result.errors is None, result.errors
    assert result.data[field]["totalCount"] == total and len(result.data[field]["edges"]) == 3
    assert len(trips) == 1
    trips.clear()
    result = execute(query, {"first": 100})
    assert result.data[field]["totalCount"] == total == len(result.data[field]["edges"]) and len(trips) == 1
    trips.clear()
    result = execute(query.replace("totalCount", ""), {"first": 3})
    assert result.errors is None and len(trips) == 1
