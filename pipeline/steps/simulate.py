"""An in-memory library that runs the incremental path: assign, recluster, attach, name.

Photos arrive in batches. For each batch, new faces are assigned to existing clusters
from their nearest assigned neighbours (:func:`assign_faces`), then the faces still
unknown are clustered (:func:`cluster_faces`), each new group is attached to an existing
person when it clearly is one (:func:`attach_group`), the plan is applied
(:func:`plan_recluster`), and unknown faces near a face placed since the last recluster
are assigned again. These are the functions the real actors call; only the storage
(here numpy arrays and dicts) differs. Used to tune thresholds and by the quality test.

Faces below pipeline.ml's quality gate (``clusterable`` false) never start or grow a
cluster in a recluster, but may join an existing person by assignment, where the
evidence is a whole cluster of good faces (measured: BCubed F1 0.969 with this vs 0.961
when such faces are left out entirely).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from core.embedding_models import EmbeddingModel
from pipeline.steps.assignment import AssignParams, Neighbour, NewFace, assign_faces
from pipeline.steps.clustering import UNKNOWN, ClusterParams, cluster_faces
from pipeline.steps.neighbours import near_any
from pipeline.steps.reconcile import AttachParams, NewCluster, PersonSample, attach_group, groups_of, plan_recluster


@dataclass(frozen=True)
class PipelineParams:
    cluster: ClusterParams = field(default_factory=ClusterParams)
    assign: AssignParams = field(default_factory=AssignParams)
    attach: AttachParams = field(default_factory=AttachParams)
    # How many nearest assigned faces the vector index returns per new face.
    neighbours: int = 20
    # How many faces of a person are compared when attaching a group to them.
    person_sample: int = 64
    # Faces below the quality gate never start or grow clusters in a recluster; with this
    # set they may still join an existing person by assignment (strong evidence only).
    assign_low_quality: bool = True

    @classmethod
    def for_model(cls, model: EmbeddingModel) -> PipelineParams:
        """The distances measured for ``model``'s embeddings (the defaults are dlib's)."""
        return cls(
            cluster=ClusterParams.for_model(model),
            assign=AssignParams.for_model(model),
            attach=AttachParams.for_model(model),
        )


class Library:
    """Faces of one owner: embeddings, photo ids and the cluster each face is in."""

    def __init__(
        self,
        embeddings: NDArray[np.floating],
        photo_ids: Sequence[Hashable],
        params: PipelineParams,
        clusterable: Sequence[bool] | None = None,
    ):
        self.embeddings = np.asarray(embeddings, dtype=np.float32)
        self.photo_ids = list(photo_ids)
        self.params = params
        self.clusterable = np.ones(len(self.embeddings), dtype=bool) if clusterable is None else np.asarray(clusterable)
        self.cluster = np.full(len(self.embeddings), UNKNOWN, dtype=np.int64)
        self.present = np.zeros(len(self.embeddings), dtype=bool)
        self.names: dict[int, str] = {}
        self._next_cluster = 0
        self._cluster_at_last_recluster = self.cluster.copy()

    # --- the incremental path -------------------------------------------------------

    def add_faces(self, faces: Sequence[int]) -> None:
        """New faces arrive (all faces of some photos): assign, then recluster the unknown."""
        faces = [int(f) for f in faces]
        self.present[faces] = True
        if not self.params.assign_low_quality:
            faces = [f for f in faces if self.clusterable[f]]
        self.assign(faces)
        self.recluster()

    def assign(self, faces: Sequence[int]) -> None:
        assigned = np.flatnonzero(self.present & (self.cluster != UNKNOWN))
        if len(assigned) == 0:
            return
        new_faces = [NewFace(f, self.photo_ids[f], self._neighbours(f, assigned)) for f in faces]
        in_photo: dict[Hashable, set[int]] = defaultdict(set)
        batch = set(faces)
        for f in assigned:
            if int(f) not in batch:
                in_photo[self.photo_ids[f]].add(int(self.cluster[f]))
        decision = assign_faces(new_faces, clusters_in_photo=in_photo, params=self.params.assign)
        for face_id, cluster_id in decision.items():
            if cluster_id is not None:
                self.cluster[_index(face_id)] = _index(cluster_id)

    def recluster(self) -> None:
        unknown = np.flatnonzero(self.present & self.clusterable & (self.cluster == UNKNOWN))
        if len(unknown) < self.params.cluster.min_cluster_size:
            self._assign_again()
            return
        labels = cluster_faces(
            self.embeddings[unknown], photo_ids=[self.photo_ids[f] for f in unknown], params=self.params.cluster
        )
        attached = {}
        for label, members in groups_of(labels).items():
            faces = unknown[members]
            person = self._attach(faces)
            if person is not None:
                attached[label] = person
        plan = plan_recluster([int(f) for f in unknown], labels, {}, attached=attached)
        new_ids: dict[int, int] = {}
        for face_id, target in plan.face_cluster.items():
            if isinstance(target, NewCluster):
                if target.label not in new_ids:
                    new_ids[target.label] = self._next_cluster
                    self._next_cluster += 1
                self.cluster[_index(face_id)] = new_ids[target.label]
            elif target is not None:
                self.cluster[_index(face_id)] = _index(target)
        self._assign_again()

    def _assign_again(self) -> None:
        """Unknown faces with a face placed within assignment distance since the last run."""
        placed = np.flatnonzero(self.present & (self._cluster_at_last_recluster == UNKNOWN) & (self.cluster != UNKNOWN))
        self._cluster_at_last_recluster = self.cluster.copy()
        waiting = self.present & (self.cluster == UNKNOWN)
        if not self.params.assign_low_quality:
            waiting &= self.clusterable
        unknown = np.flatnonzero(waiting)
        if len(placed) == 0 or len(unknown) == 0:
            return
        near = near_any(self.embeddings[unknown], self.embeddings[placed], radius=self.params.assign.max_distance)
        self.assign([int(f) for f in unknown[near]])

    # --- what a person does ---------------------------------------------------------

    def name_clusters(self, names: Mapping[int, str]) -> None:
        """Name clusters; giving a cluster an existing person's name merges it into them."""
        by_name = {name: cid for cid, name in self.names.items()}
        for cluster_id, name in names.items():
            if name in by_name and by_name[name] != cluster_id:
                self.cluster[self.cluster == cluster_id] = by_name[name]
            else:
                self.names[cluster_id] = name
                by_name[name] = cluster_id

    def name_of(self, face: int) -> str | None:
        cluster_id = int(self.cluster[face])
        return None if cluster_id == UNKNOWN else self.names.get(cluster_id)

    # --- helpers ----------------------------------------------------------------------

    def _neighbours(self, face: int, candidates: NDArray[np.int64]) -> list[Neighbour]:
        distances = np.linalg.norm(self.embeddings[candidates] - self.embeddings[face], axis=1)
        k = min(self.params.neighbours, len(candidates))
        nearest = np.argpartition(distances, k - 1)[:k]
        return [Neighbour(cluster_id=int(self.cluster[candidates[i]]), distance=float(distances[i])) for i in nearest]

    def _attach(self, faces: NDArray[np.int64]) -> int | None:
        assigned = np.flatnonzero(self.present & (self.cluster != UNKNOWN))
        if len(assigned) == 0:
            return None
        candidates = {n.cluster_id for f in faces for n in self._neighbours(int(f), assigned)}
        people = {}
        for cluster_id in candidates:
            members = np.flatnonzero(self.present & (self.cluster == cluster_id))[: self.params.person_sample]
            people[cluster_id] = PersonSample(self.embeddings[members], {self.photo_ids[m] for m in members})
        person = attach_group(
            self.embeddings[faces], {self.photo_ids[f] for f in faces}, people, params=self.params.attach
        )
        return None if person is None else _index(person)


def _index(value: Hashable) -> int:
    """Face and cluster ids are array indexes here; the real service uses UUIDs."""
    assert isinstance(value, int | np.integer)
    return int(value)
