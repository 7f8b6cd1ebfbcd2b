"""Which fields schema.execution takes the fast way: plain fields (an attribute read) and plain
resolvers (a function called directly), worked out once per schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    is_leaf_type,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField
from strawberry.types.unset import UNSET

GRAPHQL_MIN_INT, GRAPHQL_MAX_INT = -(2**31), 2**31 - 1
# Built-in scalars whose values of exactly this Python type are their own answer (graphql-core's
# serializers hand them back unchanged; a float must be finite, an int within 32 bits).
_AS_IS: dict[GraphQLOutputType, type] = {
    GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool, GraphQLFloat: float, GraphQLInt: int,
}


@dataclass(frozen=True, slots=True)
class PlainField:
    """A field that only reads an attribute: of a scalar or enum type (``coerce``), or of an object type."""

    attribute: str
    return_type: GraphQLOutputType
    nullable: bool
    coerce: Callable[[Any], Any] | None = None
    object_type: GraphQLObjectType | None = None
    as_is: type | None = None  # values of exactly this type are the answer (see _AS_IS)


def plain_fields(schema: GraphQLSchema) -> dict[str, dict[str, PlainField]]:
    """For each object type, its fields without arguments that only read an attribute.

    Object types with an ``is_type_of`` check (those with interfaces) are left to the ordinary way.
    """
    found: dict[str, dict[str, PlainField]] = {}
    for type_name, field_name, field_def, definition in _strawberry_fields(schema):
        if not definition.is_basic_field or field_def.args:
            continue
        if not getattr(field_def.resolve, "_is_default", False) or definition.python_name is None:
            continue
        named = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
        nullable = named is field_def.type
        if is_leaf_type(named):
            found.setdefault(type_name, {})[field_name] = PlainField(
                definition.python_name, field_def.type, nullable, coerce=named.coerce_output_value,
                as_is=_AS_IS.get(named))
        elif is_plain_object_type(named):
            found.setdefault(type_name, {})[field_name] = PlainField(
                definition.python_name, field_def.type, nullable, object_type=named)
    return found


@dataclass(frozen=True, slots=True)
class SimpleResolver:
    """A field whose Strawberry resolver is a plain function: synchronous, no field extensions (so
    no permission classes), no exception handlers, and arguments that default to null or unset
    (so that, when a query gives none, the function's own defaults are what Strawberry would pass)."""

    field_def: GraphQLField
    definition: StrawberryField
    call: Callable[..., Any]
    source_first: bool  # a method's ``self``: the source, first
    source_names: tuple[str, ...]  # ``root`` or ``parent`` parameters: the source
    info_name: str | None


def simple_resolvers(schema: GraphQLSchema) -> dict[str, dict[str, SimpleResolver]]:
    """For each object type, its fields whose resolver can be called directly (see SimpleResolver)."""
    strawberry_schema = (schema.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    converter = getattr(strawberry_schema, "schema_converter", None)
    if converter is None or getattr(converter, "_exception_handler_specs", None) != ():
        return {}
    found: dict[str, dict[str, SimpleResolver]] = {}
    for type_name, field_name, field_def, definition in _strawberry_fields(schema):
        if definition.extensions or definition.is_async or definition.is_subscription:
            continue
        resolver = definition.base_resolver
        if resolver is None or not callable(resolver.wrapped_func):
            continue
        if getattr(field_def.resolve, "__name__", None) != "_resolver":  # not Strawberry's own, as expected
            continue
        if any(argument.default is not None and argument.default is not UNSET for argument in definition.arguments):
            continue
        info = resolver.info_parameter
        found.setdefault(type_name, {})[field_name] = SimpleResolver(
            field_def, definition, resolver.wrapped_func, resolver.self_parameter is not None,
            tuple(p.name for p in (resolver.root_parameter, resolver.parent_parameter) if p is not None),
            info.name if info is not None else None,
        )
    return found


def _strawberry_fields(schema: GraphQLSchema) -> Iterator[tuple[str, str, GraphQLField, StrawberryField]]:
    """(type name, field name, graphql-core field, Strawberry field) for every field of the schema's
    own object types that Strawberry defined."""
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field_def in graphql_type.fields.items():
            definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if isinstance(definition, StrawberryField):
                yield type_name, field_name, field_def, definition


def is_plain_object_type(graphql_type: Any) -> TypeGuard[GraphQLObjectType]:
    return isinstance(graphql_type, GraphQLObjectType) and graphql_type.is_type_of is None
