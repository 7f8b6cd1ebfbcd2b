"""Blobs as files under one folder (the embedded default)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from core.blobs.base import BlobKeyError, BlobNotFound, check_key, check_prefix

# Half-written files carry this prefix; listing skips them and a crash leaves only these behind.
_TEMP_PREFIX = ".tmp-"


class LocalBlobStore:
    """Each key is a file path relative to ``root``; writes go through a temp file and ``os.replace``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"LocalBlobStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        # A symlink inside the store must not lead out of it either.
        if not path.is_relative_to(self.root):
            raise BlobKeyError(f"blob key {key!r} leaves the store")
        return path

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        # content_type is not kept on disk: callers know it from the key or the photo row.
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as temp:
                temp.write(data)
                temp.flush()
                # Originals are the one copy of a person's photo: make them survive a power cut.
                os.fsync(temp.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise BlobNotFound(key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        path = self._path(key)
        if not path.is_file():
            raise BlobNotFound(key)
        return path.stat().st_size

    def delete(self, key: str) -> None:
        # Empty folders are left in place: removing them would race with a concurrent put.
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            self._path(key).unlink()

    def delete_prefix(self, prefix: str) -> int:
        if not prefix:
            raise BlobKeyError("refusing to delete the whole store: give a non-empty prefix")
        removed = 0
        for key in list(self.iter_keys(prefix)):
            self.delete(key)
            removed += 1
        return removed

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        check_prefix(prefix)
        # Walk only the folder the prefix pins down, not the whole store.
        folder, _, _ = prefix.rpartition("/")
        start = self.root / folder if folder else self.root
        if not start.is_dir():
            return
        yield from (key for key in self._walk(start) if key.startswith(prefix))

    def _walk(self, folder: Path) -> Iterator[str]:
        # Sorted by full key, as S3 lists: 'a/b' sorts before 'a.b' only if we compare keys.
        entries: list[tuple[str, Path]] = []
        for entry in folder.iterdir():
            if entry.name.startswith(_TEMP_PREFIX):
                continue
            key = entry.relative_to(self.root).as_posix()
            entries.append((key + "/" if entry.is_dir() else key, entry))
        for key, entry in sorted(entries):
            if entry.is_dir():
                yield from self._walk(entry)
            elif entry.is_file():
                yield key
