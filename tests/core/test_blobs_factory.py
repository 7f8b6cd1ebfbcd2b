"""open_blob_store picks the store the settings name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from core.blobs import LocalBlobStore, S3BlobStore, open_blob_store
from core.settings import Settings


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    server.stop()


def test_default_settings_give_a_folder_in_the_data_dir(tmp_path: Path) -> None:
    store = open_blob_store(Settings(data_dir=tmp_path, blob_url=""))
    assert isinstance(store, LocalBlobStore)
    store.put("thumbs/a.webp", b"a", content_type="image/webp")
    assert (tmp_path / "blobs" / "thumbs" / "a.webp").read_bytes() == b"a"


def test_file_url_names_the_folder(tmp_path: Path) -> None:
    store = open_blob_store(Settings(data_dir=tmp_path / "data", blob_url=f"file://{tmp_path}/elsewhere"))
    store.put("faces/f.webp", b"f", content_type="image/webp")
    assert (tmp_path / "elsewhere" / "faces" / "f.webp").exists()


def test_s3_url_gives_an_s3_store_with_its_bucket(tmp_path: Path, moto_endpoint: str) -> None:
    settings = Settings(
        data_dir=tmp_path,
        blob_url="s3://facesort-photos",
        s3_endpoint=f"http://{moto_endpoint}",  # a scheme in the endpoint decides secure
        s3_access_key="k",
        s3_secret_key="s",
        s3_region="",
        s3_secure=True,
    )
    store = open_blob_store(settings)
    assert isinstance(store, S3BlobStore)
    assert store.bucket == "facesort-photos"
    store.put("thumbs/a.webp", b"a", content_type="image/webp")
    assert open_blob_store(settings).get("thumbs/a.webp") == b"a"


@pytest.mark.parametrize(
    ("blob_url", "endpoint", "message"),
    [
        ("ftp://host/x", "", "expected file"),
        ("file://relative/path", "", "absolute path"),
        ("s3://bucket/with/prefix", "127.0.0.1:9000", "no key prefix"),
        ("s3://bucket", "", "S3_ENDPOINT"),
    ],
)
def test_unusable_blob_urls_are_refused_clearly(tmp_path: Path, blob_url: str, endpoint: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_blob_store(Settings(data_dir=tmp_path, blob_url=blob_url, s3_endpoint=endpoint))
