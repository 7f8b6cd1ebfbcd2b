"""Identity operations: what a person does to clusters and faces by hand.

Each call is one transaction scoped to the owner: another owner's ids are ``NotFound``, exactly
like ids that never existed. Every face a person places is marked ``assigned_by=user`` so no
automatic step moves it again, and every operation ends with ``refresh_cluster_stats`` so
``face_count``, ``photo_count`` and the cover are right as soon as it returns.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from core.db import SessionFactory, transaction
from core.errors import NotFound, ValidationError
from core.media import fold
from core.repositories import clusters as cluster_repo
from core.repositories import faces as face_repo
from core.repositories import owner_jobs
from core.tables import AssignedBy, Face, FaceCluster, utcnow

MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class DeletedCluster:
    id: uuid.UUID
    faces_unassigned: int


def clean_name(name: str) -> str:
    """A person's name as stored: trimmed, inner whitespace collapsed, printable."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("a name cannot be empty", field="name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValidationError(f"a name has at most {MAX_NAME_LENGTH} characters", field="name")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in cleaned):
        raise ValidationError("a name cannot contain control characters", field="name")
    return cleaned


def owned_cluster(session: Session, *, owner_id: uuid.UUID, cluster_id: uuid.UUID) -> FaceCluster:
    found = cluster_repo.get_owned_clusters(session, owner_id=owner_id, cluster_ids=[cluster_id], lock=True)
    if not found:
        raise NotFound("cluster", [cluster_id])
    return found[0]


def owned_faces(session: Session, *, owner_id: uuid.UUID, face_ids: Sequence[uuid.UUID]) -> list[Face]:
    if not face_ids:
        raise ValidationError("choose at least one face", field="faceIds")
    faces = face_repo.get_owned_faces(session, owner_id=owner_id, face_ids=face_ids)
    missing = set(face_ids) - {f.id for f in faces}
    if missing:
        raise NotFound("face", sorted(missing))
    return faces


def fresh(session: Session, cluster: FaceCluster) -> FaceCluster:
    """Reload a cluster after bulk updates, so the caller gets every field after commit."""
    session.flush()
    session.refresh(cluster)
    return cluster


def name_cluster(sessions: SessionFactory, *, owner_id: uuid.UUID, cluster_id: uuid.UUID, name: str) -> FaceCluster:
    """Name (or rename) a cluster. A name another person already has merges the two.

    The existing person survives (its id may be bookmarked or shared) and keeps its spelling;
    the named faces join it as a person's decision. Returns the cluster that now has the name.
    """
    cleaned = clean_name(name)
    with transaction(sessions) as session:
        cluster = owned_cluster(session, owner_id=owner_id, cluster_id=cluster_id)
        return fresh(session, _give_name(session, cluster=cluster, name=cleaned))


def _give_name(session: Session, *, cluster: FaceCluster, name: str) -> FaceCluster:
    key = fold(name)
    person = cluster_repo.find_person(session, owner_id=cluster.owner_id, name_key=key, exclude_id=cluster.id)
    if person is not None:
        merge_into(session, target=person, sources=[cluster])
        return person
    cluster.name, cluster.name_key, cluster.updated_at = name, key, utcnow()
    session.flush()
    return cluster


def merge_clusters(
    sessions: SessionFactory, *, owner_id: uuid.UUID, target_id: uuid.UUID, source_ids: Sequence[uuid.UUID]
) -> FaceCluster:
    """Move every face of the sources into the target and delete the sources.

    An unnamed target takes the sources' name; two different names in the sources with an
    unnamed target is refused (which one is meant?). A named target keeps its name.
    """
    sources_wanted = [s for s in dict.fromkeys(source_ids) if s != target_id]
    if not sources_wanted:
        raise ValidationError("choose at least one other cluster to merge", field="sourceIds")
    with transaction(sessions) as session:
        target = owned_cluster(session, owner_id=owner_id, cluster_id=target_id)
        sources = cluster_repo.get_owned_clusters(session, owner_id=owner_id, cluster_ids=sources_wanted, lock=True)
        missing = set(sources_wanted) - {s.id for s in sources}
        if missing:
            raise NotFound("cluster", sorted(missing))
        if target.name is None:
            names = {s.name_key: s.name for s in sources if s.name_key is not None}
            if len(names) > 1:
                raise ValidationError(
                    "these clusters are different people; merge into one of them", field="targetId"
                )
            if names:
                target.name_key, target.name = next(iter(names.items()))
        merge_into(session, target=target, sources=sources)
        return fresh(session, target)


def merge_into(session: Session, *, target: FaceCluster, sources: Sequence[FaceCluster]) -> None:
    """Move sources' faces, rejections and separations to the target; delete the sources."""
    source_ids = [s.id for s in sources if s.id != target.id]
    if not source_ids:
        return
    moved = face_repo.face_ids_in_clusters(session, cluster_ids=source_ids)
    face_repo.set_cluster(session, face_ids=moved, cluster_id=target.id, assigned_by=AssignedBy.user)
    # "Not this person" said to a source is said to the person it now belongs to.
    in_target = set(face_repo.face_ids_in_clusters(session, cluster_ids=[target.id]))
    face_repo.add_rejections(
        session, pairs=[(f, target.id) for f, _ in face_repo.rejections_from(session, cluster_ids=source_ids)
                        if f not in in_target]
    )
    # Kept apart from a source means kept apart from the merged person; a pair the person now
    # merges explicitly is no longer apart.
    merged = {target.id, *source_ids}
    carried = []
    for a, b in cluster_repo.separations_of(session, cluster_ids=source_ids):
        other = b if a in merged else a
        if other not in merged:
            carried.append((target.id, other))
    cluster_repo.delete_separations(
        session, pairs=[p for p in cluster_repo.separations_of(session, cluster_ids=[target.id]) if set(p) <= merged]
    )
    cluster_repo.add_separations(session, pairs=carried)
    cluster_repo.delete_clusters(session, cluster_ids=source_ids)
    target.updated_at = utcnow()
    cluster_repo.refresh_cluster_stats(session, cluster_ids=[target.id])


def split_cluster(
    sessions: SessionFactory, *, owner_id: uuid.UUID, cluster_id: uuid.UUID, face_ids: Sequence[uuid.UUID]
) -> FaceCluster:
    """Take some faces out of a cluster into a new one, and keep the two apart from now on."""
    with transaction(sessions) as session:
        cluster = owned_cluster(session, owner_id=owner_id, cluster_id=cluster_id)
        faces = owned_faces(session, owner_id=owner_id, face_ids=face_ids)
        strangers = [f.id for f in faces if f.cluster_id != cluster.id]
        if strangers:
            raise ValidationError("some faces are not in this cluster", field="faceIds")
        if len(face_repo.face_ids_in_clusters(session, cluster_ids=[cluster.id])) <= len(faces):
            raise ValidationError("leave at least one face in the cluster", field="faceIds")
        new = cluster_repo.create_cluster(session, owner_id=owner_id)
        face_repo.set_cluster(session, face_ids=[f.id for f in faces], cluster_id=new.id, assigned_by=AssignedBy.user)
        cluster_repo.add_separations(session, pairs=[(cluster.id, new.id)])
        cluster_repo.refresh_cluster_stats(session, cluster_ids=[cluster.id, new.id])
        return fresh(session, new)


def move_faces(
    sessions: SessionFactory, *, owner_id: uuid.UUID, face_ids: Sequence[uuid.UUID], cluster_id: uuid.UUID
) -> FaceCluster:
    """Put faces in a cluster by hand; an earlier "not this person" for it is withdrawn."""
    with transaction(sessions) as session:
        target = owned_cluster(session, owner_id=owner_id, cluster_id=cluster_id)
        faces = owned_faces(session, owner_id=owner_id, face_ids=face_ids)
        previous = {f.cluster_id for f in faces}
        ids = [f.id for f in faces]
        face_repo.set_cluster(session, face_ids=ids, cluster_id=target.id, assigned_by=AssignedBy.user)
        face_repo.forget_rejections(session, face_ids=ids, cluster_id=target.id)
        cluster_repo.refresh_cluster_stats(session, cluster_ids=[target.id, *previous])
        return fresh(session, target)


def create_person_from_faces(
    sessions: SessionFactory, *, owner_id: uuid.UUID, face_ids: Sequence[uuid.UUID], name: str | None = None
) -> FaceCluster:
    """A new cluster of these faces (placed by hand); with a name, as naming it would."""
    cleaned = clean_name(name) if name is not None else None
    with transaction(sessions) as session:
        faces = owned_faces(session, owner_id=owner_id, face_ids=face_ids)
        previous = {f.cluster_id for f in faces}
        cluster = cluster_repo.create_cluster(session, owner_id=owner_id)
        ids = [f.id for f in faces]
        face_repo.set_cluster(session, face_ids=ids, cluster_id=cluster.id, assigned_by=AssignedBy.user)
        cluster_repo.refresh_cluster_stats(session, cluster_ids=[cluster.id, *previous])
        if cleaned is not None:
            cluster = _give_name(session, cluster=cluster, name=cleaned)
        return fresh(session, cluster)


def reject_faces(sessions: SessionFactory, *, owner_id: uuid.UUID, face_ids: Sequence[uuid.UUID]) -> list[Face]:
    """"Not this person": take each face out of its cluster and never put it back there.

    The face becomes unknown (``assigned_by=none``), so assignment may still find its real
    person. Faces already unknown are left as they are. Returns the faces, updated.
    """
    with transaction(sessions) as session:
        faces = owned_faces(session, owner_id=owner_id, face_ids=face_ids)
        placed = [(f.id, f.cluster_id) for f in faces if f.cluster_id is not None]
        face_repo.add_rejections(session, pairs=[(f, c) for f, c in placed if c is not None])
        face_repo.set_cluster(session, face_ids=[f for f, _ in placed], cluster_id=None, assigned_by=AssignedBy.none)
        cluster_repo.refresh_cluster_stats(session, cluster_ids=[c for _, c in placed])
        if placed:  # unknown faces again: the next recluster may group them elsewhere
            owner_jobs.request_recluster(session, owner_id=owner_id)
        return face_repo.get_owned_faces(session, owner_id=owner_id, face_ids=[f.id for f in faces])


def delete_cluster(sessions: SessionFactory, *, owner_id: uuid.UUID, cluster_id: uuid.UUID) -> DeletedCluster:
    """Delete a cluster (named or not): its faces become unknown, their photos stay."""
    with transaction(sessions) as session:
        cluster = owned_cluster(session, owner_id=owner_id, cluster_id=cluster_id)
        face_ids = face_repo.face_ids_in_clusters(session, cluster_ids=[cluster.id])
        face_repo.set_cluster(session, face_ids=face_ids, cluster_id=None, assigned_by=AssignedBy.none)
        cluster_repo.delete_clusters(session, cluster_ids=[cluster.id])
        if face_ids:
            owner_jobs.request_recluster(session, owner_id=owner_id)
        return DeletedCluster(id=cluster_id, faces_unassigned=len(face_ids))


def hide_cluster(
    sessions: SessionFactory, *, owner_id: uuid.UUID, cluster_id: uuid.UUID, hidden: bool
) -> FaceCluster:
    with transaction(sessions) as session:
        cluster = owned_cluster(session, owner_id=owner_id, cluster_id=cluster_id)
        if cluster.hidden != hidden:
            cluster.hidden, cluster.updated_at = hidden, utcnow()
        cluster_repo.refresh_cluster_stats(session, cluster_ids=[cluster.id])
        return fresh(session, cluster)


def set_cover_face(
    sessions: SessionFactory, *, owner_id: uuid.UUID, cluster_id: uuid.UUID, face_id: uuid.UUID
) -> FaceCluster:
    with transaction(sessions) as session:
        cluster = owned_cluster(session, owner_id=owner_id, cluster_id=cluster_id)
        (face,) = owned_faces(session, owner_id=owner_id, face_ids=[face_id])
        if face.cluster_id != cluster.id:
            raise ValidationError("the cover must be one of the cluster's faces", field="faceId")
        cluster.cover_face_id, cluster.updated_at = face.id, utcnow()
        session.flush()
        return fresh(session, cluster)


def keep_apart(
    sessions: SessionFactory, *, owner_id: uuid.UUID, cluster_a: uuid.UUID, cluster_b: uuid.UUID
) -> tuple[FaceCluster, FaceCluster]:
    """Remember that two clusters are different people: never suggested or reclustered together."""
    if cluster_a == cluster_b:
        raise ValidationError("a cluster cannot be kept apart from itself", field="clusterIds")
    with transaction(sessions) as session:
        first = owned_cluster(session, owner_id=owner_id, cluster_id=cluster_a)
        second = owned_cluster(session, owner_id=owner_id, cluster_id=cluster_b)
        cluster_repo.add_separations(session, pairs=[(first.id, second.id)])
        return fresh(session, first), fresh(session, second)


def request_recluster(sessions: SessionFactory, *, owner_id: uuid.UUID) -> None:
    """Record that the owner asked for a recluster; the caller then enqueues it with the debounce delay."""
    with transaction(sessions) as session:
        owner_jobs.request_recluster(session, owner_id=owner_id)
