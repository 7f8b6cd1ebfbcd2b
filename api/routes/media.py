"""Images by id: originals, previews, thumbnails and face crops, only to their owner.

URLs carry a version (``?v=``) and keys never change meaning, so answers are cached for a year;
every answer says ``nosniff`` and carries a Content-Type from an allow-list, never the upload's.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import anyio.to_thread
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import caller_of, read_session, unauthorized
from core.blobs import BlobNotFound
from core.blobs.keys import face_crop_key, preview_key, thumbnail_key
from core.repositories import batches
from core.repositories.rows import FaceRow, PhotoRow
from schema.context import Services
from schema.ids import parse_any_id

SAFE_IMAGE_TYPES = frozenset({
    "image/jpeg", "image/png", "image/webp", "image/gif", "image/avif", "image/heic", "image/tiff",
})
CACHE_FOREVER = "private, max-age=31536000, immutable"
NOT_FOUND = {"error": "not found"}


def _headers(etag: str) -> dict[str, str]:
    return {
        "ETag": etag,
        "Cache-Control": CACHE_FOREVER,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }


def _owned_photo(session: Session, photo_id: uuid.UUID, owner_id: uuid.UUID) -> PhotoRow | None:
    return batches.photos_by_id(session, owner_id=owner_id, photo_ids=[photo_id]).get(photo_id)


def _owned_face(session: Session, face_id: uuid.UUID, owner_id: uuid.UUID) -> FaceRow | None:
    return batches.faces_by_id(session, owner_id=owner_id, face_ids=[face_id]).get(face_id)


async def _send(request: Request, key: str, etag: str, content_type: str,
                extra: dict[str, str] | None = None) -> Response:
    headers = {**_headers(etag), **(extra or {})}
    if etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    services: Services = request.app.state.services
    try:
        data = await anyio.to_thread.run_sync(services.blobs.get, key)
    except BlobNotFound:
        return JSONResponse(NOT_FOUND, status_code=404, headers={"X-Content-Type-Options": "nosniff"})
    return Response(data, media_type=content_type, headers=headers)


async def photo_media(request: Request) -> Response:
    caller = caller_of(request)
    if caller is None:
        return unauthorized()
    kind = request.path_params["kind"]
    photo_id = parse_any_id("Photo", request.path_params["id"])
    if photo_id is None or kind not in ("original", "preview", "thumb"):
        return JSONResponse(NOT_FOUND, status_code=404)
    photo = await anyio.to_thread.run_sync(_owned_photo, read_session(request), photo_id, caller.user_id)
    if photo is None:
        return JSONResponse(NOT_FOUND, status_code=404)
    if kind == "original":
        content_type = photo.content_type if photo.content_type in SAFE_IMAGE_TYPES else "application/octet-stream"
        disposition = f"inline; filename*=UTF-8''{quote(photo.file_name, safe='')}"
        return await _send(request, photo.file_path, f'"{photo.sha256}"', content_type,
                           {"Content-Disposition": disposition})
    if photo.ingested_at is None:
        return JSONResponse({"error": "not processed yet"}, status_code=404)
    version = int(photo.ingested_at.timestamp())
    key = thumbnail_key(photo.id) if kind == "thumb" else preview_key(photo.id)
    return await _send(request, key, f'"{kind}-{photo.sha256[:20]}-{version}"', "image/webp")


async def face_media(request: Request) -> Response:
    caller = caller_of(request)
    if caller is None:
        return unauthorized()
    face_id = parse_any_id("Face", request.path_params["id"])
    if face_id is None:
        return JSONResponse(NOT_FOUND, status_code=404)
    face = await anyio.to_thread.run_sync(_owned_face, read_session(request), face_id, caller.user_id)
    if face is None:
        return JSONResponse(NOT_FOUND, status_code=404)
    version = int(face.updated_at.timestamp())
    return await _send(request, face_crop_key(face.id), f'"face-{face.id.hex}-{version}"', "image/jpeg")
