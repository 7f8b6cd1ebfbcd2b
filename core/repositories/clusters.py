"""Reads and writes of clusters (a named cluster is a person), their stats and separations."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from core.repositories.faces import chunks
from core.tables import ClusterSeparation, Face, FaceCluster, utcnow


def get_owned_clusters(
    session: Session, *, owner_id: uuid.UUID, cluster_ids: Sequence[uuid.UUID], lock: bool = False
) -> list[FaceCluster]:
    """The owner's clusters among ``cluster_ids``, in no particular order."""
    found: list[FaceCluster] = []
    for part in chunks(list(dict.fromkeys(cluster_ids))):
        query = select(FaceCluster).where(col(FaceCluster.id).in_(part), FaceCluster.owner_id == owner_id)
        if lock:
            query = query.with_for_update()
        found.extend(session.exec(query).all())
    return found


def get_clusters(session: Session, *, cluster_ids: Sequence[uuid.UUID]) -> list[FaceCluster]:
    found: list[FaceCluster] = []
    for part in chunks(list(dict.fromkeys(cluster_ids))):
        found.extend(session.exec(select(FaceCluster).where(col(FaceCluster.id).in_(part))).all())
    return found


def create_cluster(
    session: Session, *, owner_id: uuid.UUID, name: str | None = None, name_key: str | None = None
) -> FaceCluster:
    cluster = FaceCluster(owner_id=owner_id, name=name, name_key=name_key)
    session.add(cluster)
    session.flush()
    return cluster


def create_clusters(session: Session, *, owner_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    """``count`` new unnamed clusters in one executemany (a first recluster makes thousands)."""
    if count <= 0:
        return []
    session.flush()
    now = utcnow()
    ids = [uuid.uuid4() for _ in range(count)]
    rows = [{"id": i, "owner_id": owner_id, "created_at": now, "updated_at": now} for i in ids]
    session.execute(sa.insert(FaceCluster), rows)
    return ids


def find_person(
    session: Session, *, owner_id: uuid.UUID, name_key: str, exclude_id: uuid.UUID | None = None
) -> FaceCluster | None:
    """The owner's person with this folded name (the oldest, should a race have made two)."""
    query = select(FaceCluster).where(FaceCluster.owner_id == owner_id, FaceCluster.name_key == name_key)
    if exclude_id is not None:
        query = query.where(FaceCluster.id != exclude_id)
    return session.exec(query.order_by(col(FaceCluster.created_at), col(FaceCluster.id))).first()


def clusters_of_owner(session: Session, *, owner_id: uuid.UUID) -> list[FaceCluster]:
    return list(session.exec(select(FaceCluster).where(FaceCluster.owner_id == owner_id)).all())


def delete_clusters(session: Session, *, cluster_ids: Sequence[uuid.UUID]) -> None:
    """Delete clusters; their rejections and separations go with them (ON DELETE CASCADE)."""
    session.flush()
    for part in chunks(list(cluster_ids)):
        # Faces are normally moved out first; this keeps the FK right if one was not.
        session.execute(
            sa.update(Face).where(col(Face.cluster_id).in_(part)).values(cluster_id=None, assigned_by="none"),
            execution_options={"synchronize_session": False},
        )
        session.execute(
            sa.delete(FaceCluster).where(col(FaceCluster.id).in_(part)),
            execution_options={"synchronize_session": False},
        )
    session.expire_all()


def refresh_cluster_stats(session: Session, *, cluster_ids: Iterable[uuid.UUID | None]) -> set[uuid.UUID]:
    """Recount faces and photos, re-pick covers that left, delete unnamed clusters left empty.

    One grouped query for the counts and one for the covers, whatever the number of clusters.
    A named cluster (a person) is kept at zero faces: the name is the person's decision, and
    new photos of them will be assigned to it. Returns the ids of the clusters deleted.
    """
    ids = sorted({c for c in cluster_ids if c is not None})
    if not ids:
        return set()
    session.flush()
    counts: dict[uuid.UUID, tuple[int, int]] = {}
    for part in chunks(ids):
        query = (
            select(Face.cluster_id, sa.func.count(), sa.func.count(sa.distinct(col(Face.photo_id))))
            .where(col(Face.cluster_id).in_(part))
            .group_by(col(Face.cluster_id))
        )
        for cluster_id, faces, photos in session.exec(query):
            if cluster_id is not None:
                counts[cluster_id] = (int(faces), int(photos))
    clusters = get_clusters(session, cluster_ids=ids)
    empty = [c.id for c in clusters if c.id not in counts and c.name is None]
    kept = _covers_still_in_place(session, clusters=clusters)
    stale_cover = [c.id for c in clusters if c.id in counts and c.id not in kept]
    covers = best_faces(session, cluster_ids=stale_cover)
    now = utcnow()
    for cluster in clusters:
        faces, photos = counts.get(cluster.id, (0, 0))
        changed = (cluster.face_count, cluster.photo_count) != (faces, photos) or cluster.id in covers
        cluster.face_count, cluster.photo_count = faces, photos
        if faces == 0:
            changed = changed or cluster.cover_face_id is not None
            cluster.cover_face_id = None
        elif cluster.id in covers:
            cluster.cover_face_id = covers[cluster.id]
        if changed:
            cluster.updated_at = now
    session.flush()
    if empty:
        delete_clusters(session, cluster_ids=empty)
    return set(empty)


def _covers_still_in_place(session: Session, *, clusters: Sequence[FaceCluster]) -> set[uuid.UUID]:
    """Clusters whose cover face is still one of their faces."""
    cover_of = {c.cover_face_id: c.id for c in clusters if c.cover_face_id is not None}
    kept: set[uuid.UUID] = set()
    for part in chunks(list(cover_of)):
        for face_id, cluster_id in session.exec(select(Face.id, Face.cluster_id).where(col(Face.id).in_(part))):
            if cover_of[face_id] == cluster_id:
                kept.add(cluster_id)
    return kept


def best_faces(session: Session, *, cluster_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """The best face of each cluster (sharpest, then most confident), to show as its cover."""
    result: dict[uuid.UUID, uuid.UUID] = {}
    for part in chunks(list(cluster_ids)):
        rank = sa.func.row_number().over(
            partition_by=col(Face.cluster_id),
            order_by=(col(Face.quality).desc(), col(Face.detection_confidence).desc(), col(Face.id)),
        )
        ranked = (
            sa.select(col(Face.cluster_id).label("cluster_id"), col(Face.id).label("face_id"), rank.label("rank"))
            .where(col(Face.cluster_id).in_(part))
            .subquery()
        )
        for cluster_id, face_id in session.execute(
            sa.select(ranked.c.cluster_id, ranked.c.face_id).where(ranked.c.rank == 1)
        ):
            result[cluster_id] = face_id
    return result


def separation_key(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if a < b else (b, a)


def add_separations(session: Session, *, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Remember cluster pairs a person kept apart (idempotent, lower id first)."""
    wanted = {separation_key(a, b) for a, b in pairs if a != b}
    if not wanted:
        return
    involved = sorted({c for pair in wanted for c in pair})
    known = set(separations_of(session, cluster_ids=involved))
    for a, b in sorted(wanted - known):
        session.add(ClusterSeparation(cluster_a=a, cluster_b=b))
    session.flush()


def separations_of(session: Session, *, cluster_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Every separation that involves one of ``cluster_ids``."""
    found: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for part in chunks(list(cluster_ids)):
        query = select(ClusterSeparation.cluster_a, ClusterSeparation.cluster_b).where(
            sa.or_(col(ClusterSeparation.cluster_a).in_(part), col(ClusterSeparation.cluster_b).in_(part))
        )
        found.update(session.exec(query).all())
    return sorted(found)


def separations_of_owner(session: Session, *, owner_id: uuid.UUID) -> set[tuple[uuid.UUID, uuid.UUID]]:
    query = (
        select(ClusterSeparation.cluster_a, ClusterSeparation.cluster_b)
        .join(FaceCluster, col(FaceCluster.id) == col(ClusterSeparation.cluster_a))
        .where(FaceCluster.owner_id == owner_id)
    )
    return {(a, b) for a, b in session.exec(query)}


def delete_separations(session: Session, *, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
    for a, b in {separation_key(a, b) for a, b in pairs}:
        session.execute(
            sa.delete(ClusterSeparation).where(
                col(ClusterSeparation.cluster_a) == a, col(ClusterSeparation.cluster_b) == b
            )
        )
