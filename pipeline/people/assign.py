"""assign_faces's work: give new faces to the people they clearly belong to.

The vector index finds each new face's nearest faces; which cluster each neighbour belongs to
is read from SQL, never from the index payload, so a correction made a moment ago counts and
the API never has to touch the index. The decision itself is ``pipeline.steps.assignment``.
Faces left unknown wait for the owner's next (debounced) recluster.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from core.db import transaction
from core.repositories import clusters as cluster_repo
from core.repositories import faces as face_repo
from core.repositories import owner_jobs
from core.tables import AssignedBy
from core.vectors import Neighbour as IndexNeighbour
from pipeline import enqueue
from pipeline.runtime import Runtime, embedding_model
from pipeline.steps.assignment import AssignParams, Neighbour, NewFace, assign_faces

log = logging.getLogger(__name__)

# Neighbours asked per face, twice: among assigned faces (the index's payload says so) and among
# all faces (catches faces a person placed since the payload was written). 20 covers the
# nearest face of every plausible person; the step only needs the nearest per cluster.
NEIGHBOURS = 20


@dataclass
class AssignReport:
    assigned: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    unknown: list[uuid.UUID] = field(default_factory=list)
    owners_to_recluster: set[uuid.UUID] = field(default_factory=set)


def assign_new_faces(
    runtime: Runtime, face_ids: Sequence[uuid.UUID], *, params: AssignParams | None = None, ask_recluster: bool = True
) -> AssignReport:
    """Assign the faces among ``face_ids`` that are still unknown; safe to run twice.

    Faces left unknown ask for the owner's next recluster, unless ``ask_recluster`` is false
    (the recluster's own second assignment, which must not ask for another run).
    """
    report = AssignReport()
    embedding = embedding_model(runtime.settings)
    params = params or AssignParams.for_model(embedding)
    with transaction(runtime.sessions) as session:
        faces = face_repo.unassigned_faces(session, face_ids=face_ids, model=embedding.name, dim=embedding.dim)
    by_owner: dict[uuid.UUID, list[face_repo.UnassignedFace]] = defaultdict(list)
    for face in faces:
        by_owner[face.owner_id].append(face)
    for owner_id, owner_faces in by_owner.items():
        _assign_owner(runtime, owner_id, owner_faces, params, report)
    for owner_id in sorted(report.owners_to_recluster) if ask_recluster else ():
        with transaction(runtime.sessions) as session:
            owner_jobs.request_recluster(session, owner_id=owner_id)
        delay = int(runtime.settings.recluster_debounce_seconds * 1000)
        enqueue.enqueue_recluster(owner_id, delay_ms=delay)
    return report


def _assign_owner(
    runtime: Runtime,
    owner_id: uuid.UUID,
    faces: list[face_repo.UnassignedFace],
    params: AssignParams,
    report: AssignReport,
) -> None:
    found = _search(runtime, owner_id, faces)
    new_ids = [face.id for face in faces]
    with transaction(runtime.sessions) as session:
        neighbour_ids = [n.face_id for neighbours in found for n in neighbours]
        clusters = face_repo.cluster_of_faces(session, face_ids=neighbour_ids)
        rejected = face_repo.rejected_clusters(session, face_ids=new_ids)
        in_photo = cast(
            "Mapping[Hashable, Collection[Hashable]]",
            face_repo.clusters_in_photos(session, photo_ids=[f.photo_id for f in faces], except_face_ids=new_ids),
        )
        new_faces = [
            NewFace(face_id=face.id, photo_id=face.photo_id, neighbours=_with_sql_clusters(neighbours, clusters))
            for face, neighbours in zip(faces, found, strict=True)
        ]
        decisions = assign_faces(
            new_faces,
            rejections=[(face_id, c) for face_id, cs in rejected.items() for c in cs],
            clusters_in_photo=in_photo,
            params=params,
        )
        wanted = [(uuid.UUID(str(face_id)), uuid.UUID(str(c))) for face_id, c in decisions.items() if c is not None]
        written = face_repo.assign_unassigned(session, assignments=wanted, assigned_by=AssignedBy.auto)
        cluster_repo.refresh_cluster_stats(session, cluster_ids={c for _, c in written})
    report.assigned.update(written)
    unknown = [face_id for face_id in new_ids if face_id not in report.assigned]
    report.unknown.extend(unknown)
    if unknown:
        report.owners_to_recluster.add(owner_id)
    _sync_index(runtime, written)


def _search(runtime: Runtime, owner_id: uuid.UUID, faces: list[face_repo.UnassignedFace]) -> list[list[IndexNeighbour]]:
    vectors = runtime.vectors()
    queries = [face.embedding for face in faces]
    exclude = [face.id for face in faces]
    assigned = vectors.search_batch(queries, owner_id=owner_id, limit=NEIGHBOURS, assigned_only=True,
                                    exclude_face_ids=exclude)
    anyone = vectors.search_batch(queries, owner_id=owner_id, limit=NEIGHBOURS, exclude_face_ids=exclude)
    merged = []
    for first, second in zip(assigned, anyone, strict=True):
        seen: dict[uuid.UUID, IndexNeighbour] = {n.face_id: n for n in first}
        seen.update({n.face_id: n for n in second if n.face_id not in seen})
        merged.append(list(seen.values()))
    return merged


def _with_sql_clusters(
    neighbours: Sequence[IndexNeighbour], clusters: dict[uuid.UUID, uuid.UUID | None]
) -> list[Neighbour]:
    """Neighbours with their cluster as SQL has it now; gone or unassigned faces are no evidence."""
    result = []
    for neighbour in neighbours:
        cluster_id = clusters.get(neighbour.face_id)
        if cluster_id is not None:
            result.append(Neighbour(cluster_id=cluster_id, distance=neighbour.distance))
    return result


def _sync_index(runtime: Runtime, written: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Keep the index payload's cluster close to SQL (it narrows the next search; SQL decides)."""
    by_cluster: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for face_id, cluster_id in written:
        by_cluster[cluster_id].append(face_id)
    try:
        for cluster_id, face_ids in by_cluster.items():
            runtime.vectors().set_cluster(face_ids, cluster_id)
    except Exception:  # the payload is only a hint; SQL already holds the assignment
        log.exception("could not update the vector index payload for %d faces", len(written))
