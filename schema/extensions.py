"""Schema extensions: query limits whose rules validate once per query text, and the request's
read session closed when the operation ends."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import AddValidationRules, MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension

MAX_DEPTH = 12
MAX_ALIASES = 30

# Built once: each limiter instance makes a new rule class, and the validation cache is keyed
# by the rules, so limiters made per request would never let it hit (11 ms of validation per
# PhotosOf request, measured with cProfile on bench.api's library).
_LIMIT_RULES = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)


class QueryLimits(AddValidationRules):
    """Depth and alias limits, as validation rules that are the same objects on every request."""

    def __init__(self) -> None:
        super().__init__(list(_LIMIT_RULES))


class CloseReadSession(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:
            close = getattr(self.execution_context.context, "close", None)
            if callable(close):
                close()
