"""API latency on a big library: ``python -m bench.api [--photos 100000] [--runs 300]``.

Fills a fresh PostgreSQL database (COPY, synthetic rows) with 100k photos, 200k faces and 2k
people, starts the real app under uvicorn, and measures over HTTP (keep-alive, bearer token)
p50/p95 of: photos of NAME (first page, DESIGN.md's PhotosOf), a two-person ALL search, and the
people list with cover faces. Next to each, the bare SQL that gives the same answer (the same
statements the app issues, run back to back on one psycopg connection) in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

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

PAGE_SQL = """
SELECT * FROM photos WHERE owner_id = %(owner)s AND {people}
ORDER BY taken_at DESC NULLS FIRST, record_id DESC LIMIT 51
"""
COUNT_SQL = "SELECT count(*) FROM photos WHERE owner_id = %(owner)s AND {people}"
PERSON_SQL = ("record_id IN (SELECT photo_id FROM faces WHERE cluster_id IN (SELECT record_id FROM face_clusters "
              "WHERE owner_id = %(owner)s AND name_key = %({key})s))")
FACES_SQL = "SELECT * FROM faces WHERE photo_id = ANY(%(ids)s) AND owner_id = %(owner)s"
CLUSTERS_SQL = "SELECT * FROM face_clusters WHERE record_id = ANY(%(ids)s) AND owner_id = %(owner)s"
PEOPLE_SQL = """SELECT * FROM face_clusters WHERE owner_id = %(owner)s AND name_key IS NOT NULL AND hidden IS false
ORDER BY face_count DESC, name_key, record_id LIMIT 51"""
PEOPLE_COUNT_SQL = "SELECT count(*) FROM face_clusters WHERE owner_id = %(owner)s AND name_key IS NOT NULL " \
                   "AND hidden IS false"
COVERS_SQL = "SELECT * FROM faces WHERE record_id = ANY(%(ids)s) AND owner_id = %(owner)s"


def _copy(conn: psycopg.Connection, table: str, columns: list[str], rows: list[tuple[object, ...]]) -> None:
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
        conn.execute("ANALYZE")
    return owner, names


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


def timed(runs: int, action: Callable[[int], object]) -> list[float]:
    for i in range(min(20, runs)):
        action(i)  # warm caches and the connection
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bare_photos_of(conn: psycopg.Connection, owner: uuid.UUID, keys: list[str]) -> int:
    params: dict[str, object] = {"owner": owner}
    people = []
    for n, key in enumerate(keys):
        params[f"k{n}"] = key
        people.append(PERSON_SQL.replace("%(" + "{key}" + ")s", f"%(k{n})s"))
    where = " AND ".join(people)
    page = conn.execute(PAGE_SQL.format(people=where), params).fetchall()
    conn.execute(COUNT_SQL.format(people=where), params).fetchone()
    faces = conn.execute(FACES_SQL, {"owner": owner, "ids": [row[0] for row in page]}).fetchall()
    cluster_ids = list({face[7] for face in faces if face[7] is not None})
    conn.execute(CLUSTERS_SQL, {"owner": owner, "ids": cluster_ids}).fetchall()
    return len(page)


def bare_people(conn: psycopg.Connection, owner: uuid.UUID) -> int:
    rows = conn.execute(PEOPLE_SQL, {"owner": owner}).fetchall()
    conn.execute(PEOPLE_COUNT_SQL, {"owner": owner}).fetchone()
    covers = [row[6] for row in rows if row[6] is not None]
    conn.execute(COVERS_SQL, {"owner": owner, "ids": covers}).fetchall()
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--faces-per-photo", type=int, default=2)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    name = f"facesort_bench_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    server = None
    try:
        from core.migrate import upgrade

        upgrade(url.replace("postgresql://", "postgresql+psycopg://", 1))
        started = time.perf_counter()
        owner, _ = fill(url, photos=args.photos, faces_per_photo=args.faces_per_photo, people=args.people)
        print(f"filled {args.photos} photos, {args.photos * args.faces_per_photo} faces, {args.people} people "
              f"in {time.perf_counter() - started:.1f} s")
        from core.db import make_engine, make_session_factory
        from core.services.accounts import create_api_token

        engine = make_engine(url)
        _, token = create_api_token(make_session_factory(engine), user_id=owner, name="bench")
        engine.dispose()

        port = _free_port()
        env = {**os.environ, "FACESORT_DATABASE_URL": url, "FACESORT_DATA_DIR": f"/tmp/{name}",
               "FACESORT_SECRET_KEY": "bench-secret-key", "PYTHONPATH": str(REPO)}
        server = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=env, cwd=REPO)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"},
                              timeout=30)
        for _ in range(600):  # a loaded machine may take a while to import the app
            if server.poll() is not None:
                raise SystemExit("the server exited at start-up")
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        # Names of people with at least 50 photos: the first page is full.
        with psycopg.connect(url) as conn:
            popular = [row[0] for row in conn.execute(
                "SELECT name FROM face_clusters WHERE photo_count >= 60 ORDER BY random() LIMIT 40").fetchall()]
        pairs_with_photos = []
        with psycopg.connect(url) as conn:
            for row in conn.execute("""SELECT a.name, b.name FROM face_clusters a JOIN face_clusters b
                    ON a.name < b.name WHERE a.photo_count > 500 AND b.photo_count > 200 LIMIT 40""").fetchall():
                pairs_with_photos.append([row[0], row[1]])
        rng = random.Random(7)

        def http(query: str, variables: dict[str, object]) -> None:
            response = client.post("/graphql", json={"query": query, "variables": variables})
            body = response.json()
            assert response.status_code == 200, body
            assert "errors" not in body, body

        ops: list[tuple[str, Callable[[int], object], Callable[[psycopg.Connection, int], object]]] = [
            ("photos of NAME, first page",
             lambda i: http(PHOTOS_OF, {"names": [popular[i % len(popular)]]}),
             lambda conn, i: bare_photos_of(conn, owner, [popular[i % len(popular)].lower().replace("ü", "u")])),
            ("two people, ALL",
             lambda i: http(PHOTOS_OF, {"names": pairs_with_photos[i % len(pairs_with_photos)]}),
             lambda conn, i: bare_photos_of(conn, owner, [n.lower().replace("ü", "u")
                                                          for n in pairs_with_photos[i % len(pairs_with_photos)]])),
            ("people list (50, cover faces)", lambda i: http(PEOPLE, {}), lambda conn, i: bare_people(conn, owner)),
        ]
        rng.shuffle(popular)
        print()
        print("| operation | HTTP p50 ms | HTTP p95 ms | bare SQL p50 ms | bare SQL p95 ms | p95 ratio |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        with psycopg.connect(url, autocommit=True) as conn:
            for label, over_http, bare in ops:
                http_p50, http_p95 = percentiles(timed(args.runs, over_http))
                sql_p50, sql_p95 = percentiles(timed(args.runs, lambda i, bare=bare: bare(conn, i)))
                print(f"| {label} | {http_p50:.1f} | {http_p95:.1f} | {sql_p50:.1f} | {sql_p95:.1f} | "
                      f"{http_p95 / sql_p95:.2f}x |")
        client.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
