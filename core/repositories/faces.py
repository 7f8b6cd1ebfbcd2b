"""Reads and writes of face rows: cluster membership, rejections, embeddings in batches."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from numpy.typing import NDArray
from sqlmodel import Session, col, select

from core.tables import AssignedBy, Face, FaceRejection, utcnow

# Bind parameters per IN list: far below SQLite's 32766 and PostgreSQL's 65535.
CHUNK = 2000


def chunks(ids: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def decode_embedding(data: bytes) -> NDArray[np.float32]:
    return np.frombuffer(data, dtype=np.float32)


def get_owned_faces(session: Session, *, owner_id: uuid.UUID, face_ids: Sequence[uuid.UUID]) -> list[Face]:
    """The owner's faces among ``face_ids`` (others' and unknown ids are left out)."""
    found: list[Face] = []
    for part in chunks(list(dict.fromkeys(face_ids))):
        query = select(Face).where(col(Face.id).in_(part), Face.owner_id == owner_id)
        found.extend(session.exec(query).all())
    return found


def cluster_of_faces(session: Session, *, face_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID | None]:
    """Current cluster of each face that still exists (the vector index may lag behind SQL)."""
    result: dict[uuid.UUID, uuid.UUID | None] = {}
    for part in chunks(list(dict.fromkeys(face_ids))):
        for face_id, cluster_id in session.exec(select(Face.id, Face.cluster_id).where(col(Face.id).in_(part))):
            result[face_id] = cluster_id
    return result


def face_ids_in_clusters(session: Session, *, cluster_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    found: list[uuid.UUID] = []
    for part in chunks(list(cluster_ids)):
        found.extend(session.exec(select(Face.id).where(col(Face.cluster_id).in_(part))).all())
    return found


@dataclass(frozen=True)
class UnassignedFace:
    id: uuid.UUID
    owner_id: uuid.UUID
    photo_id: uuid.UUID
    embedding: NDArray[np.float32]


def unassigned_faces(
    session: Session, *, face_ids: Sequence[uuid.UUID], model: str, dim: int
) -> list[UnassignedFace]:
    """Faces among ``face_ids`` that automatic assignment may place: no cluster, no one's decision,
    embedded by ``model`` (the one the vector index holds; another model's wait for a re-embedding).

    Low-quality faces included: they never start or grow a cluster in a recluster, but a whole
    cluster of good faces is strong enough evidence to place them.
    """
    found: list[UnassignedFace] = []
    for part in chunks(list(dict.fromkeys(face_ids))):
        query = select(Face.id, Face.owner_id, Face.photo_id, Face.face_embedding).where(
            col(Face.id).in_(part),
            col(Face.cluster_id).is_(None),
            Face.assigned_by == AssignedBy.none,
            Face.embedding_model == model,
            Face.embedding_dim == dim,
        )
        for face_id, owner_id, photo_id, data in session.exec(query):
            found.append(UnassignedFace(face_id, owner_id, photo_id, decode_embedding(data)))
    return found


def clusters_in_photos(
    session: Session, *, photo_ids: Sequence[uuid.UUID], except_face_ids: Iterable[uuid.UUID] = ()
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Clusters already present in each photo (a person appears once per photo)."""
    skip = set(except_face_ids)
    result: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for part in chunks(list(dict.fromkeys(photo_ids))):
        query = select(Face.id, Face.photo_id, Face.cluster_id).where(
            col(Face.photo_id).in_(part), col(Face.cluster_id).is_not(None)
        )
        for face_id, photo_id, cluster_id in session.exec(query):
            if face_id not in skip and cluster_id is not None:
                result[photo_id].add(cluster_id)
    return dict(result)


def clusters_seen_together(
    session: Session, *, cluster_ids: Sequence[uuid.UUID]
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """Pairs (lower id first) of these clusters that have faces in one photo."""
    wanted = set(cluster_ids)
    photos: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for part in chunks(sorted(wanted)):
        query = select(Face.photo_id, Face.cluster_id).where(col(Face.cluster_id).in_(part))
        for photo_id, cluster_id in session.exec(query):
            if cluster_id is not None:
                photos[photo_id].add(cluster_id)
    pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for present in photos.values():
        ordered = sorted(present)
        pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    return pairs


def rejected_clusters(session: Session, *, face_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    result: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for part in chunks(list(dict.fromkeys(face_ids))):
        query = select(FaceRejection.face_id, FaceRejection.cluster_id).where(col(FaceRejection.face_id).in_(part))
        for face_id, cluster_id in session.exec(query):
            result[face_id].add(cluster_id)
    return dict(result)


def rejections_of_owner(session: Session, *, owner_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Every (face, cluster) "not this person" pair of the owner."""
    query = (
        select(FaceRejection.face_id, FaceRejection.cluster_id)
        .join(Face, col(Face.id) == col(FaceRejection.face_id))
        .where(Face.owner_id == owner_id)
    )
    return [(face_id, cluster_id) for face_id, cluster_id in session.exec(query)]


def add_rejections(session: Session, *, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Remember (face, cluster) pairs; pairs already remembered are kept as they are."""
    wanted = set(pairs)
    if not wanted:
        return
    known = rejected_clusters(session, face_ids=[face_id for face_id, _ in wanted])
    for face_id, cluster_id in sorted(wanted):
        if cluster_id not in known.get(face_id, set()):
            session.add(FaceRejection(face_id=face_id, cluster_id=cluster_id))
    session.flush()


def forget_rejections(session: Session, *, face_ids: Sequence[uuid.UUID], cluster_id: uuid.UUID) -> None:
    for part in chunks(list(face_ids)):
        session.execute(
            sa.delete(FaceRejection).where(
                col(FaceRejection.face_id).in_(part), col(FaceRejection.cluster_id) == cluster_id
            )
        )


def rejections_from(session: Session, *, cluster_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, uuid.UUID]]:
    found: list[tuple[uuid.UUID, uuid.UUID]] = []
    for part in chunks(list(cluster_ids)):
        query = select(FaceRejection.face_id, FaceRejection.cluster_id).where(col(FaceRejection.cluster_id).in_(part))
        found.extend(session.exec(query).all())
    return found


def set_cluster(
    session: Session,
    *,
    face_ids: Sequence[uuid.UUID],
    cluster_id: uuid.UUID | None,
    assigned_by: AssignedBy,
    unless_user: bool = False,
) -> int:
    """Put faces in a cluster (or none); with ``unless_user`` faces a person placed are left alone.

    Returns how many rows changed, so an automatic step can tell when a person got there first.
    """
    changed = 0
    now = utcnow()
    session.flush()  # pending changes would be lost by the expire below
    for part in chunks(list(face_ids)):
        update = sa.update(Face).where(col(Face.id).in_(part))
        if unless_user:
            update = update.where(col(Face.assigned_by) != AssignedBy.user)
        result = session.execute(
            update.values(cluster_id=cluster_id, assigned_by=assigned_by, updated_at=now),
            execution_options={"synchronize_session": False},
        )
        changed += int(getattr(result, "rowcount", 0) or 0)
    session.expire_all()
    return changed


def assign_unassigned(
    session: Session, *, assignments: Iterable[tuple[uuid.UUID, uuid.UUID]], assigned_by: AssignedBy
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Place faces that are still unknown and undecided; returns the (face, cluster) pairs written.

    One executemany for all faces, guarded so a concurrent correction wins: a face a person
    touched meanwhile keeps what the person did, and is left out of the result.
    """
    wanted = dict(assignments)
    if not wanted:
        return []
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        _assign_through_temp_table(session, wanted, assigned_by)
    else:
        _assign_executemany(session, wanted, assigned_by)
    session.expire_all()
    now_in = cluster_of_faces(session, face_ids=list(wanted))
    return [(f, c) for f, c in wanted.items() if now_in.get(f) == c]


def _assign_executemany(session: Session, wanted: dict[uuid.UUID, uuid.UUID], assigned_by: AssignedBy) -> None:
    # Core, not ORM: psycopg pipelines the executemany, one round trip per chunk.
    faces: sa.Table = Face.__table__  # type: ignore[attr-defined]
    guarded = (
        sa.update(faces)
        .where(
            faces.c.record_id == sa.bindparam("face"),
            faces.c.cluster_id.is_(None),
            faces.c.assigned_by == AssignedBy.none.value,
        )
        .values(cluster_id=sa.bindparam("cluster"), assigned_by=assigned_by.value, updated_at=utcnow())
    )
    rows = [{"face": f, "cluster": c} for f, c in wanted.items()]
    for part in chunks(rows, 5000):
        session.connection().execute(guarded, list(part))


def _assign_through_temp_table(
    session: Session, wanted: dict[uuid.UUID, uuid.UUID], assigned_by: AssignedBy
) -> None:
    """One UPDATE joined to a temp table: 3x faster than a row-by-row executemany on SQLite.

    SQLAlchemy stores UUIDs on SQLite as 32 hex digits; the temp table holds them the same way.
    """
    connection = session.connection()
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS people_plan (face_id CHAR(32) PRIMARY KEY, cluster_id CHAR(32) NOT NULL)"
    )
    connection.exec_driver_sql("DELETE FROM people_plan")
    connection.exec_driver_sql("INSERT INTO people_plan VALUES (?, ?)", [(f.hex, c.hex) for f, c in wanted.items()])
    stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
    connection.exec_driver_sql(
        "UPDATE faces SET cluster_id = (SELECT cluster_id FROM people_plan WHERE face_id = faces.record_id),"
        " assigned_by = ?, updated_at = ?"
        " WHERE record_id IN (SELECT face_id FROM people_plan) AND cluster_id IS NULL AND assigned_by = ?",
        (assigned_by.value, stamp, AssignedBy.none.value),
    )
    connection.exec_driver_sql("DELETE FROM people_plan")


def sample_faces(
    session: Session, *, cluster_ids: Sequence[uuid.UUID], per_cluster: int, model: str, dim: int
) -> dict[uuid.UUID, tuple[NDArray[np.float32], list[uuid.UUID]]]:
    """Up to ``per_cluster`` best faces of each cluster embedded by ``model``: their embeddings and photos."""
    found: dict[uuid.UUID, list[tuple[uuid.UUID, bytes]]] = defaultdict(list)
    for part in chunks(list(cluster_ids)):
        rank = sa.func.row_number().over(
            partition_by=col(Face.cluster_id), order_by=(col(Face.quality).desc(), col(Face.id))
        )
        ranked = (
            sa.select(
                col(Face.cluster_id).label("cluster_id"),
                col(Face.photo_id).label("photo_id"),
                col(Face.face_embedding).label("embedding"),
                rank.label("rank"),
            )
            .where(
                col(Face.cluster_id).in_(part), col(Face.embedding_model) == model, col(Face.embedding_dim) == dim
            )
            .subquery()
        )
        query = sa.select(ranked.c.cluster_id, ranked.c.photo_id, ranked.c.embedding).where(
            ranked.c.rank <= per_cluster
        )
        for cluster_id, photo_id, data in session.execute(query):
            found[cluster_id].append((photo_id, data))
    return {
        cluster_id: (np.stack([decode_embedding(d) for _, d in rows]), [p for p, _ in rows])
        for cluster_id, rows in found.items()
    }


@dataclass(frozen=True)
class FaceBatch:
    """Columns of many faces at once; ``embeddings`` is float32, one row per face."""

    ids: list[uuid.UUID]
    photo_ids: list[uuid.UUID]
    cluster_ids: list[uuid.UUID | None]
    assigned_by: list[str]
    embeddings: NDArray[np.float32]


def _batch_from_rows(rows: Sequence[Any], dim: int) -> FaceBatch:
    embeddings = np.empty((len(rows), dim), dtype=np.float32)
    for i, row in enumerate(rows):
        embeddings[i] = decode_embedding(row[4])
    return FaceBatch(
        ids=[row[0] for row in rows],
        photo_ids=[row[1] for row in rows],
        cluster_ids=[row[2] for row in rows],
        assigned_by=[row[3] for row in rows],
        embeddings=embeddings,
    )


def load_faces(
    session: Session,
    *,
    owner_id: uuid.UUID,
    model: str,
    dim: int,
    unknown: bool = False,
    cluster_ids: Sequence[uuid.UUID] = (),
    clusterable_only: bool = True,
    batch_size: int = 5000,
) -> FaceBatch:
    """Faces of the owner embedded by ``model``: the unknown ones and/or the members of
    ``cluster_ids``; clusterable ones only unless ``clusterable_only`` is false. (Faces of another
    model are not comparable with these: a release that changed the embedding leaves them out
    until `facesort reindex --reembed`.)

    Streams rows (``yield_per``) straight into one float32 array, so 100k faces cost about
    their embeddings (51 MB at 128-d) and never a Python object per float.
    """
    base = _embedding_rows(owner_id, model, dim)
    if clusterable_only:
        base = base.where(col(Face.clusterable).is_(True))
    queries = []
    if unknown:
        queries.append(base.where(col(Face.cluster_id).is_(None), col(Face.assigned_by) != AssignedBy.user))
    for part in chunks(list(cluster_ids)):
        queries.append(base.where(col(Face.cluster_id).in_(part)))
    return _stream(session, queries, dim, batch_size)


def placed_faces(
    session: Session, *, owner_id: uuid.UUID, model: str, dim: int, since: datetime | None
) -> FaceBatch:
    """The owner's faces embedded by ``model`` in a cluster, only those placed or moved since
    ``since`` when given."""
    query = _embedding_rows(owner_id, model, dim).where(col(Face.cluster_id).is_not(None))
    if since is not None:
        query = query.where(col(Face.updated_at) >= since)
    return _stream(session, [query], dim, 5000)


def _embedding_rows(owner_id: uuid.UUID, model: str, dim: int) -> sa.Select[*tuple[Any, ...]]:
    columns = (Face.id, Face.photo_id, Face.cluster_id, Face.assigned_by, Face.face_embedding)
    return sa.select(*(col(c) for c in columns)).where(
        col(Face.owner_id) == owner_id, col(Face.embedding_model) == model, col(Face.embedding_dim) == dim
    )


def _stream(session: Session, queries: Sequence[sa.Select[*tuple[Any, ...]]], dim: int, batch_size: int) -> FaceBatch:
    parts: list[FaceBatch] = []
    for query in queries:
        result = session.execute(query.order_by(col(Face.id)).execution_options(yield_per=batch_size))
        for rows in result.partitions():
            parts.append(_batch_from_rows(rows, dim))
    return _concat(parts, dim)


def _concat(parts: Sequence[FaceBatch], dim: int) -> FaceBatch:
    if not parts:
        return FaceBatch([], [], [], [], np.empty((0, dim), dtype=np.float32))
    return FaceBatch(
        ids=[i for p in parts for i in p.ids],
        photo_ids=[i for p in parts for i in p.photo_ids],
        cluster_ids=[i for p in parts for i in p.cluster_ids],
        assigned_by=[i for p in parts for i in p.assigned_by],
        embeddings=np.concatenate([p.embeddings for p in parts]) if len(parts) > 1 else parts[0].embeddings,
    )


def common_embedding(session: Session, *, owner_id: uuid.UUID) -> tuple[str, int] | None:
    """The embedding model and size most of the owner's faces have (faces of an old model are left out)."""
    query = (
        select(Face.embedding_model, Face.embedding_dim, sa.func.count())
        .where(Face.owner_id == owner_id)
        .group_by(col(Face.embedding_model), col(Face.embedding_dim))
        .order_by(sa.func.count().desc())
    )
    row = session.exec(query).first()
    return None if row is None else (str(row[0]), int(row[1]))


def cluster_sums(
    session: Session, *, owner_id: uuid.UUID, model: str, dim: int, batch_size: int = 5000
) -> tuple[list[uuid.UUID], NDArray[np.float64], NDArray[np.int64]]:
    """Sum of the ``model`` embeddings and their count per cluster of the owner, streamed (for centroids)."""
    index: dict[uuid.UUID, int] = {}
    sums: list[NDArray[np.float64]] = []
    counts: list[int] = []
    query = select(Face.cluster_id, Face.face_embedding).where(
        Face.owner_id == owner_id,
        col(Face.cluster_id).is_not(None),
        Face.embedding_model == model,
        Face.embedding_dim == dim,
    )
    result = session.execute(query.execution_options(yield_per=batch_size))
    for rows in result.partitions():
        for cluster_id, data in rows:
            at = index.get(cluster_id)
            if at is None:
                at = index[cluster_id] = len(sums)
                sums.append(np.zeros(dim, dtype=np.float64))
                counts.append(0)
            sums[at] += decode_embedding(data)
            counts[at] += 1
    ids = list(index)
    matrix = np.stack(sums) if sums else np.empty((0, dim), dtype=np.float64)
    return ids, matrix, np.asarray(counts, dtype=np.int64)
