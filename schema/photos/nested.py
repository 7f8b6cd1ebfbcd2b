"""What a page of photos reads below it (schema.lookahead), in the page's own read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.repositories.rows import PhotoRow
from schema.context import Info
from schema.loaders import Loaders, PageFaces
from schema.lookahead import selects


@dataclass(frozen=True)
class Below:
    """What the query selects below the connection's ``edges { node }``."""

    faces: bool
    clusters: bool
    covers: bool


def selected_below(info: Info) -> Below:
    fields = info.selected_fields
    node = (info.field_name, "edges", "node")
    faces = selects(fields, *node, "faces")
    clusters = faces and selects(fields, *node, "faces", "cluster")
    return Below(faces, clusters, clusters and selects(fields, *node, "faces", "cluster", "coverFace"))


def read_below(loaders: Loaders, session: Any, rows: Sequence[PhotoRow], below: Below) -> PageFaces | None:
    """The page's faces, their clusters and those clusters' cover faces, as far as ``below`` says."""
    if not rows or not below.faces:
        return None
    return loaders.page_faces(session, [row.id for row in rows], clusters=below.clusters, covers=below.covers)
