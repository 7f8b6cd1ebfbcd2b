"""Load with a page of photos what the query asks for below them (schema.lookahead)."""

from __future__ import annotations

from collections.abc import Sequence

from core import tables
from schema.context import Info
from schema.lookahead import selects


async def load_nested(info: Info, rows: Sequence[tables.Photo], path: tuple[str, ...]) -> None:
    """The photos' faces, and those faces' clusters, when the query selects them at ``path``."""
    if not rows or not selects(info, *path, "faces"):
        return
    loaders = info.context.loaders
    faces = await loaders.faces_of_photo.load_many([row.id for row in rows])
    if selects(info, *path, "faces", "cluster"):
        cluster_ids = list(dict.fromkeys(f.cluster_id for found in faces for f in found if f.cluster_id is not None))
        await loaders.cluster.load_many(cluster_ids)
