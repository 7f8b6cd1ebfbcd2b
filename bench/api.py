"""API latency on a big library: ``python -m bench.api [--photos 100000] [--runs 300]``.

Fills a fresh PostgreSQL database (COPY, synthetic rows) with 100k photos, 200k faces and 2k
people, starts the real app under uvicorn, and measures over HTTP (keep-alive, bearer token)
p50/p95 of: photos of NAME (first page, DESIGN.md's PhotosOf), a two-person ALL search, and the
people list with cover faces. Next to each, the bare SQL that gives the same answer (the same
statements the app issues, run back to back on one psycopg connection) in the same run. Then the
floor under every answer: an authenticated ``{ __typename }`` (HTTP, the token's lookup, the
GraphQL request's handling, no other read).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

from bench.proc import free_port

REPO = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("FACESORT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PLACES = [("Paris, Île-de-France, FR", "FR"), ("Lyon, Auvergne-Rhone-Alpes, FR", "FR"), ("Berlin, Berlin, DE", "DE"),
          ("Rome, Lazio, IT", "IT"), (None, None)]
CAMERAS = ["Canon EOS R5", "iPhone 15", "Pixel 8", "Nikon Z6"]

PHOTOS_OF = """
query PhotosOf($names: [String!], $after: String) {
  photos(first: 50, after: $after, filter: { personNames: $names, personMatch: ALL }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id fileName takenAt location thumbnailUrl
                   faces { id box { x y width height } cluster { id name } } } }
  }
}
"""
PEOPLE = """
query People { people(first: 50) { totalCount
  edges { node { id name faceCount photoCount coverFace { id cropUrl box { x y width height } } } } } }
"""

# The app's statements for photos of NAME (core.repositories.search): names to cluster ids first,
# then the page with plain ids (IN lists, so the planner sees each cluster's size), then the count.
PEOPLE_IDS_SQL = """SELECT record_id, name_key, photo_count FROM face_clusters
WHERE owner_id = %(owner)s AND name_key IN ({keys})"""
PAGE_SQL = """{with_} SELECT * FROM photos WHERE owner_id = %(owner)s AND {people}
ORDER BY taken_at DESC NULLS FIRST, record_id DESC LIMIT 51"""
PERSON_SQL = "record_id IN (SELECT photo_id FROM faces WHERE cluster_id IN ({ids}))"
CANDIDATES_SQL = """WITH candidates AS MATERIALIZED (
SELECT photo_id FROM faces f WHERE cluster_id IN ({ids}) {others})"""
ALSO_SQL = "AND EXISTS (SELECT 1 FROM faces g WHERE g.photo_id = f.photo_id AND g.cluster_id IN ({ids}))"
COUNT_SQL = "SELECT count(DISTINCT photo_id) FROM faces f WHERE cluster_id IN ({ids}) {others}"
# Faces as the API reads them (core.repositories.rows.FaceRow): all but the embedding and the quality detail.
FACE_COLUMNS = ("record_id, owner_id, photo_id, face_location, embedding_model, embedding_dim, cluster_id, "
                "detection_confidence, quality, clusterable, assigned_by, created_at, updated_at")
FACES_SQL = f"SELECT {FACE_COLUMNS} FROM faces WHERE photo_id = ANY(%(ids)s) AND owner_id = %(owner)s"
CLUSTERS_SQL = "SELECT * FROM face_clusters WHERE record_id = ANY(%(ids)s) AND owner_id = %(owner)s"
PEOPLE_SQL = """SELECT * FROM face_clusters WHERE owner_id = %(owner)s AND name_key IS NOT NULL AND hidden IS false
ORDER BY face_count DESC, name_key, record_id LIMIT 51"""
PEOPLE_COUNT_SQL = "SELECT count(*) FROM face_clusters WHERE owner_id = %(owner)s AND name_key IS NOT NULL " \
                   "AND hidden IS false"
COVERS_SQL = f"SELECT {FACE_COLUMNS} FROM faces WHERE record_id = ANY(%(ids)s) AND owner_id = %(owner)s"


def _copy(conn: psycopg.Connection, table: str, columns: list[str], rows: Iterable[Sequence[object]]) -> None:
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def fill(url: str, *, photos: int, faces_per_photo: int, people: int, seed: int = 1) -> tuple[uuid.UUID, list[str]]:
    """Synthetic library; returns the owner and the people's names."""
    rng = random.Random(seed)
    owner = uuid.uuid4()
    now = datetime.now(UTC)
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO users (record_id, username, password_hash, created_at, updated_at) "
                     "VALUES (%s, 'bench', 'x', %s, %s)", (owner, now, now))
        names = [f"Person {i:04d} {rng.choice(['Müller', 'Dupont', 'Rossi', 'Smith'])}" for i in range(people)]
        clusters = [uuid.uuid4() for _ in names]
        _copy(conn, "face_clusters", ["record_id", "owner_id", "name", "name_key", "face_count", "photo_count",
                                      "hidden", "created_at", "updated_at"],
              [(cid, owner, name, name.lower().replace("ü", "u"), 0, 0, False, now, now)
               for cid, name in zip(clusters, names, strict=True)])
        photo_rows, face_rows = [], []
        start = datetime(2015, 1, 1, tzinfo=UTC)
        for i in range(photos):
            pid = uuid.uuid4()
            digest = f"{i:064x}"
            place, country = rng.choice(PLACES)
            taken = start + timedelta(seconds=rng.randrange(10 * 365 * 86400))
            photo_rows.append((pid, owner, f"IMG_{i:06d}.jpg", f"originals/{digest[:2]}/{digest}", digest, 1000,
                               "image/jpeg", now, place, country, rng.choice(CAMERAS), "{}", taken, 4000, 3000,
                               "done", 1, now, now, now, now))
            # Popular people appear more: a skewed pick keeps some names in thousands of photos.
            chosen = rng.sample(range(people), faces_per_photo)
            for slot, person in enumerate(chosen):
                cluster = clusters[min(person, int(rng.paretovariate(1.2)) % people)] if rng.random() > 0.1 else None
                box = f'{{"x": {100 + 300 * slot}, "y": 100, "width": 120, "height": 140, "landmarks": []}}'
                face_rows.append((uuid.uuid4(), owner, pid, box, b"\x00" * 16, "bench", 4, cluster, 0.99,
                                  rng.random(), "{}", True, "auto" if cluster else "none", now, now))
        _copy(conn, "photos", ["record_id", "owner_id", "file_name", "file_path", "sha256", "size_bytes",
                               "content_type", "upload_date", "location", "country", "camera", "metadata",
                               "taken_at", "width", "height", "status", "attempts", "ingested_at",
                               "processed_at", "created_at", "updated_at"], photo_rows)
        _copy(conn, "faces", ["record_id", "owner_id", "photo_id", "face_location", "face_embedding",
                              "embedding_model", "embedding_dim", "cluster_id", "detection_confidence", "quality",
                              "quality_detail", "clusterable", "assigned_by", "created_at", "updated_at"], face_rows)
        conn.execute("""
            UPDATE face_clusters c SET face_count = s.faces, photo_count = s.photos, cover_face_id = s.cover
            FROM (SELECT cluster_id, count(*) AS faces, count(DISTINCT photo_id) AS photos,
                         (array_agg(record_id ORDER BY quality DESC))[1] AS cover
                  FROM faces WHERE cluster_id IS NOT NULL GROUP BY cluster_id) s
            WHERE c.record_id = s.cluster_id""")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        # What autovacuum does soon after a bulk load: statistics, and the visibility map that lets
        # index-only scans skip the table.
        conn.execute("VACUUM ANALYZE")
    return owner, names


SERVE = """
import sys, uvicorn
from core.settings import Settings
from pipeline.broker import setup_broker
from api.app import create_app
settings = Settings()
setup_broker(settings)
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed_pair(runs: int, first: Callable[[int], object], second: Callable[[int], object]
               ) -> tuple[list[float], list[float]]:
    """Samples of two ways to the same answer, taken turn about so that a change in the machine's
    load (it is shared) weighs on both alike."""
    for i in range(min(20, runs)):
        first(i)  # warm caches and the connections
        second(i)
    samples: tuple[list[float], list[float]] = ([], [])
    for i in range(runs):
        for action, found in ((first, samples[0]), (second, samples[1])) if i % 2 else (
                (second, samples[1]), (first, samples[0])):
            start = time.perf_counter()
            action(i)
            found.append((time.perf_counter() - start) * 1000)
    return samples


def _placeholders(prefix: str, values: list[object], params: dict[str, object]) -> str:
    """An ``IN`` list of one parameter per value, as SQLAlchemy sends it (an array would hide the values
    from the planner's statistics)."""
    names = []
    for n, value in enumerate(values):
        params[f"{prefix}{n}"] = value
        names.append(f"%({prefix}{n})s")
    return ", ".join(names)


def bare_photos_of(conn: psycopg.Connection, owner: uuid.UUID, keys: list[str]) -> int:
    """The statements the app sends for PhotosOf(names, ALL), each written out by hand."""
    from core.repositories.search import WantedPerson, start_from_smallest

    params: dict[str, object] = {"owner": owner}
    found = conn.execute(PEOPLE_IDS_SQL.format(keys=_placeholders("k", list(keys), params)), params).fetchall()
    people = sorted(([(cid, count) for cid, key, count in found if key == wanted] for wanted in keys),
                    key=lambda person: sum(count for _, count in person))
    if any(not person for person in people):
        return 0
    ids = [_placeholders(f"p{n}_", [cid for cid, _ in person], params) for n, person in enumerate(people)]
    others = " ".join(ALSO_SQL.format(ids=other) for other in ids[1:])
    estimate = conn.execute("SELECT reltuples FROM pg_class WHERE oid = 'photos'::regclass").fetchone()[0]
    wanted = [WantedPerson(cluster_ids=tuple(cid for cid, _ in person), photo_count=sum(c for _, c in person))
              for person in people]
    if start_from_smallest(wanted, max(int(estimate), 1)):
        page_sql = PAGE_SQL.format(with_=CANDIDATES_SQL.format(ids=ids[0], others=others),
                                   people="record_id IN (SELECT photo_id FROM candidates)")
    else:
        page_sql = PAGE_SQL.format(with_="", people=" AND ".join(PERSON_SQL.format(ids=one) for one in ids))
    page = conn.execute(page_sql, params).fetchall()
    if len(page) > 50 and (len(people) > 1 or len(people[0]) > 1):  # one cluster: its photo_count
        conn.execute(COUNT_SQL.format(ids=ids[0], others=others), params).fetchone()
    faces = conn.execute(FACES_SQL, {"owner": owner, "ids": [row[0] for row in page]}).fetchall()
    cluster_ids = list({face[6] for face in faces if face[6] is not None})
    conn.execute(CLUSTERS_SQL, {"owner": owner, "ids": cluster_ids}).fetchall()
    return len(page)


def bare_people(conn: psycopg.Connection, owner: uuid.UUID) -> int:
    rows = conn.execute(PEOPLE_SQL, {"owner": owner}).fetchall()
    conn.execute(PEOPLE_COUNT_SQL, {"owner": owner}).fetchone()
    covers = [row[6] for row in rows if row[6] is not None]
    conn.execute(COVERS_SQL, {"owner": owner, "ids": covers}).fetchall()
    return len(rows)


def _drop_stale_databases() -> None:
    """Drop the databases of earlier runs whose process is gone (killed before it could clean up)."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        names = [row[0] for row in admin.execute(
            "SELECT datname FROM pg_database WHERE datname ~ '^facesort_bench_[0-9]+$'").fetchall()]
        for name in names:
            try:
                os.kill(int(name.rsplit("_", 1)[1]), 0)
            except ProcessLookupError:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                print(f"dropped {name}, left by a run that died")
            except PermissionError:
                pass  # alive, someone else's


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # so that the database is dropped on the way out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--faces-per-photo", type=int, default=2)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the filled database (for EXPLAIN ANALYZE)")
    parser.add_argument("--database", help="measure a database an earlier --keep run filled (no fill, no drop)")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, _stop)
    _drop_stale_databases()
    name = args.database.rsplit("/", 1)[1] if args.database else (
        f"facesort_bench_{'keep_' if args.keep else ''}{os.getpid()}")
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    if not args.database:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    data_dir = Path(f"/tmp/{name}_data")
    try:
        if not args.database:
            from core.migrate import upgrade

            upgrade(url.replace("postgresql://", "postgresql+psycopg://", 1))
            started = time.perf_counter()
            fill(url, photos=args.photos, faces_per_photo=args.faces_per_photo, people=args.people)
            print(f"filled {args.photos} photos, {args.photos * args.faces_per_photo} faces, {args.people} people "
                  f"in {time.perf_counter() - started:.1f} s")
        measure(url, runs=args.runs, data_dir=data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if args.keep:
            print(f"kept {url}")
        elif not args.database:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def measure(url: str, *, runs: int, data_dir: Path) -> None:
    """Start the app on the filled database and print the table."""
    from core.db import make_engine, make_session_factory
    from core.services.accounts import create_api_token

    with psycopg.connect(url) as conn:
        owner = conn.execute("SELECT record_id FROM users WHERE username = 'bench'").fetchone()[0]  # type: ignore[index]
    engine = make_engine(url)
    _, token = create_api_token(make_session_factory(engine), user_id=owner, name="bench")
    engine.dispose()

    port = free_port()
    env = {**os.environ, "FACESORT_DATABASE_URL": url, "FACESORT_DATA_DIR": str(data_dir),
           "FACESORT_SECRET_KEY": "bench-secret-key", "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=env, cwd=REPO)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"},
                          timeout=30) as client:
            _wait_until_up(server, client)
            _measure_operations(url, owner, client, runs)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(server: subprocess.Popen[bytes], client: httpx.Client) -> None:
    for _ in range(600):  # a loaded machine may take a while to import the app
        if server.poll() is not None:
            raise SystemExit("the server exited at start-up")
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer /healthz")


def people_to_ask(url: str) -> tuple[list[str], list[list[str]]]:
    """The names the operations ask for, in a fixed order so runs compare: people with at least 60
    photos (a full first page), and pairs of people with many photos."""
    with psycopg.connect(url) as conn:
        popular = [row[0] for row in conn.execute(
            "SELECT name FROM face_clusters WHERE photo_count >= 60 ORDER BY name LIMIT 40").fetchall()]
        pairs = [[row[0], row[1]] for row in conn.execute(
            """SELECT a.name, b.name FROM face_clusters a JOIN face_clusters b
               ON a.name < b.name WHERE a.photo_count > 500 AND b.photo_count > 200 LIMIT 40""").fetchall()]
    random.Random(7).shuffle(popular)
    return popular, pairs


def _measure_operations(url: str, owner: uuid.UUID, client: httpx.Client, runs: int) -> None:
    from psycopg.types.json import set_json_loads

    from core.db import POSTGRES_OPTIONS, json_loads

    popular, pairs_with_photos = people_to_ask(url)

    def http(query: str, variables: dict[str, object]) -> None:
        response = client.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body

    def keys(names: list[str]) -> list[str]:
        return [name.lower().replace("ü", "u") for name in names]

    # The bare statements run with the app's session settings (core.db), so they are the same plans,
    # and decode JSON as the app does.
    with psycopg.connect(url, autocommit=True, options=POSTGRES_OPTIONS) as conn:
        set_json_loads(json_loads, conn)
        ops: list[tuple[str, Callable[[int], object], Callable[[int], object]]] = [
            ("photos of NAME, first page",
             lambda i: http(PHOTOS_OF, {"names": [popular[i % len(popular)]]}),
             lambda i: bare_photos_of(conn, owner, keys([popular[i % len(popular)]]))),
            ("two people, ALL",
             lambda i: http(PHOTOS_OF, {"names": pairs_with_photos[i % len(pairs_with_photos)]}),
             lambda i: bare_photos_of(conn, owner, keys(pairs_with_photos[i % len(pairs_with_photos)]))),
            ("people list (50, cover faces)", lambda i: http(PEOPLE, {}), lambda i: bare_people(conn, owner)),
        ]
        print(f"\nload average before: {_load()}")
        print("| operation | HTTP p50 ms | HTTP p95 ms | bare SQL p50 ms | bare SQL p95 ms | p95 ratio |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, over_http, bare in ops:
            http_samples, sql_samples = timed_pair(runs, over_http, bare)
            http_p50, http_p95 = percentiles(http_samples)
            sql_p50, sql_p95 = percentiles(sql_samples)
            print(f"| {label} | {http_p50:.1f} | {http_p95:.1f} | {sql_p50:.1f} | {sql_p95:.1f} | "
                  f"{http_p95 / sql_p95:.2f}x |", flush=True)
        # What any answer costs before its reads: HTTP, the token's lookup, GraphQL's request handling.
        floor = []
        for _ in range(runs):
            started = time.perf_counter()
            http("{ __typename }", {})
            floor.append((time.perf_counter() - started) * 1000)
        floor_p50, floor_p95 = percentiles(floor[min(20, runs // 10):])
        print(f"floor, an authenticated {{ __typename }} over HTTP: p50 {floor_p50:.1f} ms, p95 {floor_p95:.1f} ms")
        print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
