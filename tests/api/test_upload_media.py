"""Uploads through HTTP and GraphQL (one service), and the owner-checked, cached media routes."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from core.blobs.keys import face_crop_key, thumbnail_key
from core.tables import Face, Photo
from schema.context import Services
from schema.ids import decode_id
from tests.api.conftest import dev_photos, gql
from tests.schema.factories import add_user, face_row, make_library


def test_http_upload_of_real_photos_with_bad_files_and_duplicates(client: TestClient, dev_set: Path) -> None:
    photos = dev_photos(dev_set, 3)
    files = [("files", (p.name, p.read_bytes(), "image/jpeg")) for p in photos]
    files += [("files", ("empty.jpg", b"", "image/jpeg")), ("files", ("page.jpg", b"<html>hi</html>", "image/jpeg")),
              ("files", ("../../etc/x.jpg", photos[0].read_bytes()[:2000], "image/jpeg"))]
    response = client.post("/api/photos", files=files)
    assert response.status_code == 200
    body = response.json()
    # A truncated JPEG has a valid header: it is stored now and fails at ingest, under a safe name.
    assert [p["fileName"] for p in body["photos"]] == [p.name for p in photos] + ["x.jpg"]
    assert not any(p["duplicate"] for p in body["photos"])
    assert [e["fileName"] for e in body["errors"]] == ["empty.jpg", "page.jpg"]
    assert "empty" in body["errors"][0]["error"]
    again = client.post("/api/photos", files=files[:1]).json()
    assert again["photos"] == [{**body["photos"][0], "duplicate": True}]
    status = gql(client, "{ libraryStatus { photos pending } }")["data"]["libraryStatus"]
    assert status == {"photos": 4, "pending": 4}


def test_http_upload_needs_files(client: TestClient) -> None:
    assert client.post("/api/photos", files=[("file", ("a.jpg", b"x"))]).status_code == 400
    assert client.post("/api/photos", json={"files": []}).status_code == 400


def test_byte_cap(db_url: str, tmp_path: Path, dev_set: Path) -> None:
    from api.app import create_app
    from pipeline.broker import setup_broker
    from tests.api.conftest import app_settings

    settings = app_settings(db_url, tmp_path, max_upload_bytes=10_000)
    setup_broker(settings)
    photo = dev_photos(dev_set, 1)[0]
    with TestClient(create_app(settings)) as client:
        body = client.post("/api/photos", files=[("files", (photo.name, photo.read_bytes()))]).json()
    assert body["photos"] == [] and "too large" in body["errors"][0]["error"]


def test_graphql_multipart_upload(client: TestClient, dev_set: Path) -> None:
    photos = dev_photos(dev_set, 2, person="angelina_jolie")
    operations = {"query": "mutation($files: [Upload!]!) { uploadPhotos(files: $files) { "
                           "photos { id fileName duplicate photo { status fileName } } errors { fileName error } } }",
                  "variables": {"files": [None, None, None]}}
    mapping = {"0": ["variables.files.0"], "1": ["variables.files.1"], "2": ["variables.files.2"]}
    files = {"0": (photos[0].name, photos[0].read_bytes()), "1": (photos[1].name, photos[1].read_bytes()),
             "2": ("notes.jpg", b"just text")}
    response = client.post("/graphql", data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
                           files=files)
    assert response.status_code == 200, response.text
    result = response.json()["data"]["uploadPhotos"]
    assert [p["photo"] for p in result["photos"]] == [
        {"status": "UPLOADED", "fileName": photos[0].name}, {"status": "UPLOADED", "fileName": photos[1].name}]
    assert result["errors"][0]["fileName"] == "notes.jpg"


def _services(client: TestClient) -> Services:
    return client.app.state.services  # type: ignore[attr-defined, no-any-return]


def test_media_routes_are_owner_checked_and_cached(client: TestClient, dev_set: Path) -> None:
    photo_file = dev_photos(dev_set, 1)[0]
    uploaded = client.post("/api/photos", files=[("files", (photo_file.name, photo_file.read_bytes()))]).json()
    photo_id = uploaded["photos"][0]["id"]
    services = _services(client)
    raw_id = decode_id("Photo", photo_id)
    services.blobs.put(thumbnail_key(raw_id), b"RIFF-thumb", content_type="image/webp")

    original = client.get(f"/media/photos/{photo_id}/original")
    assert original.status_code == 200 and original.content == photo_file.read_bytes()
    assert original.headers["content-type"] == "image/jpeg"
    assert original.headers["x-content-type-options"] == "nosniff"
    assert original.headers["cache-control"] == "private, max-age=31536000, immutable"
    etag = original.headers["etag"]
    assert client.get(f"/media/photos/{photo_id}/original", headers={"If-None-Match": etag}).status_code == 304
    assert client.get(f"/media/photos/{photo_id}/thumb").status_code == 404  # not ingested yet

    with services.sessions() as session:
        row = session.get(Photo, raw_id)
        assert row is not None
        from core.tables import utcnow

        row.ingested_at = utcnow()
        session.add(row)
        face = face_row(row.owner_id, raw_id, None)
        session.add(face)
        session.commit()
        face_id = face.id
    services.blobs.put(face_crop_key(face_id), b"RIFF-face", content_type="image/webp")
    thumb = client.get(f"/media/photos/{photo_id}/thumb")
    assert thumb.content == b"RIFF-thumb" and thumb.headers["content-type"] == "image/webp"
    node = gql(client, "query($id: ID!) { photo(id: $id) { thumbnailUrl faces { cropUrl } } }",
               {"id": photo_id})["data"]["photo"]
    assert client.get(node["thumbnailUrl"]).content == b"RIFF-thumb"
    crop = client.get(node["faces"][0]["cropUrl"])
    assert crop.content == b"RIFF-face" and crop.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"/media/faces/{face_id}").status_code == 200  # a bare uuid works too
    assert client.get(f"/media/photos/{photo_id}/exif").status_code == 404
    assert client.get("/media/photos/garbage/original").status_code == 404


def test_media_of_another_user_is_not_found(client: TestClient) -> None:
    made = gql(client, 'mutation { createFirstUser(username: "anna", password: "correct horse battery") '
                       "{ ... on Session { token } } }")["data"]["createFirstUser"]
    client.cookies.clear()
    client.headers["Authorization"] = f"Bearer {made['token']}"
    services = _services(client)
    stranger = add_user(services.sessions, "mallory")
    library = make_library(services.sessions, stranger.id, photos=1, people={"Eve": [0]})
    photo, face = library.photos[0], library.faces[0]
    services.blobs.put(photo.file_path, b"\xff\xd8secret", content_type="image/jpeg")
    services.blobs.put(face_crop_key(face.id), b"RIFF", content_type="image/webp")
    assert client.get(f"/media/photos/{photo.id}/original").status_code == 404
    assert client.get(f"/media/photos/{photo.id}/thumb").status_code == 404
    assert client.get(f"/media/faces/{face.id}").status_code == 404
    assert isinstance(face, Face)
    mine = make_library(services.sessions, decode_id("User", gql(client, "{ me { id } }")["data"]["me"]["id"]),
                        photos=1, people={})
    services.blobs.put(mine.photos[0].file_path, b"\xff\xd8mine", content_type="image/jpeg")
    assert client.get(f"/media/photos/{mine.photos[0].id}/original").content == b"\xff\xd8mine"


def test_health_openapi_and_web_client(client: TestClient, tmp_path: Path) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    spec = client.get("/api/openapi.json").json()
    assert {"/api/photos", "/media/photos/{id}/{kind}", "/media/faces/{id}", "/healthz"} <= set(spec["paths"])
    client.app.state.web_dist = tmp_path / "missing"  # type: ignore[attr-defined]
    assert "not built" in client.get("/").text
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<html>app</html>")
    (dist / "assets" / "main-abc.js").write_text("js")
    client.app.state.web_dist = dist  # type: ignore[attr-defined]
    assert client.get("/people/123").text == "<html>app</html>"  # the SPA routes itself
    asset = client.get("/assets/main-abc.js")
    assert asset.text == "js" and "immutable" in asset.headers["cache-control"]
    assert client.get("/../../etc/passwd").text == "<html>app</html>"
    assert client.get("/api/nothing").status_code == 404
