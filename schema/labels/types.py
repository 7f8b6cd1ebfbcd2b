"""Labels: free text on photos, searchable with photos(filter: {labels, text})."""

from __future__ import annotations

import strawberry


@strawberry.type
class Label:
    name: str
    photo_count: int
