"""`facesort import PATH...`: walk folders, upload through the one upload service, show progress.

Resumable by construction: a file whose sha256 the library already has is skipped without being
stored again, and unfinished photos are processed again when the pipeline starts.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlmodel import select
from tqdm import tqdm

from core.blobs import open_blob_store
from core.db import SessionFactory, make_engine, make_session_factory, transaction
from core.migrate import upgrade
from core.repositories import photos as photo_repo
from core.repositories import users as user_repo
from core.services.accounts import local_owner, setup_required
from core.services.uploads import IncomingFile, UploadLimits, upload_photos
from core.settings import Settings
from core.tables import User

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif", ".gif", ".tif", ".tiff"}


def photo_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Every file that looks like a photo under the given files and folders, in a stable order."""
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in PHOTO_SUFFIXES and not child.name.startswith("."):
                    yield child


def owner_for_import(sessions: SessionFactory, *, username: str | None) -> uuid.UUID:
    """The named account, else the only account, else (fresh install) the implicit local owner."""
    if username is None and setup_required(sessions):
        return local_owner(sessions).id
    with sessions() as session:
        if username is not None:
            user = user_repo.get_user_by_username(session, username=username)
            if user is None:
                raise SystemExit(f"no account named {username!r}")
            return user.id
        users = [user for user in session.exec(select(User)).all() if user.password_hash != user_repo.NO_PASSWORD]
    if len(users) != 1:
        raise SystemExit("several accounts exist: choose one with --user NAME")
    return users[0].id


def run_import(settings: Settings, paths: Sequence[Path], *, username: str | None, wait: bool = True) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url())
    sessions = make_session_factory(make_engine(settings.resolved_database_url()))
    owner_id = owner_for_import(sessions, username=username)
    files = list(photo_files(paths))
    if not files:
        print("no photos found")
        return 1
    pipeline = None
    if settings.redis_url:
        from pipeline.broker import setup_broker

        setup_broker(settings)
    else:
        from pipeline.worker import start_pipeline

        pipeline = start_pipeline(settings)  # embedded: this process does the work (stop `serve` first)
    try:
        stored, skipped, failed = upload_files(settings, sessions, owner_id, files)
        print(f"stored {stored}, already in the library {skipped}, rejected {failed}")
        if wait or pipeline is not None:
            wait_for_processing(sessions, owner_id)
    finally:
        if pipeline is not None:
            pipeline.stop()
    return 0


def upload_files(
    settings: Settings, sessions: SessionFactory, owner_id: uuid.UUID, files: Sequence[Path]
) -> tuple[int, int, int]:
    from pipeline.enqueue import enqueue_photos

    blobs = open_blob_store(settings)
    limits = UploadLimits(max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels)
    stored = skipped = failed = 0
    total_bytes = sum(path.stat().st_size for path in files)
    with tqdm(total=total_bytes, unit="B", unit_scale=True, desc="upload", smoothing=0.1) as bar:
        for path in files:
            data = path.read_bytes()
            bar.update(len(data))
            with transaction(sessions) as session:
                known = photo_repo.find_by_sha256(session, owner_id=owner_id, sha256=hashlib.sha256(data).hexdigest())
            if known is not None:
                skipped += 1
                continue
            result = upload_photos(
                sessions=sessions, blobs=blobs, owner_id=owner_id, limits=limits, enqueue=enqueue_photos,
                files=[IncomingFile(file_name=path.name, data=data, modified_at=path.stat().st_mtime)],
            )
            for error in result.errors:
                tqdm.write(f"{path}: {error.error}")
            failed += len(result.errors)
            stored += sum(not photo.duplicate for photo in result.photos)
            skipped += sum(photo.duplicate for photo in result.photos)
            bar.set_postfix(files=f"{stored + skipped + failed}/{len(files)}")
    return stored, skipped, failed


def wait_for_processing(sessions: SessionFactory, owner_id: uuid.UUID, *, poll: float = 1.0) -> None:
    """Face progress until no photo of the owner is waiting or in progress."""
    with tqdm(desc="faces", unit="photo") as bar:
        while True:
            with transaction(sessions) as session:
                counts = photo_repo.status_counts(session, owner_id=owner_id)
            finished = counts.get("done", 0) + counts.get("failed", 0)
            bar.total = sum(counts.values())
            bar.n = finished
            bar.refresh()
            if counts.get("uploaded", 0) + counts.get("processing", 0) == 0:
                return
            time.sleep(poll)
