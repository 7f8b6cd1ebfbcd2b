"""How facesort's people path grows with the library: ``python -m bench.scale``.

Synthetic libraries of 10k, 100k and 1M faces shaped like an embedding's (``--embedding``, the
same model as ``bench.cluster``: ArcFace's 512-d unit vectors by default, same-person pairs about
0.88 apart and different people about 1.41; or dlib's 128-d, 0.4 and 0.9), with that embedding's
distances (core.embedding_models): a few thousand people, each a centre with faces scattered
about it, 90% of the faces already
in their person's cluster and 10% unknown faces of people not yet clustered. Two owners share
the index (80% / 20%), so every search is filtered by owner as in the product.

At each size it measures, on the real Qdrant Edge adapter (``core.vectors.EdgeVectorIndex``,
the embedded default, with its payload indexes):

* upsert throughput (points/s, in the adapter's batches), with ``optimize()`` (the HNSW build)
  after every chunk of 50k faces, as the product calls it after the recluster that follows
  every import (``--exact`` leaves the graph out to measure exact search);
* query latency, p50/p95 over single searches (20 nearest, owner filter, and owner plus
  ``assigned`` filter as assignment asks);
* assignment ms/face: what the ``assign_faces`` job does per photo (both searches of
  ``pipeline.people.assign`` and the decision ``pipeline.steps.assignment.assign_faces``; the
  one indexed SQL lookup of the neighbours' clusters is left out) and its accuracy;
* recluster time and peak memory: ``pipeline.steps.clustering.cluster_faces`` over the unknown
  faces only, as the recluster job loads them, in a fresh process so its peak RSS is its own.

Prints a table and, per 10x more faces, how many times each figure grew.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import multiprocessing
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bench.cluster import FaceShape, synthetic_faces
from bench.proc import proc_kb
from core.embedding_models import BY_SETTING
from core.vectors import EdgeVectorIndex, FacePoint
from pipeline.people.assign import NEIGHBOURS
from pipeline.steps.assignment import AssignParams, Neighbour, NewFace, assign_faces
from pipeline.steps.clustering import UNKNOWN, ClusterParams, cluster_faces

PEOPLE = 3_000  # "a few thousand" people in a library
UNKNOWN_SHARE = 0.10
MAIN_OWNER_SHARE = 0.8
MAIN_OWNER = uuid.UUID(int=1)
OTHER_OWNER = uuid.UUID(int=2)
CHUNK = 50_000  # faces generated and upserted per step, to bound memory at 1M


@dataclass
class SizeResult:
    faces: int
    upsert_points_per_s: float = 0.0
    upsert_seconds: float = 0.0
    query_ms: dict[str, float] = field(default_factory=dict)
    assign_ms_per_face: float = 0.0
    assign_correct: float = 0.0
    assign_wrong: float = 0.0
    optimize_seconds: float | None = None
    recluster_faces: int = 0
    recluster_seconds: float = 0.0
    recluster_peak_mb: float = 0.0
    recluster_input_mb: float = 0.0
    recluster_clusters: int = 0
    disk_mb: float = 0.0


class Library:
    """The synthetic library: people's centres and a deterministic face generator."""

    def __init__(self, n: int, embedding: str, seed: int = 0) -> None:
        self.n = n
        self.seed = seed
        self.embedding = embedding
        self.shape = FaceShape(embedding)
        rng = np.random.default_rng(seed)
        self.centres = self.shape.centres(rng, PEOPLE)
        self.cluster_ids = [uuid.UUID(int=(1 << 64) + i) for i in range(PEOPLE)]
        self.known = n - int(n * UNKNOWN_SHARE)

    def face(self, rng: np.random.Generator, people: NDArray[np.int64]) -> NDArray[np.float32]:
        return self.shape.faces(rng, self.centres[people])

    def known_chunks(self) -> Any:
        """(face index start, embeddings, person) chunks of the clustered faces."""
        rng = np.random.default_rng(self.seed + 1)
        for start in range(0, self.known, CHUNK):
            count = min(CHUNK, self.known - start)
            people = rng.integers(0, PEOPLE, count)
            yield start, self.face(rng, people), people

    def unknown_faces(self) -> tuple[NDArray[np.float32], list[int]]:
        """The unknown share: people not clustered yet (bench.cluster's mix of regulars and strangers)."""
        embeddings, photos, _ = synthetic_faces(self.n - self.known, seed=self.seed + 2, embedding=self.embedding)
        return embeddings, photos


def _points(start: int, embeddings: NDArray[np.float32], clusters: Sequence[uuid.UUID | None]) -> list[FacePoint]:
    # Two faces in every ten belong to the other owner: 80% / 20%, interleaved.
    return [
        FacePoint(
            face_id=uuid.UUID(int=start + i + 1),
            vector=embeddings[i],
            owner_id=MAIN_OWNER if (start + i) % 10 < MAIN_OWNER_SHARE * 10 else OTHER_OWNER,
            photo_id=uuid.UUID(int=(1 << 80) + start + i),
            cluster_id=clusters[i],
        )
        for i in range(len(embeddings))
    ]


def build_index(library: Library, path: Path, result: SizeResult, *, exact: bool) -> EdgeVectorIndex:
    """The index as the product grows it: chunks of faces, each followed by ``optimize()`` (which
    does nothing below the adapter's threshold), as the recluster after each import does."""
    dim = library.shape.dim
    index = EdgeVectorIndex(path, f"faces_bench_{dim}", dim, **({"optimize_min_points": 1 << 62} if exact else {}))
    index.ensure()
    upserting = optimizing = 0.0

    def add(points: list[FacePoint]) -> None:
        nonlocal upserting, optimizing
        clock = time.perf_counter()
        index.upsert(points)
        upserting += time.perf_counter() - clock
        clock = time.perf_counter()
        index.optimize()
        optimizing += time.perf_counter() - clock

    for start, embeddings, people in library.known_chunks():
        add(_points(start, embeddings, [library.cluster_ids[p] for p in people]))
    unknown, _ = library.unknown_faces()
    add(_points(library.known, unknown, [None] * len(unknown)))
    index.shard.flush()
    result.upsert_seconds = round(upserting, 2)
    result.upsert_points_per_s = round(library.n / upserting)
    result.optimize_seconds = None if exact else round(optimizing, 1)
    return index


def _percentiles(samples_ms: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return round(statistics.median(ordered), 2), round(ordered[int(0.95 * (len(ordered) - 1))], 2)


def measure_queries(index: EdgeVectorIndex, library: Library, queries: int) -> dict[str, float]:
    rng = np.random.default_rng(library.seed + 3)
    vectors = library.face(rng, rng.integers(0, PEOPLE, queries))
    found: dict[str, float] = {}
    for name, assigned_only in (("owner", False), ("owner+assigned", True)):
        samples = []
        for vector in vectors:
            clock = time.perf_counter()
            index.search(vector, owner_id=MAIN_OWNER, limit=NEIGHBOURS, assigned_only=assigned_only)
            samples.append((time.perf_counter() - clock) * 1000)
        found[f"{name} p50"], found[f"{name} p95"] = _percentiles(samples)
    return found


def measure_assignment(index: EdgeVectorIndex, library: Library, photos: int) -> tuple[float, float, float]:
    """ms per face of one assign_faces job per photo (1-3 faces); shares assigned right and wrong."""
    rng = np.random.default_rng(library.seed + 4)
    faces = right = wrong = 0
    seconds = 0.0
    for photo in range(photos):
        people = rng.choice(PEOPLE, size=int(rng.integers(1, 4)), replace=False)
        vectors = list(library.face(rng, people))
        clock = time.perf_counter()
        decision = _assign_photo(index, vectors, photo, AssignParams.for_model(BY_SETTING[library.embedding]))
        seconds += time.perf_counter() - clock
        faces += len(vectors)
        for i, person in enumerate(people):
            chosen = decision.get(i)
            right += int(chosen == library.cluster_ids[person])
            wrong += int(chosen is not None and chosen != library.cluster_ids[person])
    return round(seconds * 1000 / faces, 2), round(right / faces, 4), round(wrong / faces, 4)


def _assign_photo(
    index: EdgeVectorIndex, vectors: list[NDArray[np.float32]], photo: int, params: AssignParams
) -> dict[Any, Any]:
    # pipeline.people.assign._search: nearest assigned faces, and nearest faces of anyone.
    assigned = index.search_batch(vectors, owner_id=MAIN_OWNER, limit=NEIGHBOURS, assigned_only=True)
    anyone = index.search_batch(vectors, owner_id=MAIN_OWNER, limit=NEIGHBOURS)
    new_faces = []
    for i, (first, second) in enumerate(zip(assigned, anyone, strict=True)):
        seen = {n.face_id: n for n in first}
        seen.update({n.face_id: n for n in second if n.face_id not in seen})
        neighbours = [Neighbour(n.cluster_id, n.distance) for n in seen.values() if n.cluster_id is not None]
        new_faces.append(NewFace(face_id=i, photo_id=photo, neighbours=neighbours))
    return assign_faces(new_faces, params=params)




def _recluster_child(faces_file: str, embedding: str, queue: Any) -> None:
    loaded = np.load(faces_file)
    embeddings, photos = loaded["embeddings"], loaded["photos"].tolist()
    # The high-water mark of this process's memory (not ru_maxrss, which keeps the parent's across
    # exec), reset once the faces are loaded, so the rise above them is the clustering's own.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    baseline = proc_kb("self", "status", "VmRSS:")
    clock = time.perf_counter()
    labels = cluster_faces(embeddings, photo_ids=photos, params=ClusterParams.for_model(BY_SETTING[embedding]))
    seconds = time.perf_counter() - clock
    peak = proc_kb("self", "status", "VmHWM:")
    clusters = len(set(labels.tolist()) - {UNKNOWN})
    queue.put((len(embeddings), seconds, (peak - baseline) / 1024, embeddings.nbytes / 2**20, clusters))


def measure_recluster(library: Library, folder: Path, result: SizeResult) -> None:
    """In a fresh process, whose peak RSS above the loaded faces is the clustering's own memory."""
    embeddings, photos = library.unknown_faces()
    faces_file = folder / "unknown.npz"
    np.savez(faces_file, embeddings=embeddings, photos=np.asarray(photos))
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_recluster_child, args=(str(faces_file), library.embedding, queue))
    child.start()
    faces, seconds, peak_mb, input_mb, clusters = queue.get()
    child.join()
    result.recluster_faces, result.recluster_seconds = faces, round(seconds, 2)
    result.recluster_peak_mb, result.recluster_clusters = round(peak_mb, 1), clusters
    result.recluster_input_mb = round(input_mb, 1)


def _samples(wanted: int, faces: int) -> int:
    return max(min(wanted, 30), int(wanted * min(1.0, 100_000 / faces)))


def run_size(n: int, args: argparse.Namespace, log: Callable[[str], None]) -> SizeResult:
    result = SizeResult(faces=n)
    library = Library(n, args.embedding)
    folder = Path(tempfile.mkdtemp(prefix=f"facesort-scale-{n}-", dir=args.tmp))
    try:
        if not args.recluster_only:
            _measure_index(library, folder, args, result, log)
        measure_recluster(library, folder, result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    log(f"{n}: recluster of {result.recluster_faces} unknown faces {result.recluster_seconds} s")
    return result


def _measure_index(
    library: Library, folder: Path, args: argparse.Namespace, result: SizeResult, log: Callable[[str], None]
) -> None:
    n = library.n
    index = build_index(library, folder / "shard", result, exact=args.exact)
    log(f"{n}: upserted at {result.upsert_points_per_s} points/s, optimize {result.optimize_seconds} s")
    result.disk_mb = round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1)
    # Exact search grows with the library: fewer samples at 1M keep the run near 15 minutes.
    queries, photos = _samples(args.queries, n), _samples(args.photos, n)
    result.query_ms = measure_queries(index, library, queries)
    result.assign_ms_per_face, result.assign_correct, result.assign_wrong = measure_assignment(
        index, library, photos
    )
    log(f"{n}: queries {result.query_ms}, assignment {result.assign_ms_per_face} ms/face")
    index.close()
    shutil.rmtree(folder / "shard")


def _growth(results: Sequence[SizeResult], value: Callable[[SizeResult], float | None]) -> str:
    ratios = []
    for before, after in itertools.pairwise(results):
        a, b = value(before), value(after)
        if a and b:
            per_10x = (b / a) ** (1 / np.log10(after.faces / before.faces))
            ratios.append(f"{per_10x:.1f}x")
        else:
            ratios.append("-")
    return ", ".join(ratios) or "-"


ROWS: list[tuple[str, Callable[[SizeResult], Any]]] = [
    ("upsert, points/s", lambda r: r.upsert_points_per_s),
    ("index on disk, MB", lambda r: r.disk_mb),
    ("query p50, ms (owner)", lambda r: r.query_ms.get("owner p50")),
    ("query p95, ms (owner)", lambda r: r.query_ms.get("owner p95")),
    ("query p50, ms (owner+assigned)", lambda r: r.query_ms.get("owner+assigned p50")),
    ("query p95, ms (owner+assigned)", lambda r: r.query_ms.get("owner+assigned p95")),
    ("assignment, ms/face", lambda r: r.assign_ms_per_face),
    ("assigned right / wrong", lambda r: f"{r.assign_correct:.1%} / {r.assign_wrong:.1%}"),
    ("optimize (HNSW, after each 50k), s in all", lambda r: r.optimize_seconds),
    ("recluster: unknown faces", lambda r: r.recluster_faces),
    ("recluster, s", lambda r: r.recluster_seconds),
    ("recluster: their embeddings, MB", lambda r: r.recluster_input_mb),
    ("recluster peak memory above them, MB", lambda r: r.recluster_peak_mb),
]
GROWTH = {"query p50, ms (owner)", "query p95, ms (owner)", "assignment, ms/face", "recluster, s",
          "recluster peak memory above them, MB", "upsert, points/s", "optimize (HNSW, after each 50k), s in all"}


def table(results: Sequence[SizeResult]) -> str:
    header = ["", *[f"{r.faces:,} faces" for r in results], "growth per 10x"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, value in ROWS:
        cells = [_cell(value(r)) for r in results]
        growth = _growth(results, lambda r, v=value: _number(v(r))) if name in GROWTH else ""
        lines.append("| " + " | ".join([name, *cells, growth]) + " |")
    return "\n".join(lines)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _cell(value: Any) -> str:
    if value is None or value == {}:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200, help="searches timed per size")
    parser.add_argument("--photos", type=int, default=200, help="assign_faces jobs (1-3 faces each) per size")
    parser.add_argument("--exact", action="store_true", help="no HNSW graph: measure exact search")
    parser.add_argument("--recluster-only", action="store_true", help="skip the vector index measurements")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the temporary shards")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--embedding", choices=["arcface", "dlib"], default="arcface", help="shape of the faces")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", flush=True)

    results = [run_size(n, args, log) for n in args.sizes]
    print(table(results))
    print(f"total {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
