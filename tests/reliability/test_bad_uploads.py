"""Every kind of bad file, in a batch between two good ones, through HTTP, GraphQL and the folder import.

Each case ends one of four ways: refused at upload with its reason; stored, then failed by the
ingest step with its reason; stored and ingested (it is a photo after all); or, for a repeated
file, the same photo. In every case both good files of the batch are stored and ingested, and
nothing else appears or disappears. Animations: the first frame is the photo (DESIGN's choice,
asserted below by colour).
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from PIL import Image

from core.blobs.keys import original_key, sha256_hex, thumbnail_key
from core.tables import Photo, PhotoStatus
from tests.reliability import images
from tests.reliability.conftest import WAYS_IN, Library, open_library

Check = Callable[[Photo, Image.Image], None]


@dataclass(frozen=True)
class Case:
    id: str
    file_name: str
    data: Callable[[], bytes]
    ends: Literal["refused", "failed", "ingested", "duplicate"]
    reason: str = ""  # a regex the refusal or failure must match
    stored_name: str | None = None
    check: Check | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    on_disk: bool = True  # a file with this name can exist on a disk (for the folder import)


def _size(width: int, height: int) -> Check:
    def check(photo: Photo, thumb: Image.Image) -> None:
        assert (photo.width, photo.height) == (width, height)
        assert max(thumb.size) <= 400 and thumb.mode == "RGB"
    return check


def _first_frame(photo: Photo, thumb: Image.Image) -> None:
    red, green, blue = thumb.convert("RGB").getpixel((thumb.width // 2, thumb.height // 2))
    assert red > 180 and green < 60 and blue < 60, "the first (red) frame is the photo"


def _no_absurd_exif(photo: Photo, thumb: Image.Image) -> None:
    assert photo.taken_at is not None and 2000 < photo.taken_at.year < 2100  # from the file time, not EXIF
    assert photo.meta["taken_at_source"] == "file"
    assert photo.latitude is None and photo.longitude is None and photo.location is None
    assert photo.camera is not None and len(photo.camera) <= 120 and photo.camera.isprintable()
    assert len(str(photo.meta)) < 2000, "the maker note is not copied into the row"


def _content_type(expected: str) -> Check:
    def check(photo: Photo, thumb: Image.Image) -> None:
        assert photo.content_type == expected
    return check


CONTROL_NAME = "ctrl\x1b[31m\x7f\tname\u202egpj.jpg"

CASES = [
    # Refused at the door, with a reason.
    Case("empty", "empty.jpg", lambda: b"", "refused", r"^empty file$"),
    Case("text-named-jpg", "notes.jpg", lambda: images.TEXT, "refused", r"not a supported image"),
    Case("html-named-jpg", "page.jpg", lambda: images.HTML, "refused", r"not a photo: SVG/HTML"),
    Case("svg", "drawing.svg", lambda: images.SVG, "refused", r"not a photo: SVG/HTML"),
    Case("svg-named-png", "drawing.png", lambda: images.SVG.split(b"\n", 1)[1], "refused", r"not a photo"),
    Case("pdf-named-jpg", "scan.jpg", lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "refused",
         r"not a supported image"),
    Case("decompression-bomb", "bomb.png", images.decompression_bomb_png, "refused",
         r"too large: 100000x100000 pixels"),
    Case("broken-png-header", "header.png", images.broken_png_header, "refused", r"not a supported image|corrupt"),
    Case("over-byte-limit", "big.jpg", lambda: images.noisy_jpeg((200, 200)), "refused",
         r"file too large: \d+ bytes exceeds the limit of 30000", settings={"max_upload_bytes": 30_000}),
    # Stored (the header is fine), then failed by ingest with a reason.
    Case("truncated-jpeg", "cut.jpg", images.truncated_jpeg, "failed", r"truncated"),
    Case("corrupt-png-pixels", "broken.png", images.corrupt_png, "failed", r"corrupt or unreadable image"),
    # Photos after all: stored and ingested.
    Case("name-with-slashes", "../../etc/cron.d/evil.jpg", lambda: images.good_jpeg(101), "ingested",
         stored_name="evil.jpg", on_disk=False),
    Case("name-with-backslashes", "..\\..\\Windows\\evil.jpg", lambda: images.good_jpeg(102), "ingested",
         stored_name="evil.jpg"),
    Case("name-dotdot", "..", lambda: images.good_jpeg(103), "ingested", stored_name="photo", on_disk=False),
    Case("name-absolute", "/etc/passwd", lambda: images.good_jpeg(104), "ingested", stored_name="passwd",
         on_disk=False),
    Case("name-control-chars", CONTROL_NAME, lambda: images.good_jpeg(105), "ingested",
         stored_name="ctrl[31mnamegpj.jpg"),
    Case("name-nul", "nul\x00byte.jpg", lambda: images.good_jpeg(106), "ingested", stored_name="nulbyte.jpg",
         on_disk=False),
    Case("name-newline", "line\nbreak.jpg", lambda: images.good_jpeg(107), "ingested", stored_name="linebreak.jpg"),
    Case("name-very-long", "é" * 240 + ".jpg", lambda: images.good_jpeg(108), "ingested",
         stored_name=("é" * 240 + ".jpg")[:255], on_disk=False),  # 488 bytes: too long for a disk
    Case("exif-year-0-gps-out-of-range", "year0.jpg",
         lambda: images.absurd_exif_jpeg(taken="0000:01:01 00:00:00", gps=(95.0, 200.0)), "ingested",
         check=_no_absurd_exif),
    Case("exif-year-9999-huge-maker-note", "year9999.jpg",
         lambda: images.absurd_exif_jpeg(taken="9999:12:31 23:59:59", maker_note_bytes=60_000), "ingested",
         check=_no_absurd_exif),
    Case("one-pixel-jpeg", "dot.jpg", lambda: images.encoded(Image.new("RGB", (1, 1), (9, 9, 9)), "JPEG"),
         "ingested", check=_size(1, 1)),
    Case("one-pixel-png", "dot.png", lambda: images.encoded(Image.new("RGBA", (1, 1), (9, 9, 9, 0)), "PNG"),
         "ingested", check=_size(1, 1)),
    Case("panorama-30000x500", "pano.jpg",
         lambda: images.encoded(Image.new("RGB", (30000, 500), (40, 80, 120)), "JPEG"), "ingested",
         check=_size(30000, 500)),
    Case("cmyk-jpeg", "print.jpg", images.cmyk_jpeg, "ingested", check=_size(50, 40)),
    Case("gray-16-bit-png", "scan16.png", images.gray16_png, "ingested", check=_size(40, 30)),
    Case("rgb-16-bit-png", "rgb48.png", images.rgb48_png, "ingested", check=_size(40, 30)),
    Case("animated-gif", "anim.gif", lambda: images.animation("GIF"), "ingested", check=_first_frame),
    Case("animated-webp", "anim.webp", lambda: images.animation("WEBP"), "ingested", check=_first_frame),
    Case("heic", "phone.heic", images.heic, "ingested", check=_content_type("image/heic")),
    Case("png-named-jpg", "really-a-png.jpg", lambda: images.encoded(Image.new("RGB", (8, 8)), "PNG"), "ingested",
         check=_content_type("image/png")),
    # The same file twice in one batch is one photo.
    Case("duplicate-in-batch", "good-a-again.jpg", lambda: images.good_jpeg(1), "duplicate"),
]

PARAMS = [pytest.param(way, case, id=f"{way}-{case.id}") for way in WAYS_IN for case in CASES
          if way != "import" or case.on_disk]


def _assert_stored(library: Library, photo_id: uuid.UUID, data: bytes) -> None:
    photo = library.photo(photo_id)
    assert photo.sha256 == sha256_hex(data) and photo.file_path == original_key(photo.sha256)
    assert library.blobs.get(photo.file_path) == data


def _assert_ingested(library: Library, photo_id: uuid.UUID) -> tuple[Photo, Image.Image]:
    assert library.ingest(photo_id) is True
    photo = library.photo(photo_id)
    assert photo.status == PhotoStatus.processing and photo.error is None and photo.ingested_at is not None
    thumb = Image.open(io.BytesIO(library.blobs.get(thumbnail_key(photo_id))))
    return photo, thumb


@pytest.mark.parametrize(("way_in", "case"), PARAMS)
def test_bad_file_between_two_good_ones(way_in: str, case: Case, tmp_path: Path, migrated_sqlite: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    good_a, good_b, bad = images.good_jpeg(1), images.good_jpeg(2), case.data()
    batch = [("good-a.jpg", good_a), (case.file_name, bad), ("good-b.jpg", good_b)]
    with open_library(tmp_path, way_in, capsys, migrated_sqlite, **case.settings) as library:
        outcome = library.upload(batch)

        stored = [outcome.photos[0], outcome.photos[-1]]
        assert [name for _, name, _ in stored] == ["good-a.jpg", "good-b.jpg"]
        assert not any(duplicate for _, _, duplicate in stored)
        (a_id, _, _), (b_id, _, _) = stored
        _assert_stored(library, a_id, good_a)
        _assert_stored(library, b_id, good_b)
        expected_rows = {a_id, b_id}

        if case.ends == "refused":
            assert len(outcome.photos) == 2
            assert len(outcome.errors) == 1
            name, reason = outcome.errors[0]
            assert re.search(case.reason, reason), reason
            assert name == (case.stored_name or case.file_name)
        elif case.ends == "duplicate":
            assert outcome.errors == []
            assert outcome.photos[1][0] == a_id and outcome.photos[1][2] is True
        else:
            assert outcome.errors == []
            bad_id, name, duplicate = outcome.photos[1]
            assert name == (case.stored_name or case.file_name) and not duplicate
            _assert_stored(library, bad_id, bad)
            expected_rows.add(bad_id)
            if case.ends == "failed":
                assert library.ingest(bad_id) is False
                photo = library.photo(bad_id)
                assert photo.status == PhotoStatus.failed
                assert photo.error and re.search(case.reason, photo.error), photo.error
                assert library.ingest(bad_id) is False  # a second delivery changes nothing
                assert library.photo(bad_id).attempts == photo.attempts
            else:
                photo, thumb = _assert_ingested(library, bad_id)
                if case.check is not None:
                    case.check(photo, thumb)

        assert library.photo_ids() == expected_rows, "nothing else stored, nothing lost"
        _assert_ingested(library, a_id)
        _assert_ingested(library, b_id)
        _assert_no_file_named_after_the_upload(library, case)


def _assert_no_file_named_after_the_upload(library: Library, case: Case) -> None:
    """Blobs are named by content hash: no upload name ever becomes a path on the server."""
    stored_name = case.stored_name or case.file_name
    for path in library.settings.data_dir.rglob("*"):
        assert path.name not in {stored_name, case.file_name, "passwd", "evil.jpg"}, path


def test_every_case_in_one_batch_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """The same files in one HTTP batch, stored in PostgreSQL (JSONB refuses what SQLite lets through)."""
    from starlette.testclient import TestClient

    from api.app import create_app
    from core.blobs import open_blob_store
    from core.db import make_engine
    from core.settings import Settings
    from pipeline import runtime as runtime_module
    from pipeline.broker import setup_broker
    from pipeline.photos.ingest import ingest_photo
    from tests.conftest import _truncate_all
    from tests.reliability.uploads import upload_http

    cases = [case for case in CASES if not case.settings and case.ends != "duplicate"]
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url,
                        secret_key="test-secret-key-not-for-production")
    setup_broker(settings)
    runtime = runtime_module.configure(settings)
    try:
        with TestClient(create_app(settings), base_url="http://testserver") as client:
            outcome = upload_http(client, [(case.file_name, case.data()) for case in cases])
        refused = {case.stored_name or case.file_name for case in cases if case.ends == "refused"}
        assert {name for name, _ in outcome.errors} == refused
        kept = [case for case in cases if case.ends != "refused"]
        assert [name for _, name, _ in outcome.photos] == [case.stored_name or case.file_name for case in kept]
        for case, (photo_id, _, _) in zip(kept, outcome.photos, strict=True):
            assert ingest_photo(runtime, photo_id) is (case.ends == "ingested"), case.id
            with runtime.sessions() as session:
                photo = session.get(Photo, photo_id)
                assert photo is not None
                expected = PhotoStatus.failed if case.ends == "failed" else PhotoStatus.processing
                assert photo.status == expected, case.id
        blobs = open_blob_store(settings)
        assert all(blobs.exists(original_key(sha256_hex(case.data()))) for case in cases if case.ends != "refused")
    finally:
        runtime.close()
        engine = make_engine(postgres_url)
        _truncate_all(engine)
        engine.dispose()
