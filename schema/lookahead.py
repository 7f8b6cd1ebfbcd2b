"""What a query asks for below a field, so a list resolver can load its nested data at once.

A page of 50 photos with their faces and people would otherwise resolve ``faces`` 50 times and
``cluster`` a hundred times through DataLoader futures, each a task on the event loop (about
half the time of such a request was that scheduling, measured with cProfile on bench.api).
Loading them with the page lets those fields answer synchronously from the loaders' cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from strawberry.types.nodes import SelectedField, Selection

from schema.context import Info


def selects(info: Info, *path: str) -> bool:
    """Whether the query selects ``path`` (GraphQL field names) below the current field,
    through fragments too: ``selects(info, "edges", "node", "faces")``."""
    return any(_walk(field.selections, path) for field in info.selected_fields)


def _walk(selections: Iterable[Selection], path: Sequence[str]) -> bool:
    if not path:
        return True
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == path[0] and _walk(selection.selections, path[1:]):
                return True
        elif _walk(selection.selections, path):  # an inline fragment or a fragment spread
            return True
    return False
