# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any.)
"""Add and remove labels on photos."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from core import errors as domain
from core.services import library
from schema.context import Info
from schema.errors import NotFound, ValidationError, invalid, not_found
from schema.ids import decode_ids
from schema.photos.types import Photo


@strawberry.type
class LabelledPhotos:
    photos: list[Photo]


LabelsResult = Annotated[LabelledPhotos | NotFound | ValidationError, strawberry.union("LabelsResult")]


async def _change(info: Info, fn: Callable[..., list[Any]], photo_ids: list[strawberry.ID], labels: list[str]) -> Any:
    ctx = info.context
    owner_id = ctx.owner_id
    try:
        ids = decode_ids("Photo", photo_ids, field="photoIds")
        changed = await ctx.write(fn, ctx.services.sessions, owner_id=owner_id, photo_ids=ids, labels=labels)
    except domain.NotFound as exc:
        return not_found(exc)
    except domain.ValidationError as exc:
        return invalid(exc)
    rows = await ctx.loaders.photo.load_many(changed)
    return LabelledPhotos(photos=[Photo.from_row(row) for row in rows if row is not None])


@strawberry.type
class LabelMutations:
    @strawberry.mutation(description="Label photos (labels already there are kept once).")
    async def add_labels(self, info: Info, photo_ids: list[strawberry.ID], labels: list[str]) -> LabelsResult:
        return await _change(info, library.add_labels, photo_ids, labels)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Remove labels from photos (case and accents ignored).")
    async def remove_labels(self, info: Info, photo_ids: list[strawberry.ID], labels: list[str]) -> LabelsResult:
        return await _change(info, library.remove_labels, photo_ids, labels)  # type: ignore[no-any-return]
