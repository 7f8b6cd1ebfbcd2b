# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Upload (the same service as POST /api/photos) and delete photos."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from core import errors as domain
from core.services import library
from core.services.uploads import IncomingFile, UploadLimits, UploadResult, upload_photos
from schema.context import Info, Services
from schema.errors import ValidationError, invalid
from schema.ids import decode_ids, encode_id
from schema.photos.types import Photo

MAX_FILES_PER_UPLOAD = 1000


@strawberry.type
class UploadedPhoto:
    id: strawberry.ID
    file_name: str
    duplicate: bool = strawberry.field(description="True when the same file was already in the library.")

    @strawberry.field(description="The photo row (status UPLOADED until processed).")
    async def photo(self, info: Info) -> Photo | None:
        from schema.ids import decode_id

        row = await info.context.loaders.photo.load(decode_id("Photo", self.id))
        return Photo.from_row(row) if row is not None else None


@strawberry.type
class UploadError:
    file_name: str
    error: str


@strawberry.type
class UploadPhotosResult:
    photos: list[UploadedPhoto]
    errors: list[UploadError]


@strawberry.type
class DeletedPhotos:
    ids: list[strawberry.ID] = strawberry.field(description="The photos deleted (ids not yours are left out).")


DeletePhotosResult = Annotated[DeletedPhotos | ValidationError, strawberry.union("DeletePhotosResult")]


def _read(files: Sequence[Any], max_bytes: int) -> Iterator[IncomingFile]:
    for upload in files:
        upload.file.seek(0)
        yield IncomingFile(file_name=getattr(upload, "filename", "") or "", data=upload.file.read(max_bytes + 1))


def _store(services: Services, owner_id: Any, files: Sequence[Any]) -> UploadResult:
    settings = services.settings
    return upload_photos(
        sessions=services.sessions,
        blobs=services.blobs,
        owner_id=owner_id,
        files=_read(files, settings.max_upload_bytes),
        limits=UploadLimits(max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels),
        enqueue=services.enqueue_photos,
    )


@strawberry.type
class PhotoMutations:
    @strawberry.mutation(description="Upload photos (multipart request); a reason for each file refused.")
    async def upload_photos(self, info: Info, files: list[Upload]) -> UploadPhotosResult:
        ctx = info.context
        owner_id = ctx.owner_id
        if len(files) > ctx.services.settings.max_files_per_request:
            raise domain.ValidationError("too many files in one request", field="files")
        result = await ctx.write(_store, ctx.services, owner_id, files)
        return UploadPhotosResult(
            photos=[UploadedPhoto(id=encode_id("Photo", p.id), file_name=p.file_name, duplicate=p.duplicate)
                    for p in result.photos],
            errors=[UploadError(file_name=e.file_name, error=e.error) for e in result.errors],
        )

    @strawberry.mutation(description="Delete photos with their faces, thumbnails and (if unshared) originals.")
    async def delete_photos(self, info: Info, ids: list[strawberry.ID]) -> DeletePhotosResult:
        ctx = info.context
        owner_id = ctx.owner_id
        try:
            photo_ids = decode_ids("Photo", ids)
        except domain.ValidationError as exc:
            return invalid(exc)
        deleted = await ctx.write(
            library.delete_photos, ctx.services.sessions, ctx.services.blobs, owner_id=owner_id, photo_ids=photo_ids
        )
        return DeletedPhotos(ids=[encode_id("Photo", photo_id) for photo_id in deleted])

