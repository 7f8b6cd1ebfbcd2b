"""Real photos of the dev set, analysed once per test session, stored as detect_faces stores them."""

from __future__ import annotations

import csv
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.db import transaction
from core.tables import Face
from core.vectors import FacePoint
from pipeline.ml.models import AnalysedFace, PhotoFaces, analyse_photos, get_face_models
from pipeline.runtime import Runtime
from tests.pipeline.people.factories import add_photo

# People with at least 6 photos, from both halves of the dev set (press photos and LFW); small
# enough to analyse in a few seconds on an idle 2-core machine.
PEOPLE = (
    "angelina_jolie", "katy_perry", "scarlett_johansson", "jennifer_aniston",
    "lfw_venus_williams", "lfw_pierce_brosnan",
)


@dataclass(frozen=True)
class DevPhoto:
    path: str
    person: str
    faces: PhotoFaces

    def main_face(self) -> int:
        """The labelled person's face: the largest one (others are people in the background)."""
        sizes = [f.detection.width * f.detection.height for f in self.faces.faces]
        return int(np.argmax(sizes))


def analyse_people(dev_set: Path) -> dict[str, list[DevPhoto]]:
    models = get_face_models(torch_threads=1)
    with (dev_set / "labels.csv").open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["person"] in PEOPLE]
    results = analyse_photos(models, [(dev_set / row["path"]).read_bytes() for row in rows])
    by_person: dict[str, list[DevPhoto]] = defaultdict(list)
    for row, result in zip(rows, results, strict=True):
        assert isinstance(result, PhotoFaces), f"{row['path']}: {result}"
        if result.faces:
            by_person[row["person"]].append(DevPhoto(row["path"], row["person"], result))
    return dict(by_person)


@dataclass(frozen=True)
class StoredPhoto:
    photo_id: uuid.UUID
    face_ids: list[uuid.UUID]
    main_face_id: uuid.UUID
    person: str


def store_photo(runtime: Runtime, owner_id: uuid.UUID, photo: DevPhoto) -> StoredPhoto:
    """Rows and index points for one analysed photo (what detect_faces writes)."""
    with transaction(runtime.sessions) as session:
        row = add_photo(session, owner_id=owner_id, name=photo.path)
        faces = [_face_row(owner_id, row.id, photo.faces, face) for face in photo.faces.faces]
        session.add_all(faces)
        photo_id, face_ids = row.id, [f.id for f in faces]
    runtime.vectors().upsert([
        FacePoint(face_id, face.embedding.astype(np.float32), owner_id, photo_id)
        for face_id, face in zip(face_ids, photo.faces.faces, strict=True)
    ])
    return StoredPhoto(photo_id, face_ids, face_ids[photo.main_face()], photo.person)


def _face_row(owner_id: uuid.UUID, photo_id: uuid.UUID, analysed: PhotoFaces, face: AnalysedFace) -> Face:
    return Face(
        id=uuid.uuid4(), owner_id=owner_id, photo_id=photo_id, face_location=face.detection.to_json(),
        face_embedding=face.embedding.astype(np.float32).tobytes(), embedding_model=analysed.embedding_model,
        embedding_dim=analysed.embedding_dim, detection_confidence=float(face.detection.confidence),
        quality=float(face.quality.score), quality_detail=face.quality.to_json(), clusterable=bool(face.clusterable),
    )
