"""A release that changes the embedding: `facesort reindex --reembed` moves a library to the new
model and keeps every name and correction (docs/deploy.md, "Upgrading")."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from core.embedding_models import ARCFACE, DLIB
from core.services import people
from core.settings import Settings
from core.tables import AssignedBy
from facesort.evaluate import Library, labelled_faces, read_labels
from pipeline import runtime as runtime_module
from pipeline.people.assign import assign_new_faces
from pipeline.people.recluster import recluster_owner
from pipeline.reindex import faces_of_other_models, reindex

pytestmark = pytest.mark.slow

PEOPLE = ("lfw_venus_williams", "lfw_pierce_brosnan")


def test_a_dlib_library_moves_to_arcface_with_its_names_and_corrections(
    dev_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photos = [p for p in read_labels(dev_set) if p.single in PEOPLE]
    first = [p for p in photos if sum(q.single == p.single for q in photos[: photos.index(p)]) < 8]
    later = [p for p in photos if p not in first]
    monkeypatch.setenv("FACESORT_EMBEDDER", "dlib")  # the release before: dlib's embedding
    library = Library(tmp_path / "data")
    try:
        library.add(first)
        labels = labelled_faces(library, first, library.faces())
        votes: dict[object, Counter[str]] = {}
        for face in library.faces():
            if face.id in labels and face.cluster_id is not None:
                votes.setdefault(face.cluster_id, Counter())[labels[face.id]] += 1
        for cluster_id, counter in votes.items():
            people.name_cluster(library.runtime.sessions, owner_id=library.owner.id, cluster_id=cluster_id,
                                name=counter.most_common(1)[0][0])
        named = {c.name: c.id for c in library.clusters().values() if c.name}
        assert set(named) == set(PEOPLE)
        # Corrections by hand: a face of Pierce's confirmed as his, one of Venus's rejected from her.
        venus, pierce = named[PEOPLE[0]], named[PEOPLE[1]]
        confirmed = next(f for f in library.faces() if f.cluster_id == pierce)
        people.move_faces(library.runtime.sessions, owner_id=library.owner.id, face_ids=[confirmed.id],
                          cluster_id=pierce)
        rejected = next(f for f in library.faces() if f.cluster_id == venus)
        people.reject_faces(library.runtime.sessions, owner_id=library.owner.id, face_ids=[rejected.id])
        people.name_cluster(library.runtime.sessions, owner_id=library.owner.id, cluster_id=venus,
                            name="Venus Williams")
        before = {f.id: f.cluster_id for f in library.faces()}
        assert {(f.embedding_model, f.embedding_dim) for f in library.faces()} == {DLIB.identity}

        library.runtime.close()
        monkeypatch.setenv("FACESORT_EMBEDDER", "arcface")  # the upgrade
        library.runtime = runtime_module.configure(Settings(data_dir=tmp_path / "data"))
        assert faces_of_other_models(library.runtime) == {DLIB.identity: len(before)}
        # Before the re-embedding, a recluster (after an import, say) leaves dlib's faces alone: ArcFace's
        # distances mean nothing between them (its link distance would join anyone on dlib's scale).
        recluster_owner(library.runtime, library.owner.id, force=True)
        # Nor does assignment (a job queued before the upgrade, say) search the new index with them.
        assert assign_new_faces(library.runtime, list(before)).assigned == {}
        assert {f.id: f.cluster_id for f in library.faces()} == before
        assert reindex(library.runtime, reembed=True) == len(before)

        after = library.faces()
        assert {(f.embedding_model, f.embedding_dim) for f in after} == {ARCFACE.identity}
        assert {f.id: f.cluster_id for f in after} == before  # every face found again, in its person
        assert faces_of_other_models(library.runtime) == {}
        clusters = library.clusters()
        assert (clusters[venus].name, clusters[pierce].name) == ("Venus Williams", PEOPLE[1])
        assert next(f for f in after if f.id == confirmed.id).assigned_by == AssignedBy.user

        # New photos are matched with the re-embedded faces: named with no action.
        library.add(later)
        labels = labelled_faces(library, later, library.faces())
        faces = {f.id: f for f in library.faces()}
        assert len(labels) == 4
        assert all(faces[face_id].cluster_id == named[person] for face_id, person in labels.items())
        assert faces[rejected.id].cluster_id != venus  # "not this person" outlived the new model
    finally:
        library.runtime.close()
