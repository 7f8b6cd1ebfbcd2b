"""A faster way through plain fields and plain objects: the execution context our schema runs queries with.

Most fields of a page are plain attributes of the row's type (``fileName``, ``x``, ``name``, a
face's ``box``, an edge's ``node``), and most values are Strawberry objects or lists of them.
graphql-core treats each one as any other field or value: a path, a resolve-info object, a call
through Strawberry's resolver, an awaitable check, then completion through half a dozen type
checks. Here:

- a plain field with no arguments is read in one step: a built-in scalar whose value already is
  its answer (a ``str`` for String or ID, a finite ``float`` for Float, ...) is taken as it is,
  with no path made; another scalar or an enum is coerced; an object goes straight to its
  sub-fields;
- an object, or a list of objects, that is a Strawberry type's instance (never awaitable, never
  an error) goes straight to its sub-fields, whether a plain field or a resolver gave it;
- a resolver that is a plain function (synchronous, no permission classes or other field
  extensions, no arguments given: schema.fast_fields) is called directly, with Strawberry's
  Info, rather than through Strawberry's argument conversion and extension chain (about 35
  Python calls a field: a page's faces and their people are 150 such fields); the Info carries
  the context and builds graphql-core's resolve info only when the resolver reads more of it
  (``_LazyInfo``), and the object or list it answers goes straight to its sub-fields;
- each field's sub-fields are collected once per execution with their plan, and paths are made
  as plain tuples (``_new_path``).

Anything unusual (a missing attribute, a null in a non-null field, a value the scalar refuses, an
awaitable item, an abstract or ``is_type_of`` type, @defer or @stream) goes the ordinary way, and
errors are handled as graphql-core's ``execute_field`` and ``complete_list_item_value`` handle
them, so answers, errors and their paths are graphql-core's (tests/schema/test_execution.py
compares the two).

Measured on bench.api's library, in the process, Python calls per request: plain fields read in
one step (with Face's plain fields) took a "photos of NAME" page from 70,459 to 41,507 and the
people list from 37,666 to 20,574; answers taken as they are, no path for them, and objects and
lists of objects straight to their sub-fields then took them from 29,936 to 22,144 and from
15,358 to 11,611 (on Core rows); plain resolvers called directly, to 18,035 and 10,555; each
grouped field set's plan and each return type's shape looked up, not worked out, to 16,003 and
9,757 (with cheaper ids, boxes and enums in the types). The lazy Info, the sub-fields' plans at
hand, paths as tuples, loaders primed with plain values and opaque ids made once took the main
thread's calls for a "photos of NAME" page from 6,473 to 5,433 (eighth session).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from math import isfinite
from typing import Any

from graphql import (
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import collect_iterator_awaitables, to_nodes
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import Info

from schema.fast_fields import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    PlainField,
    SimpleResolver,
    is_plain_object_type,
    plain_fields,
    simple_resolvers,
)


def _is_strawberry_object(cls: type) -> bool:
    """Instances of ``cls`` are Strawberry objects: never awaitable, never an error."""
    return (hasattr(cls, "__strawberry_definition__") and not issubclass(cls, BaseException)
            and not hasattr(cls, "__await__"))


class _LazyInfo(Info):
    """Strawberry's Info with the context at hand: graphql-core's resolve info (the path, the field
    nodes, the variables...) is built when a resolver first reads more than the context. Most
    resolvers read only the context (their loaders), and a page calls them hundreds of times."""

    context: Any = None  # an instance attribute here, where Info's is a property (a call a read)

    def __init__(self, context: Any, field: Any, build: Callable[[], GraphQLResolveInfo[Any]]) -> None:
        self.context = context
        self._field = field
        self._build = build

    def __getattr__(self, name: str) -> Any:
        if name != "_raw_info":
            raise AttributeError(name)
        raw = self._raw_info = self._build()
        return raw


# ``Path(prev, key, typename)`` without the named tuple's Python ``__new__``: a page makes hundreds.
_new_path = tuple.__new__


# Python classes seen as values, and whether they are plain Strawberry objects.
_STRAWBERRY_OBJECT: dict[type, bool] = {}


def _shape_of(return_type: GraphQLOutputType) -> tuple[GraphQLObjectType, GraphQLOutputType | None] | None:
    """(the object type, None) for a plain object type, nullable or not; (the object type, the
    item type) for a list of them; None for anything else."""
    named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    if is_plain_object_type(named):
        return named, None
    if isinstance(named, GraphQLList):
        item_type = named.of_type
        item_named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if is_plain_object_type(item_named):
            return item_named, item_type
    return None


# What complete_value does with each return type (see _shape_of), by the type object.
_SHAPES: dict[GraphQLOutputType, Any] = {}

# A grouped field set's fields: (response name, details, the plain field, the simple resolver, its
# field nodes for the resolve info: the same list for every object of a page, as none changes it).
FieldPlan = list[tuple[str, FieldDetailsList, PlainField | None, SimpleResolver | None, list[FieldNode]]]


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with plain fields and plain objects taken in one step."""

    _plain: tuple[GraphQLSchema, dict[str, dict[str, PlainField]], dict[str, dict[str, SimpleResolver]]] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # grouped field sets are memoized (and kept) for the whole execution, so their ids are stable
        self._plans: dict[int, tuple[GroupedFieldSet, FieldPlan]] = {}
        # a field's sub-fields (and their plan, when none is deferred), by its details
        self._collected: dict[int, tuple[FieldDetailsList, GroupedFieldSet, Any, FieldPlan | None]] = {}
        self._fast = self.middleware_manager is None or not self.middleware_manager.middlewares
        strawberry_schema = (self.schema.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        self._info_class: Callable[..., Any] = (
            strawberry_schema.config.info_class if strawberry_schema is not None else Info)
        self._lazy_info = self._info_class is Info

    def _fields_of(self, type_name: str) -> tuple[dict[str, PlainField], dict[str, SimpleResolver]]:
        cached = FastExecutionContext._plain
        if cached is None or cached[0] is not self.schema:
            cached = FastExecutionContext._plain = (self.schema, plain_fields(self.schema),
                                                    simple_resolvers(self.schema))
        return cached[1].get(type_name, {}), cached[2].get(type_name, {})

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> FieldPlan:
        plain, simple = self._fields_of(parent_type.name)
        plan: FieldPlan = []
        for response_name, field_details_list in grouped_field_set.items():
            node = field_details_list[0].node
            name = node.name.value
            nodes = to_nodes(field_details_list)
            if node.arguments:
                plan.append((response_name, field_details_list, None, None, nodes))
            else:
                plan.append((response_name, field_details_list, plain.get(name), simple.get(name), nodes))
        self._plans[id(grouped_field_set)] = (grouped_field_set, plan)
        return plan

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if not self._fast:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        planned = self._plans.get(id(grouped_field_set))
        plan = planned[1] if planned is not None and planned[0] is grouped_field_set else self._plan(
            parent_type, grouped_field_set)
        return self._run_plan(parent_type, source_value, path, plan, position_context)

    def _run_plan(self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None, plan: FieldPlan,
                  position_context: Any) -> Any:
        """``execute_fields`` with the grouped field set's plan at hand."""
        results: dict[str, Any] = {}
        pending: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for response_name, field_details_list, field, resolver, nodes in plan:
                result: Any = Undefined
                if field is not None:
                    value: Any = getattr(source_value, field.attribute, Undefined)
                    as_is = field.as_is
                    if type(value) is as_is:
                        number: Any = value  # when not a str or a bool
                        if as_is is str or as_is is bool or (
                                isfinite(number) if as_is is float else GRAPHQL_MIN_INT <= number <= GRAPHQL_MAX_INT):
                            results[response_name] = value
                            continue
                    if field.object_type is None:
                        result = self._leaf_result(field, value)
                        if result is not Undefined:  # a scalar: never awaitable
                            results[response_name] = result
                            continue
                    elif value is None and field.nullable:
                        results[response_name] = None
                        continue
                    elif value is not None and value is not Undefined:
                        result = self._complete_plain_object(field, field_details_list,
                                                             _new_path(Path, (path, response_name, parent_type.name)),
                                                             value, position_context)
                if resolver is not None:
                    result = self._execute_resolver(resolver, parent_type, source_value, field_details_list, nodes,
                                                    _new_path(Path, (path, response_name, parent_type.name)),
                                                    position_context)
                elif result is Undefined:
                    result = self.execute_field(parent_type, source_value, field_details_list,
                                                _new_path(Path, (path, response_name, parent_type.name)),
                                                position_context)
                    if result is Undefined:
                        continue
                results[response_name] = result
                if type(result) is not dict and is_awaitable(result):
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

    def _execute_resolver(self, resolver: SimpleResolver, parent_type: GraphQLObjectType, source: Any,
                          field_details_list: FieldDetailsList, nodes: list[FieldNode], path: Path,
                          position_context: Any) -> Any:
        """``execute_field`` with the resolver called directly, as Strawberry would call it. The
        resolve info is built only when something reads more of it than the context; an object, or
        a list of objects, goes straight to its sub-fields."""
        field_def = resolver.field_def
        return_type = field_def.type

        def resolve_info() -> GraphQLResolveInfo[Any]:
            return self.build_resolve_info(field_def, nodes, parent_type, path)

        try:
            kwargs: dict[str, Any] = dict.fromkeys(resolver.source_names, source) if resolver.source_names else {}
            if resolver.info_name is not None:
                kwargs[resolver.info_name] = (
                    _LazyInfo(self.context_value, resolver.definition, resolve_info) if self._lazy_info
                    else self._info_class(_raw_info=resolve_info(), _field=resolver.definition))
            result = resolver.call(source, **kwargs) if resolver.source_first else resolver.call(**kwargs)
            shape = _SHAPES.get(return_type, Undefined)
            if shape is Undefined:
                shape = _SHAPES[return_type] = _shape_of(return_type)
            completed: Any = Undefined
            if shape is not None and self._fast:
                object_type, item_type = shape
                if item_type is None:
                    if result is None and return_type is object_type:  # nullable
                        return None
                    if _STRAWBERRY_OBJECT.get(type(result)) or self._is_object(result):
                        completed = self._subfields(object_type, field_details_list, path, result, position_context)
                elif type(result) is list and not field_details_list[0].node.directives:  # no @stream
                    completed = self._complete_object_list(item_type, object_type, field_details_list, resolve_info,
                                                           path, result, position_context)
            if completed is Undefined:
                info = resolve_info()
                if self.is_awaitable(result):
                    return self.complete_awaitable_value(return_type, field_details_list, info, path, result,
                                                         position_context)
                completed = self.complete_value(return_type, field_details_list, info, path, result, position_context)
            if type(completed) is not dict and type(completed) is not list and self.is_awaitable(completed):
                return self._settle(completed, return_type, field_details_list, path)
        except Exception as raw_error:  # noqa: BLE001 - located and kept, or raised for a non-null field
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    @staticmethod
    def _leaf_result(field: PlainField, value: Any) -> Any:
        """A plain scalar or enum field's answer when its value is not its own answer, or
        ``Undefined`` when it must go the ordinary way."""
        if value is None:
            return None if field.nullable else Undefined
        if value is Undefined:
            return Undefined
        assert field.coerce is not None  # a plain field is a leaf or an object
        try:
            coerced = field.coerce(value)
        except Exception:  # noqa: BLE001 - the ordinary path reports it, with its path
            return Undefined
        return Undefined if coerced is None else coerced

    def _complete_plain_object(self, field: PlainField, field_details_list: FieldDetailsList, path: Path,
                               value: Any, position_context: Any) -> Any:
        """An object read from an attribute: its sub-fields, with errors handled as ``execute_field`` does."""
        assert field.object_type is not None  # called for object fields only
        try:
            plan = self._below(field.object_type, field_details_list)[3] if position_context is None else None
            completed = (self._run_plan(field.object_type, value, path, plan, None) if plan is not None
                         else self._subfields(field.object_type, field_details_list, path, value, position_context))
        except Exception as raw_error:  # noqa: BLE001 - located and kept, or raised for a non-null field
            self.handle_field_error(raw_error, field.return_type, field_details_list, path)
            return None
        if type(completed) is dict or not self.is_awaitable(completed):
            return completed
        return self._settle(completed, field.return_type, field_details_list, path)

    def _below(self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
               ) -> tuple[FieldDetailsList, GroupedFieldSet, Any, FieldPlan | None]:
        """A field's sub-fields (one object type per field: never abstract), collected once, with
        their plan when none is deferred."""
        collected = self._collected.get(id(field_details_list))
        if collected is None or collected[0] is not field_details_list:
            grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
            plan = None if new_defer_usages or not self._fast else self._plan(object_type, grouped_field_set)
            collected = (field_details_list, grouped_field_set, new_defer_usages, plan)
            self._collected[id(field_details_list)] = collected
        return collected

    def _subfields(self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList, path: Path,
                   value: Any, position_context: Any) -> Any:
        """``collect_and_execute_subfields``, in one step when nothing is deferred."""
        _, grouped_field_set, new_defer_usages, plan = self._below(object_type, field_details_list)
        if plan is not None and position_context is None:
            return self._run_plan(object_type, value, path, plan, None)
        return self.execute_collected_subfields(object_type, value, path, grouped_field_set, new_defer_usages,
                                                position_context)

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A Strawberry object, or a list, of a plain object type goes straight to its sub-fields."""
        shape = _SHAPES.get(return_type, Undefined)
        if shape is Undefined:
            shape = _SHAPES[return_type] = _shape_of(return_type)
        if shape is not None and self._fast:
            object_type, item_type = shape
            if item_type is None:
                if _STRAWBERRY_OBJECT.get(type(result)) or self._is_object(result):
                    return self._subfields(object_type, field_details_list, path, result, position_context)
            elif type(result) is list and not field_details_list[0].node.directives:  # no @stream
                return self._complete_object_list(item_type, object_type, field_details_list, lambda: info, path,
                                                  result, position_context)
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    @staticmethod
    def _is_object(value: Any) -> bool:
        known = _STRAWBERRY_OBJECT.get(type(value))
        if known is None:
            known = _STRAWBERRY_OBJECT[type(value)] = _is_strawberry_object(type(value))
        return known

    def _complete_object_list(
        self,
        item_type: GraphQLOutputType,
        object_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        resolve_info: Callable[[], GraphQLResolveInfo[Any]],
        path: Path,
        items: list[Any],
        position_context: Any,
    ) -> Any:
        """``complete_iterable_value`` (without @stream) for a list of objects: each Strawberry
        object goes straight to its sub-fields, anything else the ordinary way."""
        is_awaitable = self.is_awaitable
        completed: list[Any] = []
        awaitable_indices: list[int] = []
        plan = self._below(object_type, field_details_list)[3] if items and position_context is None else None
        iterator = iter(items)
        try:
            for index, item in enumerate(iterator):
                item_path = _new_path(Path, (path, index, None))
                if _STRAWBERRY_OBJECT.get(type(item)) or self._is_object(item):
                    try:
                        value = (self._run_plan(object_type, item, item_path, plan, None) if plan is not None
                                 else self._subfields(object_type, field_details_list, item_path, item,
                                                      position_context))
                    except Exception as raw_error:  # noqa: BLE001 - as complete_list_item_value handles it
                        self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                        value = None
                    if type(value) is not dict and is_awaitable(value):
                        value = self._settle(value, item_type, field_details_list, item_path)
                        awaitable_indices.append(index)
                    completed.append(value)
                elif is_awaitable(item):
                    completed.append(self.complete_awaitable_list_item_value(
                        item, item_type, field_details_list, resolve_info(), item_path, position_context))
                    awaitable_indices.append(index)
                elif self.complete_list_item_value(item, completed, item_type, field_details_list, resolve_info(),
                                                   item_path, position_context):
                    awaitable_indices.append(index)
        except Exception:
            waiting = [completed[index] for index in awaitable_indices]
            waiting.extend(collect_iterator_awaitables(iterator, is_awaitable))
            if waiting:
                self.settle_in_background(waiting)
            raise
        if not awaitable_indices:
            return completed

        async def settled() -> list[Any]:
            values = await gather_with_cancel(*(completed[index] for index in awaitable_indices))
            for index, value in zip(awaitable_indices, values, strict=True):
                completed[index] = value
            return completed

        return settled()

    async def _settle(self, value: Awaitable[Any], return_type: GraphQLOutputType,
                      field_details_list: FieldDetailsList, path: Path) -> Any:
        """``value`` awaited, its error handled as graphql-core handles a field's or a list item's."""
        try:
            return await value
        except Exception as raw_error:  # noqa: BLE001 - located and kept, or raised for a non-null type
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
