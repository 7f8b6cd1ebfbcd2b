"""Service mode as compose runs it: `facesort serve` and `facesort worker` processes on real
PostgreSQL, Redis and an S3 endpoint (moto's server), driven over HTTP like another program.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import redis

REPO = Path(__file__).resolve().parents[2]
# A Redis database of its own: this test flushes it.
SERVICE_REDIS_URL = os.environ.get("FACESORT_TEST_SERVICE_REDIS", "redis://127.0.0.1:6379/13")
DRAMATIQ_NAMESPACE = "dramatiq"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port



def flushed_redis(url: str) -> redis.Redis:
    client = redis.Redis.from_url(url)
    client.ping()
    client.flushdb()
    return client


@dataclass
class Process:
    """One facesort command in a process group of its own (Dramatiq forks worker children)."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log: IO[bytes]

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 60.0) -> int | None:
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)  # Dramatiq finishes the messages in hand
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)
        self.log.close()
        return self.popen.returncode

    def cpu_seconds(self) -> float:
        """CPU time of the process group's live processes (Dramatiq's supervisor and its workers)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[2]) == self.popen.pid:  # field 5, the process group
                total += int(fields[11]) + int(fields[12])  # fields 14 and 15: user and system time
        return total / ticks

    def tail(self, lines: int = 40) -> str:
        self.log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return f"--- {self.name} ({self.log_path}) ---\n" + "\n".join(text[-lines:])


@dataclass
class ServiceMode:
    """Environment and processes of one service-mode installation."""

    env: dict[str, str]
    logs: Path
    processes: list[Process] = field(default_factory=list)

    def facesort(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run a short facesort command (e.g. `user create`) to completion."""
        return subprocess.run(
            [sys.executable, "-m", "facesort", *args], env=self.env, cwd=REPO, capture_output=True, text=True,
            timeout=timeout, check=True,
        )

    def start(self, name: str, *args: str) -> Process:
        log_path = self.logs / f"{name}.log"
        log = log_path.open("wb")
        popen = subprocess.Popen(
            [sys.executable, "-m", "facesort", *args], env=self.env, cwd=REPO, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        process = Process(name, popen, log_path, log)
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()

    def tails(self) -> str:
        return "\n".join(process.tail() for process in self.processes)

    def check_alive(self) -> None:
        dead = [p for p in self.processes if not p.alive()]
        if dead:
            raise AssertionError("a facesort process died:\n" + "\n".join(p.tail(80) for p in dead))


def service_env(
    *, database_url: str, redis_url: str, s3_endpoint: str, bucket: str, data_dir: Path, **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACESORT_") or k == "FACESORT_DATASETS"}
    env.update({
        "FACESORT_DATABASE_URL": database_url,
        "FACESORT_REDIS_URL": redis_url,
        "FACESORT_BLOB_URL": f"s3://{bucket}",
        "FACESORT_S3_ENDPOINT": s3_endpoint,
        "FACESORT_S3_ACCESS_KEY": "testing",
        "FACESORT_S3_SECRET_KEY": "testing",
        "FACESORT_S3_SECURE": "false",
        "FACESORT_DATA_DIR": str(data_dir),
        "FACESORT_SECRET_KEY": "service-mode-test-secret-not-for-production",
        "PYTHONUNBUFFERED": "1",
        **extra,
    })
    return env


def wait_until(what: str, ready: Any, *, timeout: float, interval: float = 0.5, check: Any = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check is not None:
            check()
        if ready():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Api:
    """The running server, as another program sees it: bearer token, GraphQL and REST."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=120)

    def healthy(self) -> bool:
        try:
            return self.client.get("/healthz").status_code == 200
        except httpx.TransportError:
            return False

    def login(self, username: str, password: str) -> None:
        data = self.graphql(
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) "
            "{ __typename ... on Session { token } } }",
            {"u": username, "p": password},
        )
        assert data["login"]["__typename"] == "Session", data
        self.client.headers["Authorization"] = f"Bearer {data['login']['token']}"

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def upload(self, paths: Sequence[Path], *, per_request: int = 40) -> list[dict[str, Any]]:
        """POST /api/photos in chunks; returns the photos the server accepted."""
        accepted: list[dict[str, Any]] = []
        for start in range(0, len(paths), per_request):
            chunk = paths[start : start + per_request]
            files = [("files", (path.name, path.read_bytes())) for path in chunk]
            response = self.client.post("/api/photos", files=files)
            assert response.status_code == 200, response.text
            body = response.json()
            assert not body["errors"], body["errors"]
            accepted += body["photos"]
        return accepted

    def library_status(self) -> dict[str, int]:
        status: dict[str, int] = self.graphql(
            "{ libraryStatus { photos pending processing done failed faces unknownFaces clusters people } }"
        )["libraryStatus"]
        return status


def dramatiq_backlog(client: redis.Redis, queues: Iterable[str]) -> dict[str, int]:
    """Messages not yet acknowledged per queue (delayed ones included), and dead letters."""
    backlog: dict[str, int] = {}
    for queue in queues:
        for suffix in ("", ".DQ", ".XQ"):
            key = f"{DRAMATIQ_NAMESPACE}:{queue}{suffix}.msgs"
            count = int(client.hlen(key))
            if count:
                backlog[f"{queue}{suffix}"] = count
    return backlog
