"""examples/photos_of.py against a live uvicorn server, with an API token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.db import make_engine, make_session_factory
from core.services.accounts import create_api_token, create_user
from tests.schema.factories import make_library

REPO = Path(__file__).resolve().parents[2]

SERVE = """
import sys, uvicorn
from core.settings import Settings
from pipeline.broker import setup_broker
from api.app import create_app
settings = Settings()
setup_broker(settings)
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(db_url: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "FACESORT_DATABASE_URL": db_url, "FACESORT_DATA_DIR": str(tmp_path / "data"),
           "FACESORT_SECRET_KEY": "test-secret-key-not-for-production", "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=env, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_photos_of_a_person_from_a_third_party_app(db_url: str, live_server: str) -> None:
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    user = create_user(sessions, "anna", "correct horse battery")
    _, token = create_api_token(sessions, user_id=user.id, name="example")
    make_library(sessions, user.id, photos=60, people={"Mom": range(60), "Dad": range(0, 60, 3)})
    engine.dispose()
    run = subprocess.run(
        [sys.executable, str(REPO / "examples" / "photos_of.py"), "mom", "Dad"],
        env={**os.environ, "FACESORT_URL": live_server, "FACESORT_TOKEN": token},
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "20 photos of mom and Dad"
    assert len(lines) == 21 and all("Dad, Mom" in line for line in lines[1:])
    denied = subprocess.run(
        [sys.executable, str(REPO / "examples" / "photos_of.py"), "Mom"],
        env={**os.environ, "FACESORT_URL": live_server, "FACESORT_TOKEN": "wrong"},
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert denied.returncode != 0 and "sign in" in denied.stderr
