"""Media only to its owner, never sniffed into a document, whatever the uploaded bytes or name say."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from starlette.testclient import TestClient

from core.blobs.keys import face_crop_key, preview_key, thumbnail_key
from core.services import accounts
from core.tables import Photo, User, utcnow
from schema.ids import decode_id
from tests.reliability import images
from tests.schema.factories import face_row

# A real JPEG with an HTML document in its comment: a browser that sniffed it would run the script.
POLYGLOT = images.encoded(images.Image.new("RGB", (20, 20), (5, 5, 5)), "JPEG",
                          comment=b"<html><script>alert(document.cookie)</script></html>")


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    with sessions() as session:
        user = session.exec(sa.select(User).where(User.username == username)).scalars().one()
    _, token = accounts.create_api_token(sessions, user_id=user.id, name="tests")
    return {"Authorization": f"Bearer {token}"}


def _upload(client: TestClient, headers: dict[str, str], name: str, data: bytes) -> uuid.UUID:
    body = client.post("/api/photos", files=[("files", (name, data, "text/html"))], headers=headers).json()
    assert body["errors"] == [], body
    return decode_id("Photo", body["photos"][0]["id"])


def _processed(client: TestClient, photo_id: uuid.UUID) -> uuid.UUID:
    """Pretend the pipeline ran: thumbnail, preview and one face with its crop."""
    services: Any = client.app.state.services  # type: ignore[attr-defined]
    with services.sessions() as session:
        photo = session.get(Photo, photo_id)
        photo.ingested_at = utcnow()
        face = face_row(photo.owner_id, photo_id, None)
        session.add_all([photo, face])
        session.commit()
        face_id = face.id
    for key in (thumbnail_key(photo_id), preview_key(photo_id), face_crop_key(face_id)):
        services.blobs.put(key, b"RIFF....WEBP", content_type="image/webp")
    return face_id


def test_another_users_media_is_not_found(client: TestClient) -> None:
    anna, mallory = _bearer(client, "anna"), _bearer(client, "mallory")
    photo_id = _upload(client, mallory, "private.jpg", images.good_jpeg(700))
    face_id = _processed(client, photo_id)
    urls = [f"/media/photos/{photo_id}/{kind}" for kind in ("original", "preview", "thumb")]
    urls.append(f"/media/faces/{face_id}")
    for url in urls:
        assert client.get(url, headers=mallory).status_code == 200, url
        stolen = client.get(url, headers=anna)
        assert stolen.status_code == 404 and b"WEBP" not in stolen.content and b"JFIF" not in stolen.content, url
        assert client.get(url).status_code == 401, "nobody signed in"
    assert client.get(f"/media/photos/{uuid.uuid4()}/original", headers=anna).status_code == 404


def test_uploads_are_served_with_nosniff_and_a_safe_type(client: TestClient) -> None:
    anna = _bearer(client, "anna")
    photo_id = _upload(client, anna, 'evil".html\r\nSet-Cookie: x=1', POLYGLOT)
    original = client.get(f"/media/photos/{photo_id}/original", headers=anna)
    assert original.status_code == 200 and original.content == POLYGLOT
    assert original.headers["content-type"] == "image/jpeg", "the type comes from the bytes, not the upload"
    assert original.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in original.headers["content-security-policy"]
    assert "set-cookie" not in original.headers
    disposition = original.headers["content-disposition"]
    assert disposition.startswith("inline; filename*=UTF-8''") and "\r" not in disposition and '"' not in disposition

    # Even a row whose type was tampered with is never served as a document.
    services: Any = client.app.state.services  # type: ignore[attr-defined]
    with services.sessions() as session:
        session.execute(sa.update(Photo).where(Photo.id == photo_id).values(content_type="text/html"))
        session.commit()
    tampered = client.get(f"/media/photos/{photo_id}/original", headers=anna)
    assert tampered.headers["content-type"] == "application/octet-stream"
    assert tampered.headers["x-content-type-options"] == "nosniff"

    face_id = _processed(client, photo_id)
    for url in (f"/media/photos/{photo_id}/thumb", f"/media/faces/{face_id}"):
        derived = client.get(url, headers=anna)
        assert derived.headers["content-type"] in ("image/webp", "image/jpeg"), url
        assert derived.headers["x-content-type-options"] == "nosniff"
    for url in ("/healthz", "/graphql", "/media/photos/nope/original", "/"):
        assert client.get(url, headers=anna).headers["x-content-type-options"] == "nosniff", url


def test_svg_and_html_are_never_stored(client: TestClient) -> None:
    anna = _bearer(client, "anna")
    for name, data in (("x.svg", images.SVG), ("x.html", images.HTML)):
        body = client.post("/api/photos", files=[("files", (name, data, "image/svg+xml"))], headers=anna).json()
        assert body["photos"] == [] and "not a photo" in body["errors"][0]["error"]
