"""Decoding photos: orientation, modes, reduced-size JPEG decoding, bombs and broken files."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.ml.images import ImageError, load_image

MAX_PIXELS = 100_000_000


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def with_orientation(image: Image.Image, orientation: int) -> bytes:
    """A JPEG whose stored pixels need EXIF ``orientation`` to look like ``image``."""
    stored = {
        3: image.transpose(Image.Transpose.ROTATE_180),
        6: image.transpose(Image.Transpose.ROTATE_90),  # shown rotated 90 degrees clockwise
        8: image.transpose(Image.Transpose.ROTATE_270),
    }[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(stored, "JPEG", quality=95, exif=exif.tobytes())


def test_exif_orientation_is_applied_and_size_is_the_upright_one() -> None:
    upright = Image.new("RGB", (300, 200), (0, 0, 0))
    upright.paste((255, 0, 0), (0, 0, 100, 100))  # red square top left when upright
    for orientation in (3, 6, 8):
        loaded = load_image(with_orientation(upright, orientation), max_pixels=MAX_PIXELS)
        assert (loaded.width, loaded.height) == (300, 200)
        assert loaded.pixels.shape == (200, 300, 3)
        assert loaded.pixels[50, 50, 0] > 200 and loaded.pixels[150, 250, 0] < 50


def test_large_jpeg_is_decoded_at_reduced_size() -> None:
    big = Image.new("RGB", (4000, 3000), (80, 80, 80))
    big.paste((250, 250, 250), (3000, 0, 4000, 1000))
    loaded = load_image(encode(big, "JPEG"), max_side=1600, max_pixels=MAX_PIXELS)
    assert (loaded.width, loaded.height) == (4000, 3000)
    assert loaded.pixels.shape == (1200, 1600, 3)
    assert loaded.scale == pytest.approx(2.5)
    assert loaded.format == "JPEG"
    assert loaded.pixels[100, 1500, 0] > 200 and loaded.pixels[1000, 100, 0] < 120


def test_small_image_is_not_upscaled() -> None:
    loaded = load_image(encode(Image.new("RGB", (150, 120)), "PNG"), max_side=1600, max_pixels=MAX_PIXELS)
    assert loaded.pixels.shape == (120, 150, 3)
    assert loaded.scale == 1.0


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [("CMYK", "JPEG"), ("L", "JPEG"), ("LA", "PNG"), ("RGBA", "PNG"), ("P", "PNG"), ("I;16", "PNG"), ("1", "PNG")],
)
def test_every_mode_becomes_rgb(mode: str, fmt: str) -> None:
    image = Image.new("RGB", (64, 48), (200, 120, 40)).convert(mode)
    loaded = load_image(encode(image, fmt), max_pixels=MAX_PIXELS)
    assert loaded.pixels.dtype == np.uint8
    assert loaded.pixels.shape == (48, 64, 3)


def test_sixteen_bit_grey_keeps_its_brightness() -> None:
    grey = Image.fromarray(np.full((10, 10), 40000, dtype=np.uint16))
    loaded = load_image(encode(grey, "PNG"), max_pixels=MAX_PIXELS)
    assert 150 < int(loaded.pixels[0, 0, 0]) < 160  # 40000 / 65535 * 255 = 155.6


def test_transparent_areas_become_white() -> None:
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    loaded = load_image(encode(image, "PNG"), max_pixels=MAX_PIXELS)
    assert loaded.pixels.min() == 255


def test_animation_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    loaded = load_image(data, max_pixels=MAX_PIXELS)
    assert tuple(loaded.pixels[10, 10]) == (255, 0, 0)


def test_heic_is_read() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    image = Image.new("RGB", (128, 96), (10, 200, 30))
    loaded = load_image(encode(image, "HEIF", quality=90), max_pixels=MAX_PIXELS)
    assert loaded.pixels.shape == (96, 128, 3)
    assert loaded.pixels[48, 64, 1] > 150


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` x ``height``: what a decompression bomb looks like."""
    data = bytearray(encode(Image.new("L", (8, 8)), "PNG"))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(data[ihdr : ihdr + 17])))
    return bytes(data)


def test_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(ImageError, match="too large"):
        load_image(png_declaring(60_000, 60_000), max_side=1600, max_pixels=MAX_PIXELS)


def test_real_bomb_png_is_refused() -> None:
    bomb = encode(Image.new("1", (12_000, 10_000)), "PNG")  # 120 MP in a few kB
    assert len(bomb) < 100_000
    with pytest.raises(ImageError, match="too large"):
        load_image(bomb, max_side=1600, max_pixels=MAX_PIXELS)


def test_pixel_limit_is_ours_not_pillows() -> None:
    image = encode(Image.new("RGB", (100, 50)), "PNG")
    assert load_image(image, max_pixels=5000).width == 100
    with pytest.raises(ImageError, match="too large"):
        load_image(image, max_pixels=4999)
    # Above Pillow's own limit (89 MP warns, 179 MP raises) only our setting decides.
    with pytest.raises(ImageError, match="cannot decode"):
        load_image(png_declaring(20_000, 10_000), max_pixels=300_000_000)


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\xff\xd8\xff\xe0" + b"\0" * 100])
def test_unreadable_bytes_raise_image_error(data: bytes) -> None:
    with pytest.raises(ImageError):
        load_image(data, max_pixels=MAX_PIXELS)


def test_truncated_jpeg_raises_image_error(dev_set: Path) -> None:
    data = (dev_set / "angelina_jolie" / "deepface_img1.jpg").read_bytes()
    with pytest.raises(ImageError):
        load_image(data[: len(data) // 3], max_pixels=MAX_PIXELS)
