"""Photo search by people: every path of core.repositories.search against a count done by hand."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from core.db import SessionFactory
from core.repositories import batches, search
from core.repositories.search import PhotoOrder, PhotoQuery
from core.tables import FaceCluster, Photo, User
from tests.conftest import make_user
from tests.schema.factories import BASE_TIME, Library, face_row, make_library

PEOPLE = {
    "Ann": range(40),  # in most photos
    "Bob": range(0, 40, 3),
    "Cid": [3, 9, 21, 33],
    "Dup": [1, 2, 5],  # a second cluster named "Dup" is added below
    None: [7, 8],
}


@pytest.fixture
def library(sessions: SessionFactory, owner: User) -> Library:
    found = make_library(sessions, owner.id, photos=44, people=PEOPLE, unknown_faces_in=[0, 41])
    with sessions() as session:
        photos = {photo.id: photo for photo in session.exec(select(Photo)).all()}
        # Undated photos come first newest-first; equal dates fall back to the id.
        for index in (4, 30):
            photos[found.photos[index].id].taken_at = None
        for index in (10, 11, 12):
            photos[found.photos[index].id].taken_at = BASE_TIME - timedelta(days=100)
        session.add_all(photos.values())
        other = FaceCluster(owner_id=owner.id, name="Dup", name_key="dup", face_count=2, photo_count=2)
        session.add(other)
        session.flush()
        for index in (5, 6):
            face = face_row(owner.id, found.photos[index].id, other.id, x=700.0)
            session.add(face)
            found.faces.append(face)
        found.people["Dup 2"] = other.id
        session.commit()
    return found


def _members(library: Library) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Photo ids of each cluster, from the rows as written."""
    found: dict[uuid.UUID, set[uuid.UUID]] = {}
    for face in library.faces:
        if face.cluster_id is not None:
            found.setdefault(face.cluster_id, set()).add(face.photo_id)
    return found


def _expected(sessions: SessionFactory, library: Library, groups: Sequence[Sequence[str]], match_all: bool,
              ) -> list[uuid.UUID]:
    """Newest first; ``groups``: for each person asked for, the names of the clusters behind them."""
    members = _members(library)
    wanted = [set().union(*(members.get(library.people[name], set()) for name in group)) for group in groups]
    chosen = set.intersection(*wanted) if match_all else set().union(*wanted)
    with sessions() as session:
        rows = [photo for photo in session.exec(select(Photo)).all() if photo.id in chosen]
    rows.sort(key=lambda p: (p.taken_at.replace(tzinfo=None) if p.taken_at else datetime.min, p.id), reverse=True)
    rows.sort(key=lambda p: p.taken_at is not None)  # undated first
    return [photo.id for photo in rows]


def _search(sessions: SessionFactory, owner_id: uuid.UUID, query: PhotoQuery, limit: int = 100,
            offset: int = 0) -> tuple[list[uuid.UUID], int]:
    with sessions() as session:
        rows = search.search_photos(session, owner_id=owner_id, query=query, limit=limit, offset=offset)
        return [row.id for row in rows], search.count_photos(session, owner_id=owner_id, query=query)


CASES = [
    (["Ann"], [["Ann"]], True),
    (["ann", "BOB"], [["Ann"], ["Bob"]], True),
    (["Ann", "Bob", "Cid"], [["Ann"], ["Bob"], ["Cid"]], True),
    (["Dup"], [["Dup", "Dup 2"]], True),  # one name, two clusters: photos of either
    (["Dup", "Ann"], [["Dup", "Dup 2"], ["Ann"]], True),
    (["Ann", "Nobody"], [], True),
    (["Bob", "Cid"], [["Bob"], ["Cid"]], False),
    (["Dup", "Nobody"], [["Dup", "Dup 2"]], False),
    (["Nobody"], [], False),
]


@pytest.mark.parametrize("from_smallest", [True, False], ids=["from-the-smallest-person", "walk-the-photos"])
@pytest.mark.parametrize(("names", "groups", "match_all"), CASES)
def test_people_by_name(sessions: SessionFactory, library: Library, monkeypatch: pytest.MonkeyPatch,
                        from_smallest: bool, names: list[str], groups: list[list[str]], match_all: bool) -> None:
    monkeypatch.setattr(search, "start_from_smallest", lambda people, photos: from_smallest)
    expected = _expected(sessions, library, groups, match_all) if groups else []
    query = PhotoQuery(person_names=names, person_match_all=match_all)
    assert _search(sessions, library.owner_id, query) == (expected, len(expected))
    # Pages are slices of the same order, and the count does not depend on the page.
    assert _search(sessions, library.owner_id, query, limit=4, offset=3) == (expected[3:7], len(expected))


@pytest.mark.parametrize(
    ("sizes", "photos", "from_smallest"),
    [
        ((7_976, 5_068), 100_000, True),  # seldom together: few shared photos, the walk reads thousands
        ((75_805, 2_538), 100_000, False),  # one is in most photos: a page is found in a short walk
        ((27_762, 13_581), 100_000, False),
        ((224, 75_805), 100_000, True),
        ((500, 400), 1, False),  # no estimate yet (never analysed): the largest person bounds the library
        ((772,), 100_000, True),  # one person in under 2% of the photos: a page is far apart in the walk
        ((62,), 100_000, True),
        ((5_068,), 100_000, False),
        ((75_805,), 100_000, False),
    ],
)
def test_the_plan_for_the_people_asked_for_follows_their_expected_overlap(
    sizes: tuple[int, ...], photos: int, from_smallest: bool
) -> None:
    people = [search.WantedPerson(cluster_ids=(uuid.uuid4(),), photo_count=size) for size in sizes]
    assert search.start_from_smallest(people, photos) is from_smallest


def test_people_by_id_and_name_together(sessions: SessionFactory, library: Library) -> None:
    ann, bob = library.people["Ann"], library.people["Bob"]
    both = _expected(sessions, library, [["Ann"], ["Bob"]], True)
    for query in (PhotoQuery(person_ids=[ann, bob]), PhotoQuery(person_ids=[ann], person_names=["Bob"])):
        assert _search(sessions, library.owner_id, query) == (both, len(both))
    only_bob = _expected(sessions, library, [["Bob"]], True)
    query = PhotoQuery(person_ids=[bob, bob], person_names=["Bob", "bob"])
    assert _search(sessions, library.owner_id, query) == (only_bob, len(only_bob))


def test_other_filters_with_people(sessions: SessionFactory, library: Library) -> None:
    after = BASE_TIME - timedelta(days=20)
    with sessions() as session:
        dated = set(session.exec(select(Photo.id).where(col(Photo.taken_at) >= after)).all())
    expected = [pid for pid in _expected(sessions, library, [["Ann"], ["Bob"]], True) if pid in dated]
    query = PhotoQuery(person_names=["Ann", "Bob"], taken_after=after)
    assert _search(sessions, library.owner_id, query) == (expected, len(expected))
    oldest_first = PhotoQuery(person_names=["Cid"], order=PhotoOrder.taken_asc)
    assert _search(sessions, library.owner_id, oldest_first)[0] == _expected(sessions, library, [["Cid"]], True)[::-1]


def test_another_libraries_people_match_nothing(sessions: SessionFactory, library: Library) -> None:
    stranger = make_user(sessions, "stranger")
    theirs = make_library(sessions, stranger.id, photos=3, people={"Ann": [0, 1, 2]})
    assert _search(sessions, library.owner_id, PhotoQuery(person_ids=[theirs.people["Ann"]])) == ([], 0)
    mine = _expected(sessions, library, [["Ann"]], True)
    assert _search(sessions, library.owner_id, PhotoQuery(person_ids=[theirs.people["Ann"], library.people["Ann"]],
                                                           person_match_all=False)) == (mine, len(mine))
    # Their "Ann" is not mine: the name resolves in the caller's library only.
    assert _search(sessions, stranger.id, PhotoQuery(person_names=["Ann"]))[1] == 3


def test_a_rename_is_seen_by_the_next_transaction(sessions: SessionFactory, library: Library) -> None:
    with sessions() as session:
        query = PhotoQuery(person_names=["Cid"])
        assert search.count_photos(session, owner_id=library.owner_id, query=query) == 4
        cluster = session.get(FaceCluster, library.people["Cid"])
        assert cluster is not None
        cluster.name, cluster.name_key = "Cyd", "cyd"
        session.add(cluster)
        session.commit()
        assert search.count_photos(session, owner_id=library.owner_id, query=query) == 0
        assert search.search_photos(session, owner_id=library.owner_id, query=query, limit=10, offset=0) == []


@pytest.mark.parametrize("from_smallest", [True, False, None], ids=["from-the-person", "walk-the-photos", "by-size"])
def test_a_page_of_photos_for_each_cluster(sessions: SessionFactory, library: Library,
                                           monkeypatch: pytest.MonkeyPatch, from_smallest: bool | None) -> None:
    if from_smallest is not None:
        monkeypatch.setattr(search, "start_from_smallest", lambda people, photos: from_smallest)
    names = ["Ann", "Cid", "Dup 2", "unnamed-4"]
    wanted = [library.people[name] for name in names]
    members = _members(library)
    counts = {cluster_id: len(members.get(cluster_id, ())) for cluster_id in wanted}
    with sessions() as session:
        first = batches.photos_of_clusters(session, photo_counts=counts, limit=5, offset=0)
        second = batches.photos_of_clusters(session, photo_counts=counts, limit=5, offset=5)
    for name, cluster_id in zip(names, wanted, strict=True):
        # The cluster's own photos, as the search by id would list them.
        expected = _expected(sessions, library, [[name]], True)
        assert [photo.id for photo in first.get(cluster_id, [])] == expected[:5]
        assert [photo.id for photo in second.get(cluster_id, [])] == expected[5:10]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_searches_are_planned_for_the_people_they_name(sessions: SessionFactory, library: Library) -> None:
    """psycopg prepares a statement after its fifth run; PostgreSQL must still plan each run for
    its cluster ids (core.db's plan_cache_mode), not settle on one plan blind to the people's sizes."""
    with sessions() as session:  # one transaction: one connection, whose prepared statements we read
        for _ in range(12):
            for names in (["Ann", "Bob"], ["Bob", "Cid"]):
                search.count_photos(session, owner_id=library.owner_id, query=PhotoQuery(person_names=names))
        plans = session.execute(sa.text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%count(DISTINCT%'"
        )).all()
    assert plans and all(generic == 0 and custom >= 12 for generic, custom in plans), plans


def test_each_page_of_photos_is_planned_for_its_clusters_size(sessions: SessionFactory, library: Library) -> None:
    """Cid (4 of 44 photos) is read from his faces up, Ann (40 of 44) by walking the photos newest
    first, in the same statement (search.start_from_smallest decides, as for photos(filter:))."""
    ann, cid = library.people["Ann"], library.people["Cid"]
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    with sessions() as session:
        engine = session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", seen)
        try:
            pages = batches.photos_of_clusters(session, photo_counts={ann: 40, cid: 4}, limit=3, offset=0)
        finally:
            sa.event.remove(engine, "before_cursor_execute", seen)
    assert [len(pages[ann]), len(pages[cid])] == [3, 3]
    assert "candidates_1 AS MATERIALIZED" in statements[-1] and "candidates_0" not in statements[-1], statements


def test_a_page_and_its_count_read_the_people_and_the_library_size_once(
        sessions: SessionFactory, library: Library) -> None:
    """Kept for the transaction (search._kept_in_transaction); the next transaction reads them again."""
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    query = PhotoQuery(person_names=["Cid"], taken_after=BASE_TIME - timedelta(days=1000))
    with sessions() as session:
        engine = session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", seen)
        try:
            for _ in range(2):
                search.search_photos(session, owner_id=library.owner_id, query=query, limit=10, offset=0)
                assert search.count_photos(session, owner_id=library.owner_id, query=query) == 4
                session.commit()
        finally:
            sa.event.remove(engine, "before_cursor_execute", seen)
    estimates = [s for s in statements if "reltuples" in s or "max(rowid)" in s]
    asked = [s for s in statements if "name_key IN" in s]
    assert len(estimates) == len(asked) == 2, statements  # once per transaction
