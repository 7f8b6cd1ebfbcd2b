"""Ingest decoding: orientation, EXIF date, camera, GPS and place; bad files fail with a reason."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core.media import MediaError
from pipeline.photos.ingest import decode_for_ingest
from pipeline.photos.places import place_of
from tests.pipeline.photos.conftest import jpeg_with_exif

MAX = 100_000_000


def test_orientation_is_applied_to_size_and_thumbnail() -> None:
    data = jpeg_with_exif(size=(80, 40), orientation=6)  # rotate 90° clockwise to display
    ingested = decode_for_ingest(data, max_pixels=MAX)
    assert (ingested.width, ingested.height) == (40, 80)
    thumb = Image.open(io.BytesIO(ingested.thumb))
    assert thumb.size == (40, 80)
    # The blue marker was top-left in the stored pixels; after a 90° clockwise turn it is top-right.
    red, green, blue = thumb.convert("RGB").getpixel((thumb.width - 3, 3))
    assert blue > 150 and red < 100


def test_exif_date_camera_and_gps() -> None:
    data = jpeg_with_exif(taken="2019:07:14 10:30:00", make="Canon", model="Canon EOS 5D", gps=(48.8584, 2.2945))
    info = decode_for_ingest(data, max_pixels=MAX).info
    assert info.taken_at is not None and (info.taken_at.year, info.taken_at.month, info.taken_at.day) == (2019, 7, 14)
    assert info.camera == "Canon EOS 5D"
    assert info.latitude == pytest.approx(48.8584, abs=1e-3)
    assert info.longitude == pytest.approx(2.2945, abs=1e-3)


@pytest.mark.parametrize("taken", ["0000:01:01 00:00:00", "9999:12:31 23:59:59", "garbage", "2020:13:45 99:99:99"])
def test_absurd_dates_are_dropped(taken: str) -> None:
    assert decode_for_ingest(jpeg_with_exif(taken=taken), max_pixels=MAX).info.taken_at is None


def test_gps_out_of_range_is_dropped() -> None:
    data = jpeg_with_exif(gps=(95.0, 200.0))
    info = decode_for_ingest(data, max_pixels=MAX).info
    assert info.latitude is None and info.longitude is None


def test_place_names_city_region_country_offline() -> None:
    place = place_of(48.8584, 2.2945)
    assert place is not None
    assert place.country_code == "FR"
    assert place.label == "Vanves, Ile-de-France, FR"  # the nearest listed town, as FACTS.md says


def test_truncated_jpeg_fails_with_a_reason() -> None:
    data = jpeg_with_exif(size=(400, 300))
    with pytest.raises(MediaError, match="corrupt|unreadable|truncated"):
        decode_for_ingest(data[: len(data) // 3], max_pixels=MAX)


def test_decompression_bomb_is_refused() -> None:
    out = io.BytesIO()
    Image.new("L", (12000, 12000)).save(out, format="PNG")
    with pytest.raises(MediaError, match="too large"):
        decode_for_ingest(out.getvalue(), max_pixels=50_000_000)


def test_sixteen_bit_and_cmyk_images_become_rgb_thumbnails() -> None:
    for image in (Image.new("I;16", (50, 40), 30000), Image.new("CMYK", (50, 40), (0, 255, 255, 0))):
        out = io.BytesIO()
        image.save(out, format="TIFF" if image.mode == "I;16" else "JPEG")
        ingested = decode_for_ingest(out.getvalue(), max_pixels=MAX)
        assert Image.open(io.BytesIO(ingested.thumb)).mode == "RGB"
        assert (ingested.width, ingested.height) == (50, 40)
