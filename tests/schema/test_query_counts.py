"""The web client's main operations cost a small, fixed number of SQL queries, whatever the page size."""

from __future__ import annotations

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


def _answered_at_once(execute: Execute, monkeypatch: pytest.MonkeyPatch, query: str) -> list[bool]:
    """For each nested field resolved through schema.loaders.load_then, whether its value was
    already loaded (True) or had to be awaited (False)."""
    import schema.loaders as loaders

    found: list[bool] = []
    real = loaders.peek

    def spy(loader, key):  # type: ignore[no-untyped-def]
        answer = real(loader, key)
        found.append(answer is not None)
        return answer

    monkeypatch.setattr(loaders, "peek", spy)
    result = execute(query, {"first": 60})
    assert result.errors is None, result.errors
    return found


@pytest.mark.parametrize("query", [PHOTOS_PAGE, PHOTOS_PAGE_WITH_FRAGMENTS, PEOPLE_LIST, PEOPLE_LIST_WITH_FRAGMENTS],
                         ids=["photos", "photos-fragments", "people", "people-fragments"])
def test_pages_load_their_nested_fields_with_them(execute: Execute, big_library: dict[str, object],
                                                  monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    """Faces, their people and cover faces are loaded with the page (schema.lookahead), inline or
    through fragments, so none of those fields waits on its own."""
    answered = _answered_at_once(execute, monkeypatch, query)
    assert answered and all(answered), answered.count(False)


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
    answered = _answered_at_once(execute, monkeypatch, PEOPLE_LIST)
    assert answered and all(answered)
