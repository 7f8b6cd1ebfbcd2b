"""bench.api's operations in the process: ``python -m bench.api_calls --database URL [--runs 200]``.

On a database ``python -m bench.api --keep`` filled, the app (api.app.create_app) answers the same
three operations through httpx's ASGI transport, without HTTP, and this prints per request:

- Python calls: every Python function called while the app handles the request, in the event
  loop's thread and in the worker threads that read (deterministic: the same on a loaded machine);
- SQL statements;
- CPU (``time.process_time``, the whole process: the app and the in-process client) and wall time,
  averaged over ``--runs`` requests after the counted ones;
- then where a request's time goes: the token's lookup and the reads (timed in their worker
  threads, with the number of trips to them) and the rest (the event loop's: GraphQL, the
  request's handling, the in-process client).

The machine is shared, so compare CPU within one run of this script, or turn about with the code
before (run this file from a checkout of it: ``cd OLD && python /path/to/bench/api_calls.py ...``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, os.getcwd())  # the code of the checkout this runs from

import httpx
import psycopg
import sqlalchemy as sa

from bench.api import PEOPLE, PHOTOS_OF, people_to_ask


class CallCounter:
    """Counts Python calls while ``active`` (set around the app's handling of a request)."""

    def __init__(self) -> None:
        self.calls = 0
        self.active = False

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and self.active:
            self.calls += 1


def operations(url: str) -> dict[str, Callable[[int], tuple[str, dict[str, Any]]]]:
    """bench.api's three operations, with the same people in the same order."""
    popular, pairs = people_to_ask(url)
    return {
        "photos of NAME, first page": lambda i: (PHOTOS_OF, {"names": [popular[i % len(popular)]]}),
        "two people, ALL": lambda i: (PHOTOS_OF, {"names": pairs[i % len(pairs)]}),
        "people list (50, cover faces)": lambda i: (PEOPLE, {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True, help="a database bench.api --keep filled")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    data_dir = Path(f"/tmp/facesort_api_calls_{os.getpid()}")
    os.environ.update(FACESORT_DATABASE_URL=args.database, FACESORT_SECRET_KEY="bench-secret-key",
                      FACESORT_DATA_DIR=str(data_dir))
    try:
        asyncio.run(measure(args.database, args.runs))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


async def measure(url: str, runs: int) -> None:
    from api.app import build_services, create_app
    from core.services.accounts import create_api_token
    from core.settings import Settings
    from pipeline.broker import setup_broker

    with psycopg.connect(url) as conn:
        owner: uuid.UUID = conn.execute("SELECT record_id FROM users WHERE username = 'bench'").fetchone()[0]  # type: ignore[index]
    ops = operations(url)
    settings = Settings()
    setup_broker(settings)
    services = build_services(settings)
    _, token = create_api_token(services.sessions, user_id=owner, name="bench.api_calls")
    statements = [0]
    sa.event.listen(services.sessions.kw["bind"], "before_cursor_execute",
                    lambda *_: statements.__setitem__(0, statements[0] + 1))
    counter = CallCounter()
    app = create_app(settings, services=services)

    async def counted(scope: Any, receive: Any, send: Any) -> None:
        counter.active = True
        try:
            await app(scope, receive, send)
        finally:
            counter.active = False

    transport = httpx.ASGITransport(app=counted)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench",
                                 headers={"Authorization": f"Bearer {token}"}) as client:

        async def ask(name: str, i: int) -> None:
            query, variables = ops[name](i)
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            body = response.json()
            assert response.status_code == 200, body
            assert "errors" not in body, body

        for name in ops:  # warm the caches and the connections
            for i in range(20):
                await ask(name, i)
        print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        print("| operation | Python calls per request | SQL statements per request | CPU ms per request | wall ms |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name in ops:
            counter.calls, statements[0] = 0, 0
            await _profile_threads(counter)
            for i in range(runs):
                await ask(name, i)
            await _profile_threads(None)  # timed without it: a profile hook costs every call
            calls, sql = counter.calls / runs, statements[0] / runs
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(runs):
                await ask(name, i)
            cpu, wall = (time.process_time() - cpu) / runs * 1000, (time.perf_counter() - wall) / runs * 1000
            print(f"| {name} | {calls:,.0f} | {sql:.1f} | {cpu:.1f} | {wall:.1f} |", flush=True)
        print("\nWhere a request's time goes (medians, ms): the token's lookup and the reads run in worker"
              " threads; the rest is the event loop's (GraphQL, the request's handling, the trips to the threads,"
              " and the in-process client's own work).")
        print("| operation | request | token lookup | reads (trips) | the rest |")
        print("| --- | ---: | ---: | ---: | ---: |")
        with Phases() as phases:
            for name in ops:
                phases.clear()
                for i in range(runs):
                    phases.start()
                    await ask(name, i)
                    phases.stop()
                print(phases.row(name), flush=True)


async def _profile_threads(hook: CallCounter | None) -> None:
    """``hook`` as the profile function of this thread, of the worker threads that read (each keeps
    its own, so each idle one is given it), and of threads started later."""
    import anyio.to_thread

    threading.setprofile(hook)
    await asyncio.gather(*(anyio.to_thread.run_sync(sys.setprofile, hook) for _ in range(WORKER_THREADS)))
    sys.setprofile(hook)


# More than the worker threads a run of sequential requests starts, so that every idle one takes a turn.
WORKER_THREADS = 8


class Phases:
    """Times each request's token lookup and reads (the functions api.auth and schema.context run
    in worker threads) against the whole request, by wrapping them while in use."""

    def __init__(self) -> None:
        self.requests: list[tuple[float, float, float, int]] = []
        self._auth = self._reads = self._started = 0.0
        self._trips = 0

    def __enter__(self) -> Phases:
        import api.auth
        import schema.context

        self._real_auth, self._real_read = api.auth.authenticate, schema.context.Context._on_session
        real_auth, real_read = self._real_auth, self._real_read

        def authenticate(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return real_auth(*args, **kwargs)
            finally:
                self._auth += time.perf_counter() - started

        def on_session(context: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return real_read(context, *args, **kwargs)
            finally:
                self._reads += time.perf_counter() - started
                self._trips += 1

        api.auth.authenticate = authenticate  # type: ignore[assignment]
        schema.context.Context._on_session = on_session  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        import api.auth
        import schema.context

        api.auth.authenticate = self._real_auth  # type: ignore[assignment]
        schema.context.Context._on_session = self._real_read  # type: ignore[method-assign]

    def clear(self) -> None:
        self.requests.clear()

    def start(self) -> None:
        self._auth = self._reads = 0.0
        self._trips = 0
        self._started = time.perf_counter()

    def stop(self) -> None:
        self.requests.append((time.perf_counter() - self._started, self._auth, self._reads, self._trips))

    def row(self, name: str) -> str:
        def median(index: int) -> float:
            return statistics.median(request[index] for request in self.requests) * 1000

        rest = statistics.median(total - auth - reads for total, auth, reads, _ in self.requests) * 1000
        trips = statistics.median(request[3] for request in self.requests)
        return (f"| {name} | {median(0):.1f} | {median(1):.1f} | {median(2):.1f} ({trips:.0f}) | {rest:.1f} |")


if __name__ == "__main__":
    main()
