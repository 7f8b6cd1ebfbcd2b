"""The fast path for plain fields answers exactly as graphql-core's ordinary path does."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass

import pytest
import strawberry

from schema.execution import FastExecutionContext, plain_leaves
from schema.schema import schema as app_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    note: str | None
    colour: Colour
    count: int

    @strawberry.field
    def twice(self) -> int:
        return self.count * 2


@dataclass
class Broken:
    """A row whose non-null field is null and whose enum value is not one: both must fail as usual."""

    name: str | None = None
    note: str | None = "fine"
    colour: object = "purple"
    count: int = 1


def _items() -> list[Item]:
    return [Item(name="a", note=None, colour=Colour.RED, count=2),
            Item(name="b", note="x", colour=Colour.BLUE, count=3)]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return _items()

    @strawberry.field
    def broken(self) -> list[Item | None]:
        return [Broken(), Broken(name="ok")]  # type: ignore[list-item]

    @strawberry.field
    async def later(self) -> list[Item]:
        return _items()


QUERY = """{ items { name note colour count twice again: name }
             broken { name note colour count }
             later { name twice } }"""


def _answer(result) -> tuple[object, list[tuple[str, tuple[object, ...]]]]:
    errors = sorted((error.message, tuple(error.path or ())) for error in result.errors or [])
    return result.data, errors


def test_the_fast_path_answers_as_the_ordinary_one():
    ordinary = strawberry.Schema(query=Query)
    fast = strawberry.Schema(query=Query, execution_context_class=FastExecutionContext)
    expected = _answer(asyncio.run(ordinary.execute(QUERY)))
    assert _answer(asyncio.run(fast.execute(QUERY))) == expected
    assert _answer(fast.execute_sync("{ items { name note colour } broken { name } }")) == _answer(
        ordinary.execute_sync("{ items { name note colour } broken { name } }"))
    data, errors = expected
    assert data["items"][0] == {"name": "a", "note": None, "colour": "RED", "count": 2, "twice": 4, "again": "a"}
    assert data["broken"] == [None, None]  # a null name, then a colour that is no Colour
    assert [path for _, path in errors] == [("broken", 0, "name"), ("broken", 1, "colour")]


def test_only_plain_scalar_fields_take_the_fast_path():
    leaves = plain_leaves(strawberry.Schema(query=Query)._schema)
    assert sorted(leaves["Item"]) == ["colour", "count", "name", "note"]  # not twice, which has a resolver
    assert "Query" not in leaves


@pytest.mark.parametrize(("type_name", "field"), [("Photo", "fileName"), ("Box", "x"), ("Cluster", "faceCount")])
def test_the_app_schema_runs_its_plain_fields_fast(type_name: str, field: str):
    assert app_schema.execution_context_class is FastExecutionContext
    assert field in plain_leaves(app_schema._schema)[type_name]
