"""A faster way through plain fields: the execution context our schema runs queries with.

Most fields of a page are plain attributes of the row's type (``fileName``, ``x``, ``name``):
three quarters of the ~650 fields of the web client's people list. graphql-core resolves each
one as any other field: a path, a resolve-info object, an awaitable check, then completion.
Here a plain field with no arguments whose type is a scalar or enum is read and coerced in
one step. Anything unusual (a missing attribute, a null, a value the scalar refuses) goes
the ordinary way, so errors and their paths are exactly graphql-core's.

Measured on bench.api's library, in the process (CPU time per request, median, on a slow day of
this machine): a first page of "photos of NAME" 30-33 ms before, 24 ms after; bench/README.md
has the HTTP figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLSchema, is_leaf_type
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

_MISSING = object()


@dataclass(frozen=True, slots=True)
class PlainLeaf:
    attribute: str
    coerce: Callable[[Any], Any]
    nullable: bool


def plain_leaves(schema: GraphQLSchema) -> dict[str, dict[str, PlainLeaf]]:
    """For each object type, its fields that only read an attribute and return a scalar or enum."""
    found: dict[str, dict[str, PlainLeaf]] = {}
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        leaves = {}
        for field_name, field_def in graphql_type.fields.items():
            definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if not isinstance(definition, StrawberryField) or not definition.is_basic_field or field_def.args:
                continue
            if not getattr(field_def.resolve, "_is_default", False) or definition.python_name is None:
                continue
            named = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
            if is_leaf_type(named):
                leaves[field_name] = PlainLeaf(
                    definition.python_name, named.coerce_output_value, named is field_def.type)
        if leaves:
            found[type_name] = leaves
    return found


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with plain leaf fields taken in one step."""

    _leaves: tuple[GraphQLSchema, dict[str, dict[str, PlainLeaf]]] | None = None

    def _plain_leaves(self) -> dict[str, dict[str, PlainLeaf]]:
        cached = FastExecutionContext._leaves
        if cached is None or cached[0] is not self.schema:
            cached = FastExecutionContext._leaves = (self.schema, plain_leaves(self.schema))
        return cached[1]

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        leaves = self._plain_leaves().get(parent_type.name)
        if leaves is None or (self.middleware_manager is not None and self.middleware_manager.middlewares):
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        pending: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                leaf = leaves.get(node.name.value)
                if leaf is not None and not node.arguments:
                    value = getattr(source_value, leaf.attribute, _MISSING)
                    if value is None and leaf.nullable:
                        results[response_name] = None
                        continue
                    if value is not None and value is not _MISSING:
                        try:
                            coerced = leaf.coerce(value)
                        except Exception:  # noqa: BLE001 - the ordinary path reports it, with its path
                            coerced = None
                        if coerced is not None and coerced is not Undefined:
                            results[response_name] = coerced
                            continue
                result = self.execute_field(
                    parent_type, source_value, field_details_list, Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        pending.append(response_name)
        except Exception:
            if pending:
                self.settle_in_background([results[name] for name in pending])
            raise
        if not pending:
            return results

        async def settled() -> dict[str, Any]:
            values = await gather_with_cancel(*(results[name] for name in pending))
            results.update(zip(pending, values, strict=True))
            return results

        return settled()
