"""The GraphQL loaders' batch reads: one statement per batch of ids (``= ANY`` on PostgreSQL,
``IN`` on SQLite), rows handed back per key."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.repositories.rows import (
    CLUSTERS,
    FACE_COLUMNS,
    FACES,
    PHOTO_COLUMNS,
    PHOTOS,
    ClusterRow,
    FaceRow,
    PhotoRow,
    owned_rows,
    read_rows,
)
from core.repositories.search import PhotoOrder, WantedPerson, person_conditions, photo_ordering
from core.tables import FaceCluster, Photo, PhotoLabel


def photos_by_id(
    session: Session, *, owner_id: uuid.UUID, photo_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, PhotoRow]:
    return {photo.id: photo for photo in owned_rows(session, PhotoRow, PHOTOS.id, photo_ids, owner_id)}


def faces_by_id(session: Session, *, owner_id: uuid.UUID, face_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, FaceRow]:
    return {face.id: face for face in owned_rows(session, FaceRow, FACES.id, face_ids, owner_id)}


def clusters_by_id(
    session: Session, *, owner_id: uuid.UUID, cluster_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ClusterRow]:
    return {cluster.id: cluster for cluster in owned_rows(session, ClusterRow, CLUSTERS.id, cluster_ids, owner_id)}


def faces_of_photos(
    session: Session, *, owner_id: uuid.UUID, photo_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[FaceRow]]:
    found: dict[uuid.UUID, list[FaceRow]] = defaultdict(list)
    for face in owned_rows(session, FaceRow, FACES.photo_id, photo_ids, owner_id):
        found[face.photo_id].append(face)
    # Left to right, as a person reads a group photo (the id breaks ties: the order is the sort's alone).
    for faces in found.values():
        faces.sort(key=lambda face: (float(face.face_location.get("x", 0.0)), face.id))  # ids order as their text
    return found


def labels_of_photos(session: Session, *, photo_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    query = (
        select(PhotoLabel.photo_id, PhotoLabel.label).where(col(PhotoLabel.photo_id).in_(photo_ids))
        .order_by(col(PhotoLabel.label_key))
    )
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    for photo_id, label in session.exec(query).all():
        found[photo_id].append(label)
    return found


def faces_of_clusters(
    session: Session, *, cluster_ids: Sequence[uuid.UUID], limit: int, offset: int
) -> dict[uuid.UUID, list[FaceRow]]:
    """A page of each cluster's faces, best first (one window query for all clusters)."""
    rank = sa.func.row_number().over(partition_by=FACES.cluster_id, order_by=(FACES.quality.desc(), FACES.id))
    inner = sa.select(FACES.id.label("face_id"), rank.label("rank")).where(FACES.cluster_id.in_(cluster_ids)).subquery()
    query = (
        sa.select(*FACE_COLUMNS).join(inner, inner.c.face_id == FACES.id)
        .where(inner.c.rank > offset, inner.c.rank <= offset + limit).order_by(inner.c.rank)
    )
    found: dict[uuid.UUID, list[FaceRow]] = defaultdict(list)
    for face in read_rows(session, query, FaceRow):
        if face.cluster_id is not None:
            found[face.cluster_id].append(face)
    return found


def photos_of_clusters(
    session: Session, *, photo_counts: Mapping[uuid.UUID, int], limit: int, offset: int
) -> dict[uuid.UUID, list[PhotoRow]]:
    """A page of photos, newest first, of each cluster ``photo_counts`` gives the size of, in one statement.

    Each cluster's page is its own part of a UNION ALL, planned as ``photos(filter: {personIds})``
    is (search.person_conditions): a big cluster walks ix_photos_owner_taken and stops at the page,
    a small one gathers its photos and sorts them. (One window over every photo of the clusters
    read all 75k photos of a person in 75% of a 100k library to show 50.)
    """
    if not photo_counts:
        return {}
    parts = []
    for index, (cluster_id, photo_count) in enumerate(photo_counts.items()):
        person = WantedPerson(cluster_ids=(cluster_id,), photo_count=photo_count)
        # The cluster's owner as a sub-select: the walk needs it first in the index.
        owner = select(FaceCluster.owner_id).where(FaceCluster.id == cluster_id).scalar_subquery()
        page = (
            select(sa.literal(cluster_id, sa.Uuid()).label("cluster_id"),
                   col(Photo.id).label("photo_id"))
            .where(col(Photo.owner_id) == owner, *person_conditions(session, [person], name=f"candidates_{index}"))
            .order_by(*photo_ordering(PhotoOrder.taken_desc)).limit(limit).offset(offset).subquery()
        )
        parts.append(select(page.c.cluster_id, page.c.photo_id))
    pages = sa.union_all(*parts).subquery()
    query = (
        sa.select(pages.c.cluster_id, *PHOTO_COLUMNS).join(Photo, col(Photo.id) == pages.c.photo_id)
        .order_by(pages.c.cluster_id, *photo_ordering(PhotoOrder.taken_desc))
    )
    found: dict[uuid.UUID, list[PhotoRow]] = defaultdict(list)
    make = PhotoRow._make
    for row in session.execute(query):
        found[row[0]].append(make(row[1:]))
    return found
