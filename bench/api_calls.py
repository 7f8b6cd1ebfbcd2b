"""bench.api's operations in the process: ``python -m bench.api_calls --database URL [--runs 200]``.

On a database ``python -m bench.api --keep`` filled, the app (api.app.create_app) answers the same
three operations through httpx's ASGI transport, without HTTP, and this prints per request:

- Python calls: every Python function called while the app handles the request, in the event
  loop's thread and in the worker threads that read (deterministic: the same on a loaded machine);
- SQL statements;
- CPU (``time.process_time``, the whole process: the app and the in-process client) and wall time,
  averaged over ``--runs`` requests after the counted ones.

The machine is shared, so compare CPU within one run of this script, or turn about with the code
before (run this file from a checkout of it: ``cd OLD && python /path/to/bench/api_calls.py ...``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
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
        self.counting = True

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and self.active and self.counting:
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

    threading.setprofile(counter)  # the worker threads that read start later
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
            counter.calls, statements[0], counter.counting = 0, 0, True
            sys.setprofile(counter)
            for i in range(runs):
                await ask(name, i)
            sys.setprofile(None)
            calls, sql = counter.calls / runs, statements[0] / runs
            counter.counting = False
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(runs):
                await ask(name, i)
            cpu, wall = (time.process_time() - cpu) / runs * 1000, (time.perf_counter() - wall) / runs * 1000
            print(f"| {name} | {calls:,.0f} | {sql:.1f} | {cpu:.1f} | {wall:.1f} |", flush=True)
    threading.setprofile(None)


if __name__ == "__main__":
    main()
