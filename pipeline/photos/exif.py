"""What a photo's EXIF says: date taken, camera, lens, GPS; absurd values are dropped, not trusted."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PIL import ExifTags, Image

_DATE_FORMATS = ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M", "%Y:%m:%d")
_MIN_YEAR, _MAX_YEAR = 1826, 2100  # the first photograph; nothing from the far future
_MAX_TEXT = 120


@dataclass
class PhotoInfo:
    taken_at: datetime | None = None
    camera: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def read_photo_info(image: Image.Image) -> PhotoInfo:
    """EXIF subset of an opened image (before orientation is applied)."""
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - a broken EXIF block must not fail the photo
        return PhotoInfo()
    base = dict(exif.items())
    try:
        detail = dict(exif.get_ifd(ExifTags.IFD.Exif).items())
    except Exception:  # noqa: BLE001
        detail = {}
    try:
        gps = dict(exif.get_ifd(ExifTags.IFD.GPSInfo).items())
    except Exception:  # noqa: BLE001
        gps = {}
    info = PhotoInfo()
    info.taken_at = _parse_date(detail.get(ExifTags.Base.DateTimeOriginal) or base.get(ExifTags.Base.DateTime))
    make = _text(base.get(ExifTags.Base.Make))
    model = _text(base.get(ExifTags.Base.Model))
    if model and make and model.lower().startswith(make.lower()):
        make = None
    info.camera = " ".join(part for part in (make, model) if part) or None
    lens = _text(detail.get(ExifTags.Base.LensModel))
    info.latitude, info.longitude = _gps(gps)
    meta: dict[str, Any] = {}
    for key, value in (("make", make), ("model", model), ("lens", lens), ("camera", info.camera)):
        if value:
            meta[key] = value
    for key, tag in (("iso", ExifTags.Base.ISOSpeedRatings), ("focal_length", ExifTags.Base.FocalLength),
                     ("f_number", ExifTags.Base.FNumber), ("exposure_time", ExifTags.Base.ExposureTime)):
        number = _number(detail.get(tag))
        if number is not None:
            meta[key] = number
    orientation = base.get(ExifTags.Base.Orientation)
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        meta["orientation"] = orientation
    if info.latitude is not None:
        meta["gps"] = {"latitude": info.latitude, "longitude": info.longitude}
    info.meta = meta
    return info


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "ignore")
    if not isinstance(value, str):
        return None
    value = "".join(ch for ch in value if ch.isprintable()).strip().strip("\x00")
    return value[:_MAX_TEXT] or None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def _parse_date(value: Any) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text[: len(fmt) + 2].strip(), fmt)
        except ValueError:
            continue
        if _MIN_YEAR <= parsed.year <= _MAX_YEAR:
            return parsed.replace(tzinfo=UTC)
        return None
    return None


def _gps(gps: dict[int, Any]) -> tuple[float | None, float | None]:
    try:
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None, None
    if latitude is None or longitude is None:
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
        return None, None
    return round(latitude, 7), round(longitude, 7)


def _degrees(parts: Any, ref: Any) -> float | None:
    values = [_number(part) for part in parts]
    if len(values) != 3 or any(value is None for value in values):
        return None
    degrees, minutes, seconds = (float(value) for value in values if value is not None)
    result = degrees + minutes / 60 + seconds / 3600
    ref_text = _text(ref) or ""
    return -result if ref_text.upper() in ("S", "W") else result
