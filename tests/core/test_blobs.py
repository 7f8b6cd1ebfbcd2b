"""The blob store contract, run against the local folder and S3 (moto's server on loopback)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from core.blobs import BlobKeyError, BlobNotFound, BlobStore, LocalBlobStore, S3BlobStore
from core.blobs.keys import face_crop_key, original_key, preview_key, sha256_hex, thumbnail_key


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    server.stop()


def s3_store(endpoint: str, bucket: str | None = None) -> S3BlobStore:
    # moto checks no signatures, so any keys do; a fresh bucket per test keeps tests apart.
    return S3BlobStore(
        bucket=bucket or f"test-{uuid.uuid4().hex[:12]}",
        endpoint=endpoint,
        access_key="testing",
        secret_key="testing",
        region="us-east-1",
        secure=False,
    )


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    return s3_store(request.getfixturevalue("moto_endpoint"))


def test_put_then_get_returns_the_same_bytes(store: BlobStore) -> None:
    data = bytes(range(256)) * 10
    store.put("thumbs/a.webp", data, content_type="image/webp")
    assert store.get("thumbs/a.webp") == data
    assert store.size("thumbs/a.webp") == len(data)
    assert store.exists("thumbs/a.webp")


def test_put_replaces_the_old_blob(store: BlobStore) -> None:
    store.put("previews/p.webp", b"old and longer", content_type="image/webp")
    store.put("previews/p.webp", b"new", content_type="image/webp")
    assert store.get("previews/p.webp") == b"new"
    assert store.size("previews/p.webp") == 3


def test_empty_blob_is_a_blob(store: BlobStore) -> None:
    store.put("faces/empty.webp", b"", content_type="image/webp")
    assert store.exists("faces/empty.webp")
    assert store.get("faces/empty.webp") == b""
    assert store.size("faces/empty.webp") == 0


def test_blob_larger_than_one_upload_part(store: BlobStore) -> None:
    # Over minio's 5 MiB part size: S3 takes the multipart path, which must still round-trip.
    data = uuid.uuid4().bytes * (7 * 1024 * 1024 // 16)
    key = original_key(sha256_hex(data))
    store.put(key, data, content_type="image/jpeg")
    assert store.get(key) == data


def test_missing_blob_raises_blob_not_found(store: BlobStore) -> None:
    with pytest.raises(BlobNotFound) as raised:
        store.get("originals/00/missing")
    assert raised.value.key == "originals/00/missing"
    with pytest.raises(BlobNotFound):
        store.size("originals/00/missing")
    assert not store.exists("originals/00/missing")


def test_a_folder_is_not_a_blob(store: BlobStore) -> None:
    store.put("originals/ab/abc", b"x", content_type="image/jpeg")
    assert not store.exists("originals/ab")
    with pytest.raises(BlobNotFound):
        store.get("originals/ab")


def test_delete_removes_and_is_idempotent(store: BlobStore) -> None:
    store.put("thumbs/d.webp", b"d", content_type="image/webp")
    store.put("thumbs/keep.webp", b"k", content_type="image/webp")
    store.delete("thumbs/d.webp")
    assert not store.exists("thumbs/d.webp")
    store.delete("thumbs/d.webp")
    store.delete("never/was/there")
    assert store.get("thumbs/keep.webp") == b"k"


def test_iter_keys_lists_by_prefix_in_key_order(store: BlobStore) -> None:
    keys = ["thumbs/b.webp", "thumbs/a.webp", "faces/f.webp", "thumbs.txt", "thumbs/sub/c.webp", "thumbs0"]
    for key in keys:
        store.put(key, key.encode(), content_type="application/octet-stream")
    assert list(store.iter_keys()) == sorted(keys)
    assert list(store.iter_keys("thumbs/")) == ["thumbs/a.webp", "thumbs/b.webp", "thumbs/sub/c.webp"]
    assert list(store.iter_keys("thumbs")) == sorted(k for k in keys if k.startswith("thumbs"))
    assert list(store.iter_keys("thumbs/a")) == ["thumbs/a.webp"]
    assert list(store.iter_keys("nothing/")) == []


def test_delete_prefix_removes_only_matching_keys(store: BlobStore) -> None:
    photo = uuid.uuid4()
    other = uuid.uuid4()
    for key in (thumbnail_key(photo), thumbnail_key(other), preview_key(photo), "faces/x/1.webp", "faces/x/2.webp"):
        store.put(key, b"1", content_type="image/webp")
    assert store.delete_prefix("faces/x/") == 2
    assert store.delete_prefix(f"thumbs/{photo}") == 1
    assert sorted(store.iter_keys()) == sorted([thumbnail_key(other), preview_key(photo)])
    assert store.delete_prefix("faces/") == 0


def test_delete_prefix_refuses_to_empty_the_store(store: BlobStore) -> None:
    store.put("thumbs/a.webp", b"1", content_type="image/webp")
    with pytest.raises(BlobKeyError):
        store.delete_prefix("")
    assert store.exists("thumbs/a.webp")


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../outside", "a/../../b", "a//b", "a/./b", "a/", "a\\b", "nul\x00l"]
)
def test_keys_that_could_leave_the_store_are_refused(store: BlobStore, key: str) -> None:
    with pytest.raises(BlobKeyError):
        store.put(key, b"x", content_type="text/plain")
    with pytest.raises(BlobKeyError):
        store.get(key)
    with pytest.raises(BlobKeyError):
        store.delete(key)


def test_prefix_that_climbs_out_is_refused(store: BlobStore) -> None:
    with pytest.raises(BlobKeyError):
        list(store.iter_keys("../"))


def test_store_satisfies_the_protocol(store: BlobStore) -> None:
    assert isinstance(store, BlobStore)


# Local folder specifics


def test_local_put_is_atomic_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalBlobStore(tmp_path)
    store.put("originals/ab/abc", b"the original", content_type="image/jpeg")

    def crash(*_: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr("core.blobs.local.os.replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        store.put("originals/ab/abc", b"half", content_type="image/jpeg")
    assert store.get("originals/ab/abc") == b"the original"
    assert sorted(p.name for p in (tmp_path / "originals" / "ab").iterdir()) == ["abc"]


def test_local_listing_skips_half_written_files(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    store.put("thumbs/a.webp", b"a", content_type="image/webp")
    (tmp_path / "thumbs" / ".tmp-crashed").write_bytes(b"partial")
    assert list(store.iter_keys()) == ["thumbs/a.webp"]


def test_local_store_does_not_follow_a_symlink_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"secret")
    store = LocalBlobStore(tmp_path / "blobs")
    (tmp_path / "blobs" / "link").symlink_to(outside)
    with pytest.raises(BlobKeyError):
        store.get("link/secret")


def test_local_store_keeps_files_at_their_keys(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    store.put("faces/f.webp", b"crop", content_type="image/webp")
    assert (tmp_path / "faces" / "f.webp").read_bytes() == b"crop"


# S3 specifics


def test_s3_store_creates_its_bucket_once(moto_endpoint: str) -> None:
    bucket = f"made-{uuid.uuid4().hex[:12]}"
    first = s3_store(moto_endpoint, bucket)
    first.put("thumbs/a.webp", b"a", content_type="image/webp")
    second = s3_store(moto_endpoint, bucket)  # bucket exists now: no error, nothing lost
    assert second.get("thumbs/a.webp") == b"a"


def test_s3_delete_prefix_spans_more_than_one_delete_request(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # S3 deletes at most 1000 keys per request; a batch of 3 shows the same seams with 7 keys.
    monkeypatch.setattr("core.blobs.s3._DELETE_BATCH", 3)
    store = s3_store(moto_endpoint)
    for number in range(7):
        store.put(f"faces/{number:05d}.webp", b"f", content_type="image/webp")
    store.put("thumbs/keep.webp", b"k", content_type="image/webp")
    assert store.delete_prefix("faces/") == 7
    assert list(store.iter_keys()) == ["thumbs/keep.webp"]


# Keys


def test_original_key_is_content_addressed_with_fan_out() -> None:
    digest = sha256_hex(b"photo bytes")
    assert original_key(digest) == f"originals/{digest[:2]}/{digest}"
    assert original_key(sha256_hex(b"photo bytes")) == original_key(digest)
    assert original_key(sha256_hex(b"other bytes")) != original_key(digest)


@pytest.mark.parametrize("digest", ["", "abc", "G" * 64, "A" * 64, "../" + "a" * 61])
def test_original_key_refuses_what_is_not_a_sha256(digest: str) -> None:
    with pytest.raises(ValueError, match="sha256"):
        original_key(digest)


def test_derived_keys_name_the_photo_or_face() -> None:
    photo_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert thumbnail_key(photo_id) == "thumbs/12345678-1234-5678-1234-567812345678.webp"
    assert preview_key(photo_id) == "previews/12345678-1234-5678-1234-567812345678.webp"
    assert face_crop_key(photo_id) == "faces/12345678-1234-5678-1234-567812345678.jpg"
