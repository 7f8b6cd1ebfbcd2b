"""POST /api/photos: many files in one multipart request, through the one upload service."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import anyio.to_thread
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.auth import caller_of, unauthorized
from core.services.uploads import IncomingFile, UploadLimits, UploadResult, upload_photos
from schema.context import Services
from schema.ids import encode_id


def read_files(files: Sequence[UploadFile], max_bytes: int) -> Iterator[IncomingFile]:
    """Read one file at a time, at most one byte over the cap (the service names the excess)."""
    for upload in files:
        upload.file.seek(0)
        yield IncomingFile(file_name=upload.filename or "", data=upload.file.read(max_bytes + 1))


def result_json(result: UploadResult) -> dict[str, object]:
    return {
        "photos": [
            {"id": encode_id("Photo", photo.id), "fileName": photo.file_name, "duplicate": photo.duplicate}
            for photo in result.photos
        ],
        "errors": [{"fileName": error.file_name, "error": error.error} for error in result.errors],
    }


def store_uploads(services: Services, owner_id: object, files: Sequence[UploadFile]) -> UploadResult:
    settings = services.settings
    return upload_photos(
        sessions=services.sessions,
        blobs=services.blobs,
        owner_id=owner_id,  # type: ignore[arg-type]
        files=read_files(files, settings.max_upload_bytes),
        limits=UploadLimits(max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels),
        enqueue=services.enqueue_photos,
    )


async def post_photos(request: Request) -> JSONResponse:
    caller = caller_of(request)
    if caller is None:
        return unauthorized()
    services: Services = request.app.state.services
    limit = services.settings.max_files_per_request
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return JSONResponse({"error": "send multipart/form-data with one or more `files` fields"}, status_code=400)
    async with request.form(max_files=limit, max_fields=limit) as form:
        files = [value for value in form.getlist("files") if isinstance(value, UploadFile)]
        if not files:
            return JSONResponse({"error": "no `files` field in the form"}, status_code=400)
        result = await anyio.to_thread.run_sync(store_uploads, services, caller.user_id, files)
    return JSONResponse(result_json(result))
