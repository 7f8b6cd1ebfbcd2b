# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Create, rename, fill, empty and delete albums."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from core import errors as domain
from core.services import library
from schema.albums.types import Album
from schema.context import Info
from schema.errors import NotFound, ValidationError, invalid, not_found
from schema.ids import decode_id, decode_ids, encode_id

AlbumResult = Annotated[Album | NotFound | ValidationError, strawberry.union("AlbumResult")]


@strawberry.type
class DeletedAlbum:
    id: strawberry.ID


DeleteAlbumResult = Annotated[DeletedAlbum | NotFound | ValidationError, strawberry.union("DeleteAlbumResult")]


async def _album_op(info: Info, fn: Callable[..., Any], album_id: strawberry.ID | None = None,
                    photo_ids: list[strawberry.ID] | None = None, **rest: Any) -> Any:
    ctx = info.context
    owner_id = ctx.owner_id
    try:
        if album_id is not None:
            rest["album_id"] = decode_id("Album", album_id)
        if photo_ids is not None:
            rest["photo_ids"] = decode_ids("Photo", photo_ids, field="photoIds")
        row = await ctx.write(fn, ctx.services.sessions, owner_id=owner_id, **rest)
    except domain.NotFound as exc:
        return not_found(exc)
    except domain.ValidationError as exc:
        return invalid(exc)
    return row


@strawberry.type
class AlbumMutations:
    @strawberry.mutation
    async def create_album(
        self, info: Info, name: str, photo_ids: list[strawberry.ID] | None = None
    ) -> AlbumResult:
        row = await _album_op(info, library.create_album, photo_ids=photo_ids or [], name=name)
        return Album.from_row(row) if not isinstance(row, NotFound | ValidationError) else row

    @strawberry.mutation
    async def rename_album(self, info: Info, id: strawberry.ID, name: str) -> AlbumResult:
        row = await _album_op(info, library.rename_album, album_id=id, name=name)
        return Album.from_row(row) if not isinstance(row, NotFound | ValidationError) else row

    @strawberry.mutation
    async def add_photos_to_album(self, info: Info, id: strawberry.ID, photo_ids: list[strawberry.ID]) -> AlbumResult:
        row = await _album_op(info, library.add_photos_to_album, album_id=id, photo_ids=photo_ids)
        return Album.from_row(row) if not isinstance(row, NotFound | ValidationError) else row

    @strawberry.mutation
    async def remove_photos_from_album(
        self, info: Info, id: strawberry.ID, photo_ids: list[strawberry.ID]
    ) -> AlbumResult:
        row = await _album_op(info, library.remove_photos_from_album, album_id=id, photo_ids=photo_ids)
        return Album.from_row(row) if not isinstance(row, NotFound | ValidationError) else row

    @strawberry.mutation(description="Delete an album; its photos stay in the library.")
    async def delete_album(self, info: Info, id: strawberry.ID) -> DeleteAlbumResult:
        row = await _album_op(info, library.delete_album, album_id=id)
        return DeletedAlbum(id=encode_id("Album", row)) if not isinstance(row, NotFound | ValidationError) else row
