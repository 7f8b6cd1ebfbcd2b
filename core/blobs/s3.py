"""Blobs in an S3 bucket (MinIO or any S3) through the ``minio`` client."""

from __future__ import annotations

import io
from collections.abc import Iterator

from minio import Minio
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from core.blobs.base import BlobKeyError, BlobNotFound, check_key, check_prefix

_MISSING_CODES = frozenset({"NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"})
_DELETE_BATCH = 1000  # the most keys S3's DeleteObjects accepts in one request


class S3BlobStore:
    """Each key is an object key in ``bucket``; S3 makes every single put atomic."""

    def __init__(
        self,
        bucket: str,
        endpoint: str,
        access_key: str,
        secret_key: str,
        region: str = "",
        secure: bool = True,
    ) -> None:
        self.bucket = bucket
        self._client = Minio(
            endpoint,
            access_key=access_key or None,
            secret_key=secret_key or None,
            secure=secure,
            region=region or None,
        )
        self._ensure_bucket(region)

    def __repr__(self) -> str:
        return f"S3BlobStore(bucket={self.bucket!r})"

    def _ensure_bucket(self, region: str) -> None:
        if self._client.bucket_exists(bucket_name=self.bucket):
            return
        try:
            self._client.make_bucket(bucket_name=self.bucket, location=region or None)
        except S3Error as error:
            # Another process (an API and a worker starting together) made it first.
            if error.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        self._client.put_object(
            bucket_name=self.bucket,
            object_name=check_key(key),
            data=io.BytesIO(data),
            length=len(data),
            content_type=content_type,
        )

    def get(self, key: str) -> bytes:
        try:
            response = self._client.get_object(bucket_name=self.bucket, object_name=check_key(key))
        except S3Error as error:
            if error.code in _MISSING_CODES:
                raise BlobNotFound(key) from None
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except BlobNotFound:
            return False
        return True

    def size(self, key: str) -> int:
        try:
            stat = self._client.stat_object(bucket_name=self.bucket, object_name=check_key(key))
        except S3Error as error:
            if error.code in _MISSING_CODES:
                raise BlobNotFound(key) from None
            raise
        if stat.size is None:  # only for folder markers, which this store never writes
            raise BlobNotFound(key)
        return stat.size

    def delete(self, key: str) -> None:
        # S3 answers a delete of a missing key with success, which is the idempotence we want.
        self._client.remove_object(bucket_name=self.bucket, object_name=check_key(key))

    def delete_prefix(self, prefix: str) -> int:
        if not prefix:
            raise BlobKeyError("refusing to delete the whole store: give a non-empty prefix")
        removed = 0
        batch: list[DeleteObject] = []
        for key in self.iter_keys(prefix):
            batch.append(DeleteObject(key))
            if len(batch) == _DELETE_BATCH:
                removed += self._delete_batch(batch)
                batch = []
        if batch:
            removed += self._delete_batch(batch)
        return removed

    def _delete_batch(self, batch: list[DeleteObject]) -> int:
        # remove_objects is lazy: the request is only sent while its errors are iterated.
        errors = list(self._client.remove_objects(bucket_name=self.bucket, delete_object_list=batch))
        if errors:
            raise OSError(f"could not delete {len(errors)} blobs, first: {errors[0]}")
        return len(batch)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        objects = self._client.list_objects(
            bucket_name=self.bucket, prefix=check_prefix(prefix) or None, recursive=True
        )
        for listed in objects:
            if listed.object_name is not None and not listed.is_dir:
                yield listed.object_name
