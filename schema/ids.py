"""Opaque global ids: url-safe base64 of ``"<Type>:<uuid>"``; anything else is refused, never a 500."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Iterable

import strawberry

from core.errors import ValidationError

_URL_SAFE = bytes.maketrans(b"+/", b"-_")


def to_opaque(text: str) -> str:
    """Url-safe base64 of ``text`` without padding (ids and cursors). base64.urlsafe_b64encode's
    own two Python calls are skipped: a page encodes hundreds of ids."""
    return binascii.b2a_base64(text.encode(), newline=False).translate(_URL_SAFE).decode().rstrip("=")


def from_opaque(opaque: str) -> str:
    """``to_opaque`` undone; raises ``ValueError``, ``binascii.Error`` or ``UnicodeDecodeError``."""
    return base64.urlsafe_b64decode(opaque + "=" * (-len(opaque) % 4)).decode("ascii")


# Opaque ids already made, by kind and the uuid's integer (hashed in C, where a uuid's own hash is
# a Python call): a page encodes hundreds, many of them again (a person on every photo). Emptied
# when it holds ENCODED_KEPT ids (about 170 bytes each).
ENCODED_KEPT = 50_000
_encoded: dict[str, dict[int, strawberry.ID]] = {}


def encode_id(kind: str, value: uuid.UUID) -> strawberry.ID:
    known = _encoded.get(kind)
    if known is None:
        known = _encoded[kind] = {}
    opaque = known.get(value.int)
    if opaque is None:
        if sum(map(len, _encoded.values())) >= ENCODED_KEPT:  # a handful of kinds
            for kept in _encoded.values():
                kept.clear()
        opaque = known[value.int] = strawberry.ID(to_opaque(f"{kind}:{value}"))
    return opaque


def decode_id(kind: str, opaque: str, *, field: str = "id") -> uuid.UUID:
    """The uuid inside an id of type ``kind``; raises ``ValidationError`` for anything malformed."""
    text = (opaque or "").strip()
    if not text or len(text) > 100:
        raise ValidationError(f"{field}: not a {kind} id", field=field)
    try:
        decoded = from_opaque(text)
        prefix, _, raw = decoded.partition(":")
        if prefix != kind:
            raise ValueError(prefix)
        return uuid.UUID(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(f"{field}: not a {kind} id", field=field) from None


def decode_ids(kind: str, opaque: Iterable[str], *, field: str = "ids", limit: int = 5000) -> list[uuid.UUID]:
    values = list(opaque)
    if len(values) > limit:
        raise ValidationError(f"{field}: at most {limit} ids at once", field=field)
    return list(dict.fromkeys(decode_id(kind, value, field=field) for value in values))


def parse_any_id(kind: str, text: str) -> uuid.UUID | None:
    """An opaque id or a bare uuid (the media routes accept both); None when it is neither."""
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    try:
        return decode_id(kind, text)
    except ValidationError:
        return None
