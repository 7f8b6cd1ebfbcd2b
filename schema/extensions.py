"""Schema extensions: the request's read session is closed when the operation ends."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension


class CloseReadSession(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:
            close = getattr(self.execution_context.context, "close", None)
            if callable(close):
                close()
