"""Compare who-is-with-whom between two runs whose face and photo ids differ.

Faces are matched by their photo's content hash and their box (IoU > 0.5), so a face of one
run is the same face of the other run when both detected it at the same place.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from core.tables import Face, Photo
from pipeline.faces.matching import match_boxes


@dataclass(frozen=True)
class FaceRecord:
    photo_sha256: str
    box: Mapping[str, Any]
    cluster_id: uuid.UUID | None


def faces_by_photo(session: Session, owner_id: uuid.UUID) -> dict[str, list[FaceRecord]]:
    rows = session.exec(
        select(Photo.sha256, Face.face_location, Face.cluster_id)
        .join(Photo, col(Photo.id) == col(Face.photo_id))
        .where(Face.owner_id == owner_id)
    ).all()
    found: dict[str, list[FaceRecord]] = defaultdict(list)
    for sha256, location, cluster_id in rows:
        found[sha256].append(FaceRecord(sha256, location, cluster_id))
    return dict(found)


@dataclass
class PartitionDiff:
    faces_a: int
    faces_b: int
    matched: int
    clusters_a: int
    clusters_b: int
    # Matched faces whose companions (the other matched faces of their cluster) differ, or that
    # are in a cluster in one run and unknown in the other.
    differing: list[tuple[str, Mapping[str, Any]]]

    def summary(self) -> str:
        return (
            f"faces {self.faces_a} vs {self.faces_b} ({self.matched} matched), clusters {self.clusters_a} vs "
            f"{self.clusters_b}, faces grouped differently: {len(self.differing)}"
        )


def compare(a: Mapping[str, Sequence[FaceRecord]], b: Mapping[str, Sequence[FaceRecord]]) -> PartitionDiff:
    pairs: list[tuple[FaceRecord, FaceRecord]] = []
    for sha256, faces_a in a.items():
        faces_b = list(b.get(sha256, ()))
        matches = match_boxes([f.box for f in faces_b], [f.box for f in faces_a])
        pairs += [(face, faces_b[m]) for face, m in zip(faces_a, matches, strict=True) if m is not None]
    companions_a = _companions([pa.cluster_id for pa, _ in pairs])
    companions_b = _companions([pb.cluster_id for _, pb in pairs])
    differing = [
        (pa.photo_sha256, pa.box) for i, (pa, _) in enumerate(pairs) if companions_a[i] != companions_b[i]
    ]
    return PartitionDiff(
        faces_a=sum(len(v) for v in a.values()),
        faces_b=sum(len(v) for v in b.values()),
        matched=len(pairs),
        clusters_a=len({f.cluster_id for v in a.values() for f in v if f.cluster_id}),
        clusters_b=len({f.cluster_id for v in b.values() for f in v if f.cluster_id}),
        differing=differing,
    )


def _companions(clusters: Sequence[uuid.UUID | None]) -> list[frozenset[int] | None]:
    """For each face, the indexes of the faces in its cluster (None: unknown)."""
    members: dict[uuid.UUID, set[int]] = defaultdict(set)
    for index, cluster_id in enumerate(clusters):
        if cluster_id is not None:
            members[cluster_id].add(index)
    return [frozenset(members[c]) if c is not None else None for c in clusters]
