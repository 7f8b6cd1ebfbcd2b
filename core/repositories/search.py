"""Photo search: every filter of ``photos(filter:)`` as one SQL statement; the faces, clusters and
places lists with their filters. The loaders' batch reads by id are in ``core.repositories.batches``."""

from __future__ import annotations

import enum
import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from core.media import fold
from core.repositories.rows import (
    CLUSTER_COLUMNS,
    CLUSTERS,
    FACE_COLUMNS,
    FACES,
    PHOTO_COLUMNS,
    ClusterRow,
    FaceRow,
    PhotoRow,
    read_rows,
)
from core.tables import AlbumPhoto, Face, FaceCluster, Photo, PhotoLabel


class PhotoOrder(enum.StrEnum):
    taken_desc = "taken_desc"
    taken_asc = "taken_asc"
    uploaded_desc = "uploaded_desc"
    uploaded_asc = "uploaded_asc"


@dataclass(frozen=True)
class PhotoQuery:
    """What ``photos(filter:)`` asks for; empty fields do not filter."""

    person_ids: Sequence[uuid.UUID] = ()
    person_names: Sequence[str] = ()
    person_match_all: bool = True
    taken_after: datetime | None = None
    taken_before: datetime | None = None
    place: str | None = None
    country: str | None = None
    camera: str | None = None
    labels: Sequence[str] = ()
    has_faces: bool | None = None
    has_unknown_faces: bool | None = None
    text: str | None = None
    album_id: uuid.UUID | None = None
    order: PhotoOrder = PhotoOrder.taken_desc


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's own wildcards escaped (the escape character is a backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Any, text: str) -> sa.ColumnElement[bool]:
    return sa.func.lower(column).like(like_pattern(text.lower()), escape="\\")


# Another face of the same photo, in the search's EXISTS: made once (the ORM's aliased() cost ~600
# Python calls a search, a fresh Core alias ~400).
_OTHER_FACE = FACES.id.table.alias()

# Photos a first page needs found (a page of 50 and one more to know there is a next page).
PAGE_ROWS = 51
_PEOPLE_CACHE = "facesort.search.people"
_PHOTOS_CACHE = "facesort.search.library_photos"
T = TypeVar("T")


@dataclass(frozen=True)
class WantedPerson:
    """One person a search asks for: the owner's clusters behind a name or id, and their photo count."""

    cluster_ids: tuple[uuid.UUID, ...]
    photo_count: int


# The owner's clusters with one of the names (folded) or ids a search asks for: built once (Core),
# the values bound per search (building it each time cost ~260 Python calls).
_CLUSTERS_ASKED = sa.select(CLUSTERS.id, CLUSTERS.name_key, CLUSTERS.photo_count).where(
    CLUSTERS.owner_id == sa.bindparam("owner_id"),
    sa.or_(CLUSTERS.name_key.in_(sa.bindparam("keys", expanding=True)),
           CLUSTERS.id.in_(sa.bindparam("ids", expanding=True))),
)


def _wanted_keys(query: PhotoQuery) -> tuple[tuple[str, ...], tuple[uuid.UUID, ...]]:
    keys = tuple(key for key in dict.fromkeys(fold(name) for name in query.person_names) if key)
    return keys, tuple(dict.fromkeys(query.person_ids))


def wanted_people(session: Session, *, owner_id: uuid.UUID, query: PhotoQuery) -> list[WantedPerson] | None:
    """The people ``query`` asks for, as cluster ids; None when it asks for nobody.

    One small query turns names into ids first, so that the photo query carries plain cluster ids
    and the planner can use its statistics of each cluster's size to choose between walking the
    photos newest first and starting from the person's faces. For ALL, a name or id nobody in the
    library has gives a person with no clusters (no photo matches); for ANY, the people found are
    merged into one. The answer is kept for the rest of the session's transaction, so the page and
    its count resolve the names once.
    """
    keys, ids = _wanted_keys(query)
    if not keys and not ids:
        return None
    match_all = query.person_match_all
    return list(_kept_in_transaction(session, _PEOPLE_CACHE, (owner_id, keys, ids, match_all),
                                     lambda: _people_asked(session, owner_id, keys, ids, match_all)))


def _kept_in_transaction(session: Session, name: str, key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, kept in ``session.info[name]`` for the rest of the session's transaction while
    ``key`` is the same (a change made in one transaction is seen by the next)."""
    kept = session.info.get(name)
    if kept is not None and kept[0] is session.get_transaction() and kept[1] == key:
        return cast("T", kept[2])
    value = make()
    session.info[name] = (session.get_transaction(), key, value)
    return value


def _people_asked(
    session: Session, owner_id: uuid.UUID, keys: tuple[str, ...], ids: tuple[uuid.UUID, ...], match_all: bool
) -> tuple[WantedPerson, ...]:
    found = session.connection().execute(_CLUSTERS_ASKED, {"owner_id": owner_id, "keys": list(keys), "ids": list(ids)})
    clusters: dict[str | uuid.UUID, list[tuple[uuid.UUID, int]]] = defaultdict(list)
    for cluster_id, name_key, photo_count in found.all():
        if cluster_id in ids:
            clusters[cluster_id].append((cluster_id, photo_count))
        if name_key in keys:
            clusters[name_key].append((cluster_id, photo_count))
    asked: list[str | uuid.UUID] = [*ids, *keys]
    groups = [clusters[key] for key in asked]
    if not match_all:
        groups = [[pair for group in groups for pair in group]]
    people = [
        WantedPerson(cluster_ids=tuple(dict.fromkeys(cid for cid, _ in group)),
                     photo_count=sum(dict(group).values()))
        for group in groups
    ]
    return tuple({person.cluster_ids: person for person in people}.values())


def _photo_ids_of(person: WantedPerson) -> sa.Select[Any]:
    return select(Face.photo_id).where(col(Face.cluster_id).in_(person.cluster_ids))


def _in_photo(face: Any, person: WantedPerson) -> sa.ColumnElement[bool]:
    """This face's photo also shows ``person``."""
    other = _OTHER_FACE  # each EXISTS is a scope of its own, so one alias serves them all
    return sa.exists().where(other.c.photo_id == face.photo_id, other.c.cluster_id.in_(person.cluster_ids))


def library_photos(session: Session) -> int:
    """About how many photos the database holds, at no cost: PostgreSQL's own estimate (its
    statistics), SQLite's highest rowid. A count would cost a scan of the photos per search.
    Kept for the rest of the session's transaction: a page and its count ask once."""
    return _kept_in_transaction(session, _PHOTOS_CACHE, None, lambda: _photos_estimate(session))


_POSTGRES_ESTIMATE = sa.text("SELECT reltuples FROM pg_class WHERE oid = 'photos'::regclass")
_SQLITE_ESTIMATE = sa.text("SELECT max(rowid) FROM photos")


def _photos_estimate(session: Session) -> int:
    postgres = session.get_bind().dialect.name == "postgresql"
    statement = _POSTGRES_ESTIMATE if postgres else _SQLITE_ESTIMATE
    estimate = session.connection().execute(statement).scalar()
    return max(int(estimate or 0), 1)


def start_from_smallest(people: Sequence[WantedPerson], photos: int) -> bool:
    """For ALL of the people asked for (one or several): whether to search from the smallest
    person's photos up, or to walk the library newest first and stop at the first page.

    From the smallest person: their faces, each photo checked for the others, the survivors
    sorted (cost ~ smallest + overlap). The walk: each photo checked for everyone until a page
    is found (cost ~ a page x photos / overlap). The overlap is estimated as if the people were
    independent (measured on bench.api's 100k photos: 7,976 and 5,068 photos, 209 shared: 29 ms
    walking, 4 ms from the smallest; 75,805 and 2,538, about 1,900 shared: 15 ms from the
    smallest, a few ms walking). The planner cannot make this choice itself: it sees one
    person's cluster ids at a time, not how their photos overlap. For one person it sees the
    cluster's size, but it walks too long for people in about 1% of the photos (772 of 100k:
    28 ms walking, 11 ms from the person; 1,261: 21 and 13 ms; 1,536: 15 and 18 ms), where this
    rule turns at about 1,600.
    """
    sizes = sorted(person.photo_count for person in people)
    photos = max(photos, sizes[-1])  # a table never analysed has no estimate yet
    overlap = float(sizes[0])
    for size in sizes[1:]:
        overlap *= size / photos
    walk = PAGE_ROWS * photos / max(overlap, 1.0)
    return sizes[0] + overlap <= walk


def person_conditions(
    session: Session, people: Sequence[WantedPerson], *, name: str = "candidates"
) -> list[sa.ColumnElement[bool]]:
    """Photos showing all of ``people``, planned by :func:`start_from_smallest`; ``name`` names
    the candidates' CTE (one per page when a statement holds several pages)."""
    if any(not person.cluster_ids for person in people):
        return [sa.false()]
    people = sorted(people, key=lambda person: person.photo_count)
    smallest, others = people[0], people[1:]
    if start_from_smallest(people, library_photos(session)):
        # MATERIALIZED keeps the planner from folding the few candidates back into a walk.
        candidates = (
            select(Face.photo_id)
            .where(col(Face.cluster_id).in_(smallest.cluster_ids), *(_in_photo(Face, p) for p in others))
            .cte(name).prefix_with("MATERIALIZED")
        )
        return [col(Photo.id).in_(select(candidates.c.photo_id))]
    return [col(Photo.id).in_(_photo_ids_of(person)) for person in people]


def _photo_conditions(
    session: Session, owner_id: uuid.UUID, query: PhotoQuery, people: Sequence[WantedPerson] | None = None
) -> list[sa.ColumnElement[bool]]:
    """The WHERE of a search; ``people`` are ``wanted_people(...)`` of the same query."""
    where: list[sa.ColumnElement[bool]] = [col(Photo.owner_id) == owner_id]
    if people is not None:
        where += person_conditions(session, people)
    where += _photo_filters(query)
    return where


def _photo_filters(query: PhotoQuery) -> list[sa.ColumnElement[bool]]:
    """Conditions on anything but the people."""
    where: list[sa.ColumnElement[bool]] = []
    if query.taken_after is not None:
        where.append(col(Photo.taken_at) >= query.taken_after)
    if query.taken_before is not None:
        where.append(col(Photo.taken_at) < query.taken_before)
    if query.place:
        where.append(_contains(Photo.location, query.place))
    if query.country:
        where.append(sa.func.lower(Photo.country) == query.country.strip().lower())
    if query.camera:
        where.append(_contains(Photo.camera, query.camera))
    for key in dict.fromkeys(fold(label) for label in query.labels):
        where.append(col(Photo.id).in_(select(PhotoLabel.photo_id).where(PhotoLabel.label_key == key)))
    if query.has_faces is not None:
        with_faces = col(Photo.id).in_(select(Face.photo_id))
        where.append(with_faces if query.has_faces else sa.not_(with_faces))
    if query.has_unknown_faces is not None:
        unknown = col(Photo.id).in_(select(Face.photo_id).where(col(Face.cluster_id).is_(None)))
        where.append(unknown if query.has_unknown_faces else sa.not_(unknown))
    if query.text and query.text.strip():
        text = query.text.strip()
        # A union, not an OR of the three: each part can then use its own (trigram) index.
        named, placed = aliased(Photo), aliased(Photo)
        matching = sa.union(
            select(named.id).where(_contains(named.file_name, text)),
            select(placed.id).where(_contains(placed.location, text)),
            select(PhotoLabel.photo_id).where(col(PhotoLabel.label_key).like(like_pattern(fold(text)), escape="\\")),
        )
        where.append(col(Photo.id).in_(matching))
    if query.album_id is not None:
        where.append(col(Photo.id).in_(select(AlbumPhoto.photo_id).where(AlbumPhoto.album_id == query.album_id)))
    return where


def photo_ordering(order: PhotoOrder) -> list[Any]:
    # Newest first puts not-yet-dated (just uploaded) photos on top, which is where a person looks.
    # taken_desc is ix_photos_owner_taken read backwards, so a page can stop after its rows.
    if order == PhotoOrder.taken_desc:
        return [col(Photo.taken_at).desc().nulls_first(), col(Photo.id).desc()]
    if order == PhotoOrder.taken_asc:
        return [col(Photo.taken_at).asc().nulls_last(), col(Photo.id).asc()]
    if order == PhotoOrder.uploaded_desc:
        return [col(Photo.upload_date).desc(), col(Photo.id).desc()]
    return [col(Photo.upload_date).asc(), col(Photo.id).asc()]


def search_photos(
    session: Session, *, owner_id: uuid.UUID, query: PhotoQuery, limit: int, offset: int
) -> list[PhotoRow]:
    people = wanted_people(session, owner_id=owner_id, query=query)
    if people is not None and any(not person.cluster_ids for person in people):
        return []
    statement = (
        sa.select(*PHOTO_COLUMNS).where(*_photo_conditions(session, owner_id, query, people))
        .order_by(*photo_ordering(query.order)).limit(limit).offset(offset)
    )
    return read_rows(session, statement, PhotoRow)


def count_photos(session: Session, *, owner_id: uuid.UUID, query: PhotoQuery) -> int:
    people = wanted_people(session, owner_id=owner_id, query=query)
    if people is None or _photo_filters(query):
        statement = select(sa.func.count()).select_from(Photo).where(
            *_photo_conditions(session, owner_id, query, people)
        )
        return int(session.exec(statement).one())
    return _count_photos_of(session, people)


def _count_photos_of(session: Session, people: Sequence[WantedPerson]) -> int:
    """Photos showing every one of ``people``, counted on the faces' (cluster, photo) index alone.

    The people are the owner's clusters, so their faces are on the owner's photos: no photo row
    needs reading. One person who is one cluster has the count the cluster keeps (the number the
    people list shows, recounted in the transaction of every change to the cluster's faces).
    """
    if any(not person.cluster_ids for person in people):
        return 0
    people = sorted(people, key=lambda person: person.photo_count)
    smallest, others = people[0], people[1:]
    if not others and len(smallest.cluster_ids) == 1:
        return smallest.photo_count
    statement = select(sa.func.count(sa.distinct(col(Face.photo_id)))).where(
        col(Face.cluster_id).in_(smallest.cluster_ids), *(_in_photo(Face, person) for person in others)
    )
    return int(session.exec(statement).one())


@dataclass(frozen=True)
class PlaceCount:
    name: str
    country: str | None
    photo_count: int


def places(session: Session, *, owner_id: uuid.UUID, limit: int, offset: int) -> list[PlaceCount]:
    """Places the owner's photos were taken at, most photographed first."""
    count = sa.func.count().label("n")
    query = (
        select(Photo.location, Photo.country, count)
        .where(Photo.owner_id == owner_id, col(Photo.location).is_not(None))
        .group_by(col(Photo.location), col(Photo.country))
        .order_by(count.desc(), col(Photo.location), col(Photo.country))
        .limit(limit).offset(offset)
    )
    rows = session.exec(query).all()
    return [PlaceCount(name=name or "", country=country, photo_count=int(n)) for name, country, n in rows]


def count_places(session: Session, *, owner_id: uuid.UUID) -> int:
    groups = (
        select(Photo.location, Photo.country)
        .where(Photo.owner_id == owner_id, col(Photo.location).is_not(None))
        .group_by(col(Photo.location), col(Photo.country)).subquery()
    )
    return int(session.exec(select(sa.func.count()).select_from(groups)).one())


@dataclass(frozen=True)
class FaceQuery:
    cluster_id: uuid.UUID | None = None
    photo_id: uuid.UUID | None = None
    unknown: bool | None = None
    assigned_by: str | None = None
    min_quality: float | None = None


def _face_conditions(owner_id: uuid.UUID, query: FaceQuery) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [col(Face.owner_id) == owner_id]
    if query.cluster_id is not None:
        where.append(col(Face.cluster_id) == query.cluster_id)
    if query.photo_id is not None:
        where.append(col(Face.photo_id) == query.photo_id)
    if query.unknown is not None:
        where.append(col(Face.cluster_id).is_(None) if query.unknown else col(Face.cluster_id).is_not(None))
    if query.assigned_by is not None:
        where.append(col(Face.assigned_by) == query.assigned_by)
    if query.min_quality is not None:
        where.append(col(Face.quality) >= query.min_quality)
    return where


def search_faces(
    session: Session, *, owner_id: uuid.UUID, query: FaceQuery, limit: int, offset: int
) -> list[FaceRow]:
    statement = (
        sa.select(*FACE_COLUMNS).where(*_face_conditions(owner_id, query))
        .order_by(col(Face.created_at).desc(), col(Face.id).desc()).limit(limit).offset(offset)
    )
    return read_rows(session, statement, FaceRow)


def count_faces(session: Session, *, owner_id: uuid.UUID, query: FaceQuery) -> int:
    statement = select(sa.func.count()).select_from(Face).where(*_face_conditions(owner_id, query))
    return int(session.exec(statement).one())


@dataclass(frozen=True)
class ClusterQuery:
    named: bool | None = None
    hidden: bool | None = None
    min_faces: int | None = None
    name: str | None = None  # people(name:): folded prefix or substring of the name


def _cluster_conditions(owner_id: uuid.UUID, query: ClusterQuery) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [col(FaceCluster.owner_id) == owner_id]
    if query.named is not None:
        where.append(col(FaceCluster.name_key).is_not(None) if query.named else col(FaceCluster.name_key).is_(None))
    if query.hidden is not None:
        where.append(col(FaceCluster.hidden).is_(query.hidden))
    if query.min_faces is not None:
        where.append(col(FaceCluster.face_count) >= query.min_faces)
    if query.name and fold(query.name):
        where.append(col(FaceCluster.name_key).like(like_pattern(fold(query.name)), escape="\\"))
    return where


def search_clusters(
    session: Session, *, owner_id: uuid.UUID, query: ClusterQuery, limit: int, offset: int
) -> list[ClusterRow]:
    """Clusters by size; with a name, the names starting with it first, then those containing it."""
    order: list[Any] = []
    key = fold(query.name) if query.name else ""
    if key:
        prefix = col(FaceCluster.name_key).like(like_pattern(key)[1:], escape="\\")
        order.append(sa.case((prefix, 0), else_=1))
    order += [col(FaceCluster.face_count).desc(), col(FaceCluster.name_key), col(FaceCluster.id)]
    statement = (
        sa.select(*CLUSTER_COLUMNS).where(*_cluster_conditions(owner_id, query)).order_by(*order)
        .limit(limit).offset(offset)
    )
    return read_rows(session, statement, ClusterRow)


def count_clusters(session: Session, *, owner_id: uuid.UUID, query: ClusterQuery) -> int:
    statement = select(sa.func.count()).select_from(FaceCluster).where(*_cluster_conditions(owner_id, query))
    return int(session.exec(statement).one())
