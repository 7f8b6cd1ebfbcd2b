"""Load on a real `facesort serve`: ``python -m bench.load``.

Starts the server with its embedded defaults (SQLite, Qdrant Edge, blobs and worker threads in one
process, a temp data folder) on a free loopback port. Eight clients upload 400 photos in total (the
dev set, each copy made unique by a JPEG comment segment) in small multipart batches, while two
more clients page through people and photos over GraphQL. Bounded: every client stops after its
share or at the deadline. Then it waits (bounded too) for the pipeline to finish.

Prints errors, lost photos (uploaded ids the library does not list), p50/p95/max latency per kind
of request, and the server's resident memory over the run (read from /proc). Exit status 1 on any
error or lost photo.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.proc import children, free_port, rss_kb

REPO = Path(__file__).resolve().parents[1]
PEOPLE = "query($after: String) { people(first: 50, after: $after) { totalCount pageInfo { endCursor } } }"
PHOTOS = ("query($after: String) { photos(first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor }"
          " edges { node { id fileName thumbnailUrl faces { id cluster { id name } } } } } }")
STATUS = "{ libraryStatus { photos pending processing done failed faces people clusters } }"


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    uploaded_ids: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)




def unique_photos(dev_set: Path, count: int) -> Iterator[tuple[str, bytes]]:
    """``count`` distinct JPEGs: dev-set photos, each copy with its own comment segment after SOI."""
    sources = sorted(p for p in dev_set.rglob("*.jp*g") if not any(part.startswith("_") for part in p.parts[-2:-1]))
    for index in range(count):
        source = sources[index % len(sources)]
        data = source.read_bytes()
        comment = f"facesort bench copy {index}".encode()
        segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        yield f"{index:04d}-{source.name}", data[:2] + segment + data[2:]


def rss_of(pid: int) -> int:
    """Resident memory of a process and its children (of any thread), in bytes."""
    return 1024 * sum(rss_kb(one) for one in [pid, *children(pid)])


def sample_memory(pid: int, samples: list[tuple[float, int]], stop: threading.Event, start: float) -> None:
    while not stop.is_set():
        samples.append((time.monotonic() - start, rss_of(pid)))
        stop.wait(1.0)


def uploader(base: str, photos: list[tuple[str, bytes]], batch: int, tally: Tally, deadline: float) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        for start in range(0, len(photos), batch):
            if time.monotonic() > deadline:
                tally.error("upload deadline reached")
                return
            files = [("files", (name, data, "image/jpeg")) for name, data in photos[start:start + batch]]
            began = time.monotonic()
            try:
                response = client.post("/api/photos", files=files)
            except httpx.HTTPError as exc:
                tally.error(f"upload: {exc!r}")
                continue
            tally.timed("upload batch", time.monotonic() - began)
            if response.status_code != 200:
                tally.error(f"upload: HTTP {response.status_code} {response.text[:200]}")
                continue
            body = response.json()
            for problem in body["errors"]:
                tally.error(f"upload refused {problem['fileName']}: {problem['error']}")
            with tally.lock:
                tally.uploaded_ids.update(photo["id"] for photo in body["photos"])


def querier(base: str, tally: Tally, stop: threading.Event, max_queries: int) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        for number in range(max_queries):
            if stop.is_set():
                return
            kind, query = ("people", PEOPLE) if number % 2 else ("photos page", PHOTOS)
            began = time.monotonic()
            try:
                response = client.post("/graphql", json={"query": query})
            except httpx.HTTPError as exc:
                tally.error(f"{kind}: {exc!r}")
                continue
            tally.timed(kind, time.monotonic() - began)
            if response.status_code != 200 or "errors" in response.json():
                tally.error(f"{kind}: HTTP {response.status_code} {response.text[:200]}")
            time.sleep(0.05)


def listed_ids(base: str) -> set[str]:
    """Every photo id the library lists, page by page."""
    ids: set[str] = set()
    after = None
    with httpx.Client(base_url=base, timeout=60) as client:
        while True:
            query = ("query($after: String) { photos(first: 500, after: $after) { pageInfo { hasNextPage endCursor }"
                     " edges { node { id } } } }")
            page = client.post("/graphql", json={"query": query, "variables": {"after": after}}).json()
            connection = page["data"]["photos"]
            ids.update(edge["node"]["id"] for edge in connection["edges"])
            if not connection["pageInfo"]["hasNextPage"]:
                return ids
            after = connection["pageInfo"]["endCursor"]


def library_status(base: str) -> dict[str, int]:
    response = httpx.post(f"{base}/graphql", json={"query": STATUS}, timeout=60)
    return response.json()["data"]["libraryStatus"]  # type: ignore[no-any-return]


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"n={len(ordered):4d}  p50={statistics.median(ordered) * 1000:7.0f} ms  p95={p95 * 1000:7.0f} ms  "
            f"max={ordered[-1] * 1000:7.0f} ms")


def start_server(data_dir: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FACESORT_")}
    env.update({"FACESORT_DATA_DIR": str(data_dir), "FACESORT_WORKER_THREADS": "1"})
    with log_path.open("wb") as log:
        server = subprocess.Popen([str(REPO / ".venv" / "bin" / "facesort"), "serve", "--port", str(port)],
                                  cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer /healthz within 120 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch", type=int, default=5, help="files per upload request")
    parser.add_argument("--queriers", type=int, default=2)
    parser.add_argument("--upload-timeout", type=float, default=600)
    parser.add_argument("--process-timeout", type=float, default=900)
    default_dev = Path(os.environ.get("FACESORT_DATASETS", REPO.parent / "shared" / "datasets")) / "faces-dev"
    parser.add_argument("--dev-set", type=Path, default=default_dev)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="facesort-load-"))
    port = free_port()
    server = start_server(work / "data", port, work / "server.log")
    base = f"http://127.0.0.1:{port}"
    start = time.monotonic()
    samples: list[tuple[float, int]] = []
    stop_sampling = threading.Event()
    threading.Thread(target=sample_memory, args=(server.pid, samples, stop_sampling, start), daemon=True).start()
    tally = Tally()
    try:
        photos = list(unique_photos(args.dev_set, args.photos))
        shares = [photos[i::args.clients] for i in range(args.clients)]
        stop_queries = threading.Event()
        deadline = start + args.upload_timeout
        uploaders = [threading.Thread(target=uploader, args=(base, share, args.batch, tally, deadline))
                     for share in shares]
        queriers = [threading.Thread(target=querier, args=(base, tally, stop_queries, 2000))
                    for _ in range(args.queriers)]
        for thread in [*uploaders, *queriers]:
            thread.start()
        for thread in uploaders:
            thread.join()
        upload_seconds = time.monotonic() - start
        stop_queries.set()
        for thread in queriers:
            thread.join()

        status = library_status(base)
        process_deadline = time.monotonic() + args.process_timeout
        while status["pending"] + status["processing"] > 0 and time.monotonic() < process_deadline:
            time.sleep(2)
            status = library_status(base)
        processed_seconds = time.monotonic() - start
        lost = tally.uploaded_ids - listed_ids(base)
    finally:
        stop_sampling.set()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()

    print(f"facesort serve (embedded) on 127.0.0.1:{port}, {args.clients} upload clients x batches of {args.batch}, "
          f"{args.queriers} query clients")
    print(f"photos sent {len(photos)}, stored {len(tally.uploaded_ids)}, lost {len(lost)}, errors {len(tally.errors)}")
    for text in tally.errors[:10]:
        print(f"  error: {text}")
    print(f"uploads finished in {upload_seconds:.1f} s ({len(photos) / upload_seconds:.1f} photos/s)")
    unfinished = status["pending"] + status["processing"]
    print(f"pipeline: {status} after {processed_seconds:.1f} s" + (" (NOT FINISHED)" if unfinished else ""))
    for kind, values in sorted(tally.latencies.items()):
        print(f"  {kind:13s} {percentiles(values)}")
    if samples:
        peak = max(rss for _, rss in samples)
        step = max(1, len(samples) // 12)
        trace = ", ".join(f"{t:.0f}s:{rss / 2**20:.0f}" for t, rss in samples[::step])
        print(f"server RSS MiB: start {samples[0][1] / 2**20:.0f}, peak {peak / 2**20:.0f}, "
              f"end {samples[-1][1] / 2**20:.0f}")
        print(f"  over time: {trace}")
    if tally.errors or lost or status.get("failed"):
        print(f"server log: {work / 'server.log'}")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
