"""The fast path for plain fields answers exactly as graphql-core's ordinary path does."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass

import pytest
import strawberry

from schema.execution import FastExecutionContext, plain_fields
from schema.schema import schema as app_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Box:
    x: float

    @strawberry.field
    def checked(self) -> float:
        if self.x < 0:
            raise ValueError("negative")
        return self.x

    @strawberry.field
    async def later(self) -> float:
        if self.x < 0:
            raise ValueError("negative, later")
        return self.x


@strawberry.type
class Item:
    name: str
    note: str | None
    colour: Colour
    count: int
    box: Box
    spare: Box | None = None

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
    return [Item(name="a", note=None, colour=Colour.RED, count=2, box=Box(x=1.0)),
            Item(name="b", note="x", colour=Colour.BLUE, count=3, box=Box(x=2.0), spare=Box(x=3.0))]


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

    @strawberry.field
    def negative(self) -> list[Item | None]:
        """Sub-field errors under a nullable object (spare) and under a non-null one (box)."""
        return [Item(name="c", note=None, colour=Colour.RED, count=1, box=Box(x=1.0), spare=Box(x=-1.0)),
                Item(name="d", note=None, colour=Colour.RED, count=1, box=Box(x=-1.0))]


QUERY = """{ items { name note colour count twice again: name box { x checked } spare { x later } }
             broken { name note colour count }
             later { name twice box { x later } }
             negative { name box { x checked } spare { x checked } }
             negativeLater: negative { name box { later } spare { later } } }"""


def _answer(result) -> tuple[object, list[tuple[str, tuple[object, ...]]]]:
    errors = sorted((error.message, tuple(error.path or ())) for error in result.errors or [])
    return result.data, errors


def test_the_fast_path_answers_as_the_ordinary_one():
    ordinary = strawberry.Schema(query=Query)
    fast = strawberry.Schema(query=Query, execution_context_class=FastExecutionContext)
    expected = _answer(asyncio.run(ordinary.execute(QUERY)))
    assert _answer(asyncio.run(fast.execute(QUERY))) == expected
    sync_query = "{ items { name note colour box { x checked } } broken { name } negative { box { checked } } }"
    assert _answer(fast.execute_sync(sync_query)) == _answer(ordinary.execute_sync(sync_query))
    data, errors = expected
    assert data["items"][0] == {"name": "a", "note": None, "colour": "RED", "count": 2, "twice": 4, "again": "a",
                                "box": {"x": 1.0, "checked": 1.0}, "spare": None}
    assert data["items"][1]["spare"] == {"x": 3.0, "later": 3.0}
    assert data["broken"] == [None, None]  # a null name, then a colour that is no Colour
    # A failing field under a nullable object nulls the object; under a non-null one, its parent.
    assert data["negative"] == [{"name": "c", "box": {"x": 1.0, "checked": 1.0}, "spare": None}, None]
    assert data["negativeLater"] == [{"name": "c", "box": {"later": 1.0}, "spare": None}, None]
    assert sorted(path for _, path in errors) == sorted([
        ("broken", 0, "name"), ("broken", 1, "colour"), ("negative", 0, "spare", "checked"),
        ("negative", 1, "box", "checked"), ("negativeLater", 0, "spare", "later"),
        ("negativeLater", 1, "box", "later")])


def test_only_fields_that_read_an_attribute_take_the_fast_path():
    plain = plain_fields(strawberry.Schema(query=Query)._schema)
    assert sorted(plain["Item"]) == ["box", "colour", "count", "name", "note", "spare"]  # not twice (a resolver)
    assert sorted(plain["Box"]) == ["x"]
    assert "Query" not in plain


@pytest.mark.parametrize(("type_name", "field"), [("Photo", "fileName"), ("Box", "x"), ("Cluster", "faceCount"),
                                                  ("Face", "box"), ("PhotoEdge", "node")])
def test_the_app_schema_runs_its_plain_fields_fast(type_name: str, field: str):
    assert app_schema.execution_context_class is FastExecutionContext
    assert field in plain_fields(app_schema._schema)[type_name]
