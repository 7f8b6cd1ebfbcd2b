"""The blob store interface: originals, thumbnails, previews and face crops by key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable


class BlobNotFound(LookupError):  # noqa: N818 -- the name other parts already code against
    """No blob is stored under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no blob stored under {key!r}")
        self.key = key


class BlobKeyError(ValueError):
    """The key is not a relative, slash-separated path inside the store."""


@runtime_checkable
class BlobStore(Protocol):
    """Byte blobs under slash-separated keys (see ``core.blobs.keys``).

    Writes are atomic: a reader sees the old blob or the whole new one, never a part.
    """

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing what was there."""

    def get(self, key: str) -> bytes:
        """The blob's bytes; raises ``BlobNotFound``."""

    def exists(self, key: str) -> bool:
        """Whether a blob is stored under ``key``."""

    def size(self, key: str) -> int:
        """The blob's length in bytes; raises ``BlobNotFound``."""

    def delete(self, key: str) -> None:
        """Remove the blob; a missing one is not an error (deletes are retried)."""

    def delete_prefix(self, prefix: str) -> int:
        """Remove every blob whose key starts with ``prefix`` (non-empty); returns how many."""

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with ``prefix``, in lexicographic order."""


def check_key(key: str) -> str:
    """Refuse keys that could name something outside the store or differ between backends."""
    if not key or key.startswith("/") or key.endswith("/") or "\\" in key or "\x00" in key:
        raise BlobKeyError(f"invalid blob key {key!r}")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise BlobKeyError(f"invalid blob key {key!r}")
    return key


def check_prefix(prefix: str) -> str:
    """A prefix is a key start: it may end in '/', but may not climb out of the store."""
    if prefix.startswith("/") or "\\" in prefix or "\x00" in prefix:
        raise BlobKeyError(f"invalid blob key prefix {prefix!r}")
    if any(part in (".", "..") for part in prefix.split("/")):
        raise BlobKeyError(f"invalid blob key prefix {prefix!r}")
    return prefix
