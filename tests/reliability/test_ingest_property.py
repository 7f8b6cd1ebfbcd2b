"""Property: whatever bytes and EXIF arrive, ingest stores a photo or fails it with a reason; nothing else.

`decode_for_ingest` may only return a decoded photo or raise MediaError (whose message is the
reason). `ingest_photo`, after the real upload service, may only leave the photo ingested or
failed with an error text, on PostgreSQL (the stricter database: JSONB refuses NUL characters and
NaN), and never raises.
"""

from __future__ import annotations

import io
import json
import math
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from core.blobs import open_blob_store
from core.db import make_engine, make_session_factory
from core.media import MediaError
from core.services.uploads import IncomingFile, UploadLimits, upload_photos
from core.settings import Settings
from core.tables import Photo, PhotoStatus, User
from pipeline import runtime as runtime_module
from pipeline.photos.ingest import decode_for_ingest, ingest_photo
from tests.conftest import _truncate_all
from tests.reliability import images

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's notes on odd EXIF counts

MAX_PIXELS = 4_000_000  # small, so a random header cannot make a test allocate gigabytes

SEEDS = {
    "jpeg": images.good_jpeg(7, (48, 40)),
    "png": images.encoded(Image.new("RGBA", (30, 20), (1, 2, 3, 128)), "PNG"),
    "gif": images.animation("GIF"),
    "webp": images.animation("WEBP"),
    "tiff": images.gray16_png(),
    "heic": images.heic((32, 24)),
    "exif": images.absurd_exif_jpeg(taken="2020:01:01 00:00:00", gps=(10.0, 20.0)),
}


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """A real file of some format with bytes flipped, cut, inserted or its header swapped in."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 6))):
        operation = draw(st.sampled_from(["flip", "cut", "insert", "splice"]))
        position = draw(st.integers(0, max(0, len(data) - 1)))
        if operation == "flip" and data:
            data[position] ^= draw(st.integers(1, 255))
        elif operation == "cut":
            del data[position:position + draw(st.integers(1, 400))]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=64))
        else:
            data[:position] = SEEDS[draw(st.sampled_from(sorted(SEEDS)))][:position]
    return bytes(data)


any_bytes = st.one_of(st.binary(max_size=2048), mangled())

EXIF_VALUES = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.integers(-(2**31), 2**31 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.tuples(st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e9, 1e9), st.floats(-1e9, 1e9)),
    st.sampled_from(["0000:00:00 00:00:00", "9999:12:31 23:59:59", "2020:02:30 25:61:61", "1900:01:01",
                     "2021-06-01 12:00:00", "\x00\x00\x00", "N", "S", "W", "E"]),
)
BASE_TAGS = [ExifTags.Base.Make, ExifTags.Base.Model, ExifTags.Base.DateTime, ExifTags.Base.Orientation,
             ExifTags.Base.ImageDescription, ExifTags.Base.Software]
DETAIL_TAGS = [ExifTags.Base.DateTimeOriginal, ExifTags.Base.LensModel, ExifTags.Base.ISOSpeedRatings,
               ExifTags.Base.FocalLength, ExifTags.Base.FNumber, ExifTags.Base.ExposureTime,
               ExifTags.Base.MakerNote]
GPS_TAGS = [ExifTags.GPS.GPSLatitude, ExifTags.GPS.GPSLatitudeRef, ExifTags.GPS.GPSLongitude,
            ExifTags.GPS.GPSLongitudeRef, ExifTags.GPS.GPSAltitude]


def _exif_of(tags: list[tuple[int | None, int, object]]) -> Image.Exif:
    exif = Image.Exif()
    for ifd, tag, value in tags:
        (exif if ifd is None else exif.get_ifd(ifd))[tag] = value
    return exif


def _jpeg(exif: Image.Exif) -> bytes:
    return images.encoded(Image.new("RGB", (24, 16), (200, 100, 50)), "JPEG", exif=exif)


@st.composite
def jpeg_with_random_exif(draw: st.DrawFn) -> bytes:
    """A good photo with random EXIF values; values Pillow cannot write at all are left out
    (nobody can send those), so no example is thrown away."""
    drawn: list[tuple[int | None, int, object]] = []
    for ifd, tags in ((None, BASE_TAGS), (ExifTags.IFD.Exif, DETAIL_TAGS), (ExifTags.IFD.GPSInfo, GPS_TAGS)):
        drawn += [(ifd, tag, draw(EXIF_VALUES)) for tag in draw(st.lists(st.sampled_from(tags), unique=True))]
    writable = []
    for entry in drawn:
        try:
            _jpeg(_exif_of([entry]))
        except Exception:  # noqa: BLE001 - Pillow refuses this value in this tag
            continue
        writable.append(entry)
    try:
        return _jpeg(_exif_of(writable))
    except Exception:  # noqa: BLE001 - a combination Pillow cannot write: the tags one by one could
        return _jpeg(_exif_of(writable[:1]))


def _decoded_or_refused(data: bytes) -> bool:
    try:
        ingested = decode_for_ingest(data, max_pixels=MAX_PIXELS)
    except MediaError as exc:
        reason = str(exc)
        assert reason, "a refusal says why"  # any other exception escapes and fails the test
        return False
    assert ingested.width > 0 and ingested.height > 0 and ingested.thumb and ingested.preview
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_bytes)
def test_decode_never_raises_anything_but_a_reason(data: bytes) -> None:
    _decoded_or_refused(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(jpeg_with_random_exif())
def test_random_exif_never_fails_a_good_photo(data: bytes) -> None:
    ingested = decode_for_ingest(data, max_pixels=MAX_PIXELS)
    info = ingested.info
    assert info.taken_at is None or 1826 <= info.taken_at.year <= 2100
    assert (info.latitude is None) == (info.longitude is None)
    if info.latitude is not None and info.longitude is not None:
        assert -90 <= info.latitude <= 90 and -180 <= info.longitude <= 180
    text = json.dumps(info.meta, allow_nan=False)  # no NaN or infinity reaches a JSON column
    assert "\\u0000" not in text
    for value in (info.camera, *[v for v in info.meta.values() if isinstance(v, str)]):
        assert value is None or (value.isprintable() and len(value) <= 120)
    assert all(not isinstance(v, float) or math.isfinite(v) for v in info.meta.values())


@pytest.fixture(scope="module")
def pg_runtime(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, uuid.UUID]]:
    folder = tmp_path_factory.mktemp("property")
    config = Settings(data_dir=folder, database_url=postgres_url, secret_key="test-secret-key-not-for-production",
                      max_image_pixels=MAX_PIXELS)
    runtime = runtime_module.configure(config, sessions=make_session_factory(make_engine(postgres_url)),
                                       blobs=open_blob_store(config))
    owner = User(username=f"property-{uuid.uuid4().hex[:6]}", password_hash="not-a-hash")
    with runtime.sessions() as session:
        session.add(owner)
        session.commit()
        owner_id = owner.id
    yield runtime, owner_id
    runtime.close()
    _truncate_all(runtime.sessions.kw["bind"])  # the session's PostgreSQL database is shared by other tests


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.one_of(any_bytes, jpeg_with_random_exif()))
def test_ingest_stores_or_fails_with_a_reason(pg_runtime: tuple[Any, uuid.UUID], data: bytes) -> None:
    runtime, owner_id = pg_runtime
    limits = UploadLimits(max_bytes=10_000_000, max_pixels=MAX_PIXELS)
    result = upload_photos(sessions=runtime.sessions, blobs=runtime.blobs, owner_id=owner_id, limits=limits,
                           files=[IncomingFile(file_name="random.jpg", data=data)], enqueue=lambda ids: None)
    if result.errors:
        assert result.errors[0].error and not result.photos
        return
    photo_id = result.photos[0].id
    went_on = ingest_photo(runtime, photo_id)
    with runtime.sessions() as session:
        photo = session.get(Photo, photo_id)
        assert photo is not None
        if went_on:
            assert photo.status == PhotoStatus.processing and photo.ingested_at is not None and photo.error is None
        elif not result.photos[0].duplicate:
            assert photo.status == PhotoStatus.failed and photo.error


def test_seeds_are_photos(tmp_path: Path) -> None:
    """The mangled inputs start from files that decode; the property is about what breaks them."""
    for name, data in SEEDS.items():
        assert _decoded_or_refused(data), name
    assert Image.open(io.BytesIO(SEEDS["gif"])).n_frames == 3
