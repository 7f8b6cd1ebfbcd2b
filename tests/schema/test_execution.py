"""The fast path for plain fields answers exactly as graphql-core's ordinary path does."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass

import pytest
import strawberry
from strawberry.permission import BasePermission

from schema.execution import FastExecutionContext
from schema.fast_fields import plain_fields, simple_resolvers
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

    @strawberry.field
    def eventually(self) -> float:
        """A plain function whose answer is awaitable."""
        return self.later()  # type: ignore[return-value]


class Allowed(BasePermission):
    message = "no"

    def has_permission(self, source: object, info: strawberry.Info, **kwargs: object) -> bool:
        return source.name != "b"  # type: ignore[attr-defined]


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

    @strawberry.field
    def described(self, info: strawberry.Info, suffix: str | None = None) -> str:
        return f"{self.name}:{info.field_name}:{info.path.key}:{suffix}"

    @strawberry.field
    def times(self, by: int = 3) -> int:
        return self.count * by

    @strawberry.field
    def via_parent(parent: strawberry.Parent[Item]) -> str:
        return parent.name.upper()

    @strawberry.field
    @staticmethod
    def constant() -> int:
        return 7

    @strawberry.field(permission_classes=[Allowed])
    def guarded(self) -> str | None:
        return self.name

    @strawberry.field
    def boxes(self) -> list[Box | None]:
        return [self.box, None]


@strawberry.type
class Numbers:
    """Scalars whose values are, or are not, their own answer."""

    real: float | None = None
    whole: int | None = None
    flag: bool | None = None
    text: str | None = None
    ident: strawberry.ID | None = None


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
    def numbers(self) -> list[Numbers]:
        nan, big = float("nan"), 2**40
        return [Numbers(real=1.5, whole=3, flag=True, text="t", ident=strawberry.ID("i")),
                Numbers(real=2, whole=True, flag=0, text=4, ident=5),  # type: ignore[arg-type]
                Numbers(real=nan), Numbers(whole=big), Numbers(whole=2.0), Numbers(real=float("inf")),  # type: ignore[arg-type]
                Numbers(text=1.5, ident=2.5, flag=1.0)]  # type: ignore[arg-type]

    @strawberry.field
    def first(self) -> Item:
        return _items()[0]

    @strawberry.field
    def nothing(self) -> Item | None:
        return None

    @strawberry.field
    def missing(self) -> Item:
        return None  # type: ignore[return-value]

    @strawberry.field
    def gaps(self) -> list[Item | None]:
        return [_items()[0], None, _items()[1]]

    @strawberry.field
    def holes(self) -> list[Item]:
        return [_items()[0], None]  # type: ignore[list-item]

    @strawberry.field
    def nested(self) -> list[list[Item]]:
        return [_items(), _items()[:1]]

    @strawberry.field
    def mixed(self) -> list[Item]:
        """A list with an awaitable item among the objects."""

        async def later() -> Item:
            return _items()[1]

        return [_items()[0], later()]  # type: ignore[list-item]

    @strawberry.field
    def negative(self) -> list[Item | None]:
        """Sub-field errors under a nullable object (spare) and under a non-null one (box)."""
        return [Item(name="c", note=None, colour=Colour.RED, count=1, box=Box(x=1.0), spare=Box(x=-1.0)),
                Item(name="d", note=None, colour=Colour.RED, count=1, box=Box(x=-1.0))]


QUERY = """{ items { name note colour count twice again: name box { x checked eventually } spare { x later }
                     described suffixed: described(suffix: "s") times thrice: times(by: 2) viaParent constant
                     guarded boxes { x } }
             broken { name note colour count }
             later { name twice box { x later } }
             negative { name box { x checked } spare { x checked } }
             negativeLater: negative { name box { later } spare { later } }
             numbers { real whole flag text ident }
             first { name box { x } } nothing { name } gaps { name spare { x } } nested { name }
             mixed { name box { later } } }"""
FAILING = ["{ missing { name } }", "{ holes { name } }", "{ items { name } holes { name } }"]


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
    for query in FAILING:
        assert _answer(asyncio.run(fast.execute(query))) == _answer(asyncio.run(ordinary.execute(query)))
        assert _answer(fast.execute_sync(query)) == _answer(ordinary.execute_sync(query))
    data, errors = expected
    assert data["numbers"][0] == {"real": 1.5, "whole": 3, "flag": True, "text": "t", "ident": "i"}
    assert data["numbers"][1] == {"real": 2.0, "whole": 1, "flag": False, "text": "4", "ident": "5"}
    # NaN, 2**40 and inf are refused (each field nulled, with an error); a whole float is an Int
    assert [row["real"] for row in data["numbers"][2:]] == [None, None, None, None, None]
    assert [row["whole"] for row in data["numbers"][2:]] == [None, None, 2, None, None]
    assert data["numbers"][6] == {"real": None, "whole": None, "flag": True, "text": "1.5", "ident": None}
    assert data["gaps"] == [{"name": "a", "spare": None}, None, {"name": "b", "spare": {"x": 3.0}}]
    assert data["mixed"] == [{"name": "a", "box": {"later": 1.0}}, {"name": "b", "box": {"later": 2.0}}]
    assert data["items"][0] == {"name": "a", "note": None, "colour": "RED", "count": 2, "twice": 4, "again": "a",
                                "box": {"x": 1.0, "checked": 1.0, "eventually": 1.0}, "spare": None,
                                "described": "a:described:described:None", "suffixed": "a:described:suffixed:s",
                                "times": 6, "thrice": 4, "viaParent": "A", "constant": 7, "guarded": "a",
                                "boxes": [{"x": 1.0}, None]}
    assert data["items"][1]["guarded"] is None
    assert data["items"][1]["spare"] == {"x": 3.0, "later": 3.0}
    assert data["broken"] == [None, None]  # a null name, then a colour that is no Colour
    # A failing field under a nullable object nulls the object; under a non-null one, its parent.
    assert data["negative"] == [{"name": "c", "box": {"x": 1.0, "checked": 1.0}, "spare": None}, None]
    assert data["negativeLater"] == [{"name": "c", "box": {"later": 1.0}, "spare": None}, None]
    assert sorted(path for _, path in errors) == sorted([
        ("items", 1, "guarded"), ("broken", 0, "name"), ("broken", 1, "colour"), ("numbers", 2, "real"),
        ("numbers", 3, "whole"), ("numbers", 5, "real"), ("numbers", 6, "ident"), ("negative", 0, "spare", "checked"),
        ("negative", 1, "box", "checked"), ("negativeLater", 0, "spare", "later"),
        ("negativeLater", 1, "box", "later")])


def test_only_fields_that_read_an_attribute_take_the_fast_path():
    plain = plain_fields(strawberry.Schema(query=Query)._schema)
    assert sorted(plain["Item"]) == ["box", "colour", "count", "name", "note", "spare"]  # not twice (a resolver)
    assert sorted(plain["Box"]) == ["x"]
    assert "Query" not in plain


def test_only_plain_functions_are_called_directly():
    simple = simple_resolvers(strawberry.Schema(query=Query)._schema)
    # not times (a default other than null), not guarded (a permission class), not async ones
    assert sorted(simple["Item"]) == ["boxes", "constant", "described", "twice", "viaParent"]
    assert sorted(simple["Box"]) == ["checked", "eventually"]
    assert "later" not in simple["Query"]


@pytest.mark.parametrize(("type_name", "field"), [("Photo", "fileName"), ("Box", "x"), ("Cluster", "faceCount"),
                                                  ("Face", "box"), ("PhotoEdge", "node")])
def test_the_app_schema_runs_its_plain_fields_fast(type_name: str, field: str):
    assert app_schema.execution_context_class is FastExecutionContext
    assert field in plain_fields(app_schema._schema)[type_name]
