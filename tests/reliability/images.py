"""Files made in the test: good photos, and every kind of bad one a person or a program may send."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import ExifTags, Image
from pillow_heif import register_heif_opener

register_heif_opener()


def encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def good_jpeg(seed: int, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small, valid, unique JPEG (the colour comes from the seed)."""
    rng = random.Random(seed)
    colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    image = Image.new("RGB", size, colour)
    image.putpixel((0, 0), (seed % 256, (seed // 256) % 256, 7))
    return encoded(image, "JPEG", quality=90, comment=f"facesort test {seed}".encode())


def noisy_jpeg(size: tuple[int, int], seed: int = 1) -> bytes:
    """Incompressible pixels, so the file is big and every byte matters."""
    image = Image.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))
    return encoded(image, "JPEG", quality=95)


def truncated_jpeg() -> bytes:
    data = noisy_jpeg((300, 200))
    return data[: len(data) // 2]


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_with_header(width: int, height: int, *, bit_depth: int = 8, colour_type: int = 2, rows: bytes = b"") -> bytes:
    """A PNG written by hand: any declared size, with only the pixel rows given (none by default)."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows))
            + _chunk(b"IEND", b""))


def decompression_bomb_png() -> bytes:
    """Declares 100000×100000 pixels (30 GB decoded) in under 100 bytes; nothing is allocated here."""
    return png_with_header(100_000, 100_000)


def corrupt_png(size: tuple[int, int] = (30, 30)) -> bytes:
    """A valid header, then pixel data that is not zlib at all: the header reads, the pixels do not."""
    header = struct.pack(">IIBBBBB", size[0], size[1], 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"this is not zlib data")
            + _chunk(b"IEND", b""))


def broken_png_header() -> bytes:
    """The IHDR chunk's checksum is wrong."""
    data = bytearray(png_with_header(30, 30))
    data[29:33] = b"\x00\x00\x00\x00"
    return bytes(data)


def rgb48_png(size: tuple[int, int] = (40, 30)) -> bytes:
    """16 bits per channel RGB (Pillow cannot write it; written by hand)."""
    width, height = size
    row = b"\x00" + b"".join(struct.pack(">HHH", 60000, 30000, 1000) for _ in range(width))
    return png_with_header(width, height, bit_depth=16, colour_type=2, rows=row * height)


def gray16_png(size: tuple[int, int] = (40, 30)) -> bytes:
    return encoded(Image.new("I;16", size, 40000), "PNG")


def cmyk_jpeg(size: tuple[int, int] = (50, 40)) -> bytes:
    return encoded(Image.new("CMYK", size, (0, 255, 255, 0)), "JPEG")


ANIMATION_COLOURS = [(220, 20, 20), (20, 220, 20), (20, 20, 220)]


def animation(image_format: str) -> bytes:
    """Three frames: red, green, blue. The first frame (red) is the photo."""
    frames = [Image.new("RGB", (60, 40), colour) for colour in ANIMATION_COLOURS]
    options: dict[str, object] = {"save_all": True, "append_images": frames[1:], "duration": 100, "loop": 0}
    if image_format == "WEBP":
        options["lossless"] = True
    return encoded(frames[0], image_format, **options)


def heic(size: tuple[int, int] = (64, 48)) -> bytes:
    return encoded(Image.new("RGB", size, (30, 160, 90)), "HEIF", quality=80)


def absurd_exif_jpeg(*, taken: str, gps: tuple[float, float] | None = None, maker_note_bytes: int = 0) -> bytes:
    image = Image.new("RGB", (64, 48), (90, 90, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Acme\x00\x01\x02" + "x" * 500
    detail = exif.get_ifd(ExifTags.IFD.Exif)
    detail[ExifTags.Base.DateTimeOriginal] = taken
    if maker_note_bytes:
        detail[ExifTags.Base.MakerNote] = random.Random(9).randbytes(maker_note_bytes)
    if gps is not None:
        lat, lon = gps
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        ifd[ExifTags.GPS.GPSLatitudeRef], ifd[ExifTags.GPS.GPSLatitude] = "N", (float(lat), 0.0, 0.0)
        ifd[ExifTags.GPS.GPSLongitudeRef], ifd[ExifTags.GPS.GPSLongitude] = "E", (float(lon), 0.0, 0.0)
    return encoded(image, "JPEG", exif=exif)


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
TEXT = b"these are my holiday notes, not a photo\n"
