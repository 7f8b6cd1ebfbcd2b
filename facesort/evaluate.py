"""`facesort eval DIR`: the product's real incremental path on a labelled folder, measured.

The folder holds one subfolder per person (or a `labels.csv` of `path,person`), optionally
`_strangers/` (people seen once; so is anyone in a single photo of the set) and `_group/`
(photos of several people, with a `labels.csv` of `path,persons` where persons are
`;`-separated). Photos arrive in batches into a fresh
embedded library; each batch is uploaded, ingested, detected, assigned and reclustered as the
product does. Then each cluster is named after its majority person, as a person would, and the
held-back photos (the last fifth of every person with at least 3 photos) are added: the share of
them that got the right name with no action is reported.
"""

from __future__ import annotations

import csv
import json
import random
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from core.db import transaction
from core.migrate import upgrade
from core.services.people import name_cluster
from core.services.uploads import IncomingFile, UploadLimits, upload_photos
from core.settings import Settings
from core.tables import Face, FaceCluster, Photo, User
from pipeline import runtime as runtime_module
from pipeline.broker import setup_broker
from pipeline.faces.detect import detect_faces
from pipeline.people.assign import assign_new_faces
from pipeline.people.recluster import recluster_owner
from pipeline.photos.ingest import ingest_photo
from pipeline.steps.evaluation import named_face_index
from pipeline.steps.metrics import (
    UNKNOWN,
    clustered_share,
    clustering_scores,
    majority_names,
    micro_average,
    photos_of_person_scores,
)

STRANGER_PREFIX = "_stranger:"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}


@dataclass(frozen=True)
class LabelledPhoto:
    path: Path
    people: frozenset[str]
    fully_labelled: bool  # False for group photos with unnamed extra faces

    @property
    def single(self) -> str | None:
        return next(iter(self.people)) if len(self.people) == 1 else None


@dataclass
class EvalReport:
    photos: int = 0
    labelled_faces: int = 0
    pairwise: dict[str, float] = field(default_factory=dict)
    bcubed: dict[str, float] = field(default_factory=dict)
    unknown_share: float = 0.0
    strangers_clustered_share: float = 0.0
    photos_of_name: dict[str, float] = field(default_factory=dict)
    photos_of_name_per_person: dict[str, dict[str, float]] = field(default_factory=dict)
    auto_named_share: float = 0.0
    auto_named_photos: int = 0
    # What to look at: photos whose labelled (non-stranger) face no cluster took, and held-back
    # photos that did not get their person's name ("folder/file: what it got").
    unknown_photos: list[str] = field(default_factory=list)
    held_back_missed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    photos_per_second: float = 0.0


def read_labels(folder: Path) -> list[LabelledPhoto]:
    """Photos and who is in them, from labels.csv files or the folder layout."""
    photos: list[LabelledPhoto] = []
    labels = folder / "labels.csv"
    if labels.exists():
        with labels.open() as handle:
            for row in csv.DictReader(handle):
                path = folder / row["path"]
                person = row["person"]
                if row["path"].startswith("_strangers/") or person.startswith(("_", "stranger:")):
                    person = STRANGER_PREFIX + path.name
                photos.append(LabelledPhoto(path, frozenset([person]), True))
    else:
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("_")):
            photos += [LabelledPhoto(p, frozenset([sub.name]), True) for p in _images(sub)]
        strangers = folder / "_strangers"
        if strangers.is_dir():
            photos += [
                LabelledPhoto(p, frozenset([STRANGER_PREFIX + p.name]), True)
                for p in sorted(strangers.rglob("*")) if p.suffix.lower() in IMAGE_SUFFIXES
            ]
    group_labels = folder / "_group" / "labels.csv"
    if group_labels.exists():
        with group_labels.open() as handle:
            for row in csv.DictReader(handle):
                people = frozenset(name for name in row["persons"].split(";") if name)
                complete = row.get("all_faces_labeled", "no").strip().lower() == "yes"
                photos.append(LabelledPhoto(folder / "_group" / row["path"], people, complete))
    return _seen_once_as_strangers([photo for photo in photos if photo.path.exists()])


def _seen_once_as_strangers(photos: list[LabelledPhoto]) -> list[LabelledPhoto]:
    """A person in one photo of the whole set is a stranger, whatever folder holds them.

    Strangers are "people seen once"; a one-photo person folder is the same thing, and a cluster
    needs two faces, so their face left unknown is right, not a miss.
    """
    seen = Counter(person for photo in photos for person in photo.people)
    return [
        replace(photo, people=frozenset([STRANGER_PREFIX + photo.single]))
        if photo.single is not None and seen[photo.single] == 1 and not photo.single.startswith(STRANGER_PREFIX)
        else photo
        for photo in photos
    ]


def _images(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def split_held_back(photos: Sequence[LabelledPhoto], seed: int = 0) -> tuple[list[LabelledPhoto], list[LabelledPhoto]]:
    """The last fifth (at least one) of each person with 3+ single photos is added after naming."""
    by_person: dict[str, list[LabelledPhoto]] = defaultdict(list)
    for photo in photos:
        if photo.single and not photo.single.startswith(STRANGER_PREFIX):
            by_person[photo.single].append(photo)
    held: set[Path] = set()
    for person_photos in by_person.values():
        if len(person_photos) >= 3:
            count = max(1, len(person_photos) // 5)
            held.update(photo.path for photo in person_photos[-count:])
    first = [photo for photo in photos if photo.path not in held]
    random.Random(seed).shuffle(first)
    return first, [photo for photo in photos if photo.path in held]


class Library:
    """A fresh embedded library in a temp folder, driven step by step through the product's code."""

    def __init__(self, data_dir: Path) -> None:
        settings = Settings(data_dir=data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(settings.resolved_database_url())
        setup_broker(settings)  # an in-process queue: the debounced recluster asks land there unused
        self.runtime = runtime_module.configure(settings)
        self.owner = User(username="eval", password_hash="")
        with transaction(self.runtime.sessions) as session:
            session.add(self.owner)
        self.photo_of_path: dict[Path, uuid.UUID] = {}

    def add(self, photos: Sequence[LabelledPhoto]) -> None:
        settings = self.runtime.settings
        limits = UploadLimits(max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels)
        for photo in photos:
            result = upload_photos(
                sessions=self.runtime.sessions, blobs=self.runtime.blobs, owner_id=self.owner.id, limits=limits,
                files=[IncomingFile(file_name=photo.path.name, data=photo.path.read_bytes())], enqueue=lambda ids: None,
            )
            if result.photos:
                self.photo_of_path[photo.path] = result.photos[0].id
        new_faces: list[uuid.UUID] = []
        for photo in photos:
            photo_id = self.photo_of_path.get(photo.path)
            if photo_id is not None and ingest_photo(self.runtime, photo_id):
                new_faces += detect_faces(self.runtime, photo_id)
        if new_faces:
            assign_new_faces(self.runtime, new_faces)
        recluster_owner(self.runtime, self.owner.id, force=True)

    def faces(self) -> list[Face]:
        with self.runtime.sessions() as session:
            return list(session.exec(select(Face).where(Face.owner_id == self.owner.id)).all())

    def photo_sizes(self) -> dict[uuid.UUID, tuple[int, int]]:
        with self.runtime.sessions() as session:
            query = select(Photo.id, Photo.width, Photo.height).where(Photo.owner_id == self.owner.id)
            rows = session.exec(query).all()
        return {photo_id: (width or 1, height or 1) for photo_id, width, height in rows}

    def clusters(self) -> dict[uuid.UUID, FaceCluster]:
        with self.runtime.sessions() as session:
            rows = session.exec(select(FaceCluster).where(FaceCluster.owner_id == self.owner.id)).all()
        return {row.id: row for row in rows}


def labelled_faces(library: Library, photos: Sequence[LabelledPhoto], faces: Sequence[Face]) -> dict[uuid.UUID, str]:
    """Face id -> person for single-person photos: the large face nearest the centre is the person's.
    ``faces``: the library's faces (``Library.faces()``), read once by the caller."""
    faces_by_photo: dict[uuid.UUID, list[Face]] = defaultdict(list)
    for face in faces:
        faces_by_photo[face.photo_id].append(face)
    sizes = library.photo_sizes()
    labels: dict[uuid.UUID, str] = {}
    for photo in photos:
        photo_id = library.photo_of_path.get(photo.path)
        if photo.single is None or photo_id is None or not faces_by_photo[photo_id]:
            continue
        shown = faces_by_photo[photo_id]
        boxes = [(f.face_location["x"], f.face_location["y"], f.face_location["width"], f.face_location["height"])
                 for f in shown]
        labels[shown[named_face_index(boxes, *sizes[photo_id])].id] = photo.single
    return labels


def run_eval(folder: Path, *, json_path: Path | None = None, batches: int = 4, seed: int = 0) -> int:
    report = evaluate(folder, batches=batches, seed=seed)
    print(format_report(report))
    if json_path:
        json_path.write_text(json.dumps(asdict(report), indent=2))
    return 0


def evaluate(folder: Path, *, batches: int = 4, seed: int = 0, data_dir: Path | None = None) -> EvalReport:
    photos = read_labels(folder)
    first, held_back = split_held_back(photos, seed=seed)
    with tempfile.TemporaryDirectory(prefix="facesort-eval-") as tmp:
        library = Library(data_dir or Path(tmp) / "data")
        started = time.perf_counter()
        size = max(1, -(-len(first) // batches))
        for start in range(0, len(first), size):
            library.add(first[start : start + size])
        report = _score_clustering(library, first)
        named = _name_clusters_by_majority(library, first)
        _score_search(library, first, named, report)
        library.add(held_back)
        _score_held_back(library, held_back, report)
        report.seconds = round(time.perf_counter() - started, 1)
        report.photos = len(photos)
        report.photos_per_second = round(len(photos) / report.seconds, 2) if report.seconds else 0.0
        library.runtime.close()
    return report


def _predicted(
    library: Library, labels: dict[uuid.UUID, str], by_id: dict[uuid.UUID, Face]
) -> tuple[list[str], list[int], dict[uuid.UUID, int]]:
    cluster_index = {cid: i for i, cid in enumerate(library.clusters())}
    truth, predicted = [], []
    for face_id, person in labels.items():
        cluster_id = by_id[face_id].cluster_id
        truth.append(person)
        predicted.append(cluster_index.get(cluster_id, UNKNOWN) if cluster_id else UNKNOWN)
    return truth, predicted, cluster_index


def _shown_as(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _score_clustering(library: Library, photos: Sequence[LabelledPhoto]) -> EvalReport:
    faces = library.faces()
    by_id = {face.id: face for face in faces}
    labels = labelled_faces(library, photos, faces)
    truth, predicted, _ = _predicted(library, labels, by_id)
    scores = clustering_scores(truth, predicted)
    known = [(t, p) for t, p in zip(truth, predicted, strict=True) if not t.startswith(STRANGER_PREFIX)]
    strangers = [p for t, p in zip(truth, predicted, strict=True) if t.startswith(STRANGER_PREFIX)]
    report = EvalReport(labelled_faces=len(truth))
    report.pairwise = _scores_dict(scores.pairwise)
    report.bcubed = _scores_dict(scores.bcubed)
    report.unknown_share = round(1 - clustered_share([p for _, p in known]), 4) if known else 0.0
    report.strangers_clustered_share = round(clustered_share(strangers), 4) if strangers else 0.0
    path_of = {photo_id: path for path, photo_id in library.photo_of_path.items()}
    report.unknown_photos = sorted(
        _shown_as(path_of[by_id[face_id].photo_id])
        for face_id, person, cluster in zip(labels, truth, predicted, strict=True)
        if cluster == UNKNOWN and not person.startswith(STRANGER_PREFIX)
    )
    return report


def _scores_dict(scores: Any) -> dict[str, float]:
    return {"precision": round(scores.precision, 4), "recall": round(scores.recall, 4), "f1": round(scores.f1, 4)}


def _name_clusters_by_majority(library: Library, photos: Sequence[LabelledPhoto]) -> dict[str, uuid.UUID]:
    """Name every cluster after the person most of its labelled faces show (strangers stay unnamed)."""
    faces = library.faces()
    labels = labelled_faces(library, photos, faces)
    truth, predicted, cluster_index = _predicted(library, labels, {face.id: face for face in faces})
    ids = {i: cid for cid, i in cluster_index.items()}
    named: dict[str, uuid.UUID] = {}
    for index, person in majority_names(truth, predicted).items():
        if str(person).startswith(STRANGER_PREFIX):
            continue
        cluster = name_cluster(library.runtime.sessions, owner_id=library.owner.id, cluster_id=ids[index],
                               name=str(person))
        named[str(person)] = cluster.id
    return named


def _photos_by_person(library: Library) -> dict[str, frozenset[uuid.UUID]]:
    with library.runtime.sessions() as session:
        rows = session.exec(
            select(FaceCluster.name, Face.photo_id)
            .join(Face, col(Face.cluster_id) == col(FaceCluster.id))
            .where(FaceCluster.owner_id == library.owner.id, col(FaceCluster.name).is_not(None))
        ).all()
    found: dict[str, set[uuid.UUID]] = defaultdict(set)
    for name, photo_id in rows:
        found[str(name)].add(photo_id)
    return {name: frozenset(ids) for name, ids in found.items()}


def _score_search(
    library: Library, photos: Sequence[LabelledPhoto], named: dict[str, uuid.UUID], report: EvalReport
) -> None:
    counts: dict[str, int] = defaultdict(int)
    for photo in photos:
        if photo.single:
            counts[photo.single] += 1
    truth: dict[uuid.UUID, frozenset[str]] = {}
    complete: dict[uuid.UUID, bool] = {}
    for photo in photos:
        photo_id = library.photo_of_path.get(photo.path)
        if photo_id is not None:
            truth[photo_id] = photo.people
            complete[photo_id] = photo.fully_labelled
    found_by_person = _photos_by_person(library)
    found: dict[uuid.UUID, set[str]] = defaultdict(set)
    for person, photo_ids in found_by_person.items():
        for photo_id in photo_ids:
            found[photo_id].add(person)
    scores = photos_of_person_scores(
        truth, {pid: frozenset(people) for pid, people in found.items()}, fully_labelled=complete
    )
    eligible = [s for s in scores.values() if counts.get(str(s.person), 0) >= 3]
    overall = micro_average(eligible)
    report.photos_of_name = _scores_dict(overall)
    report.photos_of_name_per_person = {
        str(s.person): {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "photos": s.true_photos}
        for s in eligible
    }


def _score_held_back(library: Library, held_back: Sequence[LabelledPhoto], report: EvalReport) -> None:
    faces = library.faces()
    labels = labelled_faces(library, held_back, faces)
    clusters = library.clusters()
    by_id = {face.id: face for face in faces}
    named = {by_id[face_id].photo_id: face_id for face_id in labels}
    right = 0
    for photo in held_back:
        photo_id = library.photo_of_path.get(photo.path)
        face_id = named.get(photo_id) if photo_id is not None else None
        cluster_id = by_id[face_id].cluster_id if face_id is not None else None
        got = clusters[cluster_id].name if cluster_id is not None and cluster_id in clusters else None
        if face_id is not None and got == labels[face_id]:
            right += 1
        else:
            what = "no face found" if face_id is None else f"got {got}" if got else "left unknown"
            report.held_back_missed.append(f"{_shown_as(photo.path)}: {what}")
    report.auto_named_photos = len(held_back)
    report.auto_named_share = round(right / len(held_back), 4) if held_back else 0.0


def format_report(report: EvalReport) -> str:
    lines = [
        f"photos {report.photos}, labelled faces {report.labelled_faces}, {report.seconds} s "
        f"({report.photos_per_second} photos/s)",
        f"pairwise  P {report.pairwise['precision']:.4f}  R {report.pairwise['recall']:.4f}  "
        f"F1 {report.pairwise['f1']:.4f}",
        f"BCubed    P {report.bcubed['precision']:.4f}  R {report.bcubed['recall']:.4f}  "
        f"F1 {report.bcubed['f1']:.4f}",
        f"real faces left unknown {report.unknown_share:.2%}; strangers put in a cluster "
        f"{report.strangers_clustered_share:.2%}",
        f"photos of NAME (people with 3+ photos): P {report.photos_of_name['precision']:.4f}  "
        f"R {report.photos_of_name['recall']:.4f}",
        f"photos added after naming, named automatically: {report.auto_named_share:.2%} "
        f"of {report.auto_named_photos}",
    ]
    worst = sorted(report.photos_of_name_per_person.items(), key=lambda kv: kv[1]["precision"] + kv[1]["recall"])
    lines += [f"  {name}: P {s['precision']:.3f} R {s['recall']:.3f} ({s['photos']} photos)" for name, s in worst[:5]]
    if report.unknown_photos:
        lines.append(f"photos whose person's face stayed unknown: {', '.join(report.unknown_photos[:10])}"
                     + (f" and {len(report.unknown_photos) - 10} more" if len(report.unknown_photos) > 10 else ""))
    lines += [f"  not named after naming: {missed}" for missed in report.held_back_missed[:10]]
    return "\n".join(lines)
