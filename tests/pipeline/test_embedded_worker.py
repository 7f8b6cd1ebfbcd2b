"""The embedded server's worker: photos go through the real actors, faces through child processes."""

from __future__ import annotations

import time
from pathlib import Path

from sqlmodel import select

from core.migrate import upgrade
from core.services.uploads import IncomingFile, UploadLimits, upload_photos
from core.settings import Settings
from core.tables import Face, Photo, PhotoStatus
from pipeline.enqueue import enqueue_photos
from pipeline.worker import start_pipeline
from tests.conftest import make_user

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
