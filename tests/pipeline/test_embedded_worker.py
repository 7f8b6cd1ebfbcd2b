"""The embedded server's worker: photos go through the real actors, faces through child processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from core.migrate import upgrade
from core.services.uploads import IncomingFile, UploadLimits, upload_photos
from core.settings import Settings
from core.tables import Face, Photo, PhotoStatus
from pipeline.enqueue import enqueue_photos
from pipeline.worker import start_pipeline
from tests.conftest import make_user
from tests.service.harness import free_port, wait_until

PHOTOS = [Path("_group") / "facenet-pytorch_multiface.jpg", Path("lfw_venus_williams")]


def test_photos_are_analysed_in_the_analysis_processes(tmp_path: Path, dev_set: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", secret_key="test-secret-key-not-for-production",
        analysis_processes=1, torch_threads=1, recluster_debounce_seconds=0.1,
    )
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url())
    pipeline = start_pipeline(settings)
    try:
        assert pipeline.runtime.analysis_pool is not None
        sessions = pipeline.runtime.sessions
        owner = make_user(sessions)
        group = (dev_set / PHOTOS[0]).read_bytes()
        single = sorted((dev_set / PHOTOS[1]).iterdir())[0].read_bytes()
        uploaded = upload_photos(
            sessions=sessions, blobs=pipeline.runtime.blobs, owner_id=owner.id,
            files=[IncomingFile(file_name="group.jpg", data=group), IncomingFile(file_name="venus.jpg", data=single)],
            limits=UploadLimits(max_bytes=50_000_000, max_pixels=100_000_000), enqueue=enqueue_photos,
        )
        assert len(uploaded.photos) == 2
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with sessions() as session:
                statuses = set(session.exec(select(Photo.status)).all())
            if statuses <= {PhotoStatus.done, PhotoStatus.failed}:
                break
            time.sleep(0.2)
        with sessions() as session:
            assert set(session.exec(select(Photo.status)).all()) == {PhotoStatus.done}
            faces = session.exec(select(Face)).all()
        assert len(faces) == 7  # six in the group photo, one in the portrait
    finally:
        pipeline.stop()
    assert pipeline.runtime.analysis_pool._executor is None  # children stopped with the server


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = {int(child) for child in (task / "children").read_text().split()}
        except OSError:
            continue
        for child in children:
            found |= {child} | _descendants(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_serve_leaves_no_analysis_process_behind(tmp_path: Path, dev_set: Path, stop_signal: signal.Signals) -> None:
    """SIGTERM: the server stops its pipeline before uvicorn re-raises the signal. SIGKILL: the
    orphaned children notice their parent is gone and leave (else they would hold their models'
    memory, and the pipes of whoever started the server, for ever)."""
    port = free_port()
    env = {**os.environ, "FACESORT_DATA_DIR": str(tmp_path / "data"), "FACESORT_ANALYSIS_PROCESSES": "1",
           "FACESORT_TORCH_THREADS": "1"}
    facesort = str(Path(sys.executable).parent / "facesort")
    server = subprocess.Popen([facesort, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until("the server", lambda: _answers(f"{base}/healthz"), timeout=120)
        photo = sorted((dev_set / PHOTOS[1]).iterdir())[0]
        httpx.post(f"{base}/api/photos", files=[("files", (photo.name, photo.read_bytes()))], timeout=60)
        status = "{ libraryStatus { done failed } }"
        wait_until("the photo", lambda: sum(httpx.post(f"{base}/graphql", json={"query": status}, timeout=10)
                                             .json()["data"]["libraryStatus"].values()) == 1, timeout=180)
        children = _descendants(server.pid)
        assert _alive(children), "the analysis process runs while the server does"
        server.send_signal(stop_signal)
        server.wait(timeout=60)
        wait_until("the analysis processes to leave", lambda: not _alive(children), timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
