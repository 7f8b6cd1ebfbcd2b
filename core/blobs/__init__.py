"""The blob store: one interface, a local folder or an S3 bucket behind it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from core.blobs.base import BlobKeyError, BlobNotFound, BlobStore
from core.blobs.local import LocalBlobStore
from core.blobs.s3 import S3BlobStore
from core.settings import Settings

__all__ = [
    "BlobKeyError",
    "BlobNotFound",
    "BlobStore",
    "LocalBlobStore",
    "S3BlobStore",
    "open_blob_store",
]


def open_blob_store(settings: Settings) -> BlobStore:
    """The store ``settings.resolved_blob_url()`` names: ``file:///folder`` or ``s3://bucket``."""
    url = settings.resolved_blob_url()
    if url.startswith("file://"):
        # Taken literally, not URL-decoded: the settings build this URL from a plain path.
        path = url.removeprefix("file://").removeprefix("localhost")
        if not path.startswith("/"):
            raise ValueError(f"FACESORT_BLOB_URL {url!r}: a file URL needs an absolute path (file:///...)")
        return LocalBlobStore(Path(path))
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc or parsed.path.strip("/"):
            raise ValueError(f"FACESORT_BLOB_URL {url!r}: expected s3://bucket (no key prefix)")
        if not settings.s3_endpoint:
            raise ValueError("FACESORT_BLOB_URL is s3://... but FACESORT_S3_ENDPOINT is not set")
        endpoint, secure = _endpoint(settings.s3_endpoint, secure=settings.s3_secure)
        return S3BlobStore(
            bucket=parsed.netloc,
            endpoint=endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            region=settings.s3_region,
            secure=secure,
        )
    raise ValueError(f"FACESORT_BLOB_URL {url!r}: expected file:///path or s3://bucket")


def _endpoint(endpoint: str, *, secure: bool) -> tuple[str, bool]:
    """Accept ``host:port`` (as minio wants) and also ``http(s)://host:port`` (as people write)."""
    parsed = urlparse(endpoint)
    if parsed.scheme in ("http", "https"):
        return parsed.netloc, parsed.scheme == "https"
    return endpoint, secure
