"""Load with a page of photos what the query asks for below them (schema.lookahead)."""

from __future__ import annotations

from collections.abc import Sequence

from core.repositories.rows import PhotoRow
from schema.context import Info
from schema.lookahead import selects
from schema.people.types import load_covers


async def load_nested(info: Info, rows: Sequence[PhotoRow]) -> None:
    """The page's faces, their clusters and those clusters' cover faces, as far as the query
    selects them below the connection's ``edges { node }``."""
    fields = info.selected_fields
    node = (info.field_name, "edges", "node")
    if not rows or not selects(fields, *node, "faces"):
        return
    loaders = info.context.loaders
    faces = await loaders.faces_of_photo.load_many([row.id for row in rows])
    if not selects(fields, *node, "faces", "cluster"):
        return
    cluster_ids = list(dict.fromkeys(f.cluster_id for found in faces for f in found if f.cluster_id is not None))
    clusters = await loaders.cluster.load_many(cluster_ids)
    if selects(fields, *node, "faces", "cluster", "coverFace"):
        await load_covers(loaders, [cluster for cluster in clusters if cluster is not None])
