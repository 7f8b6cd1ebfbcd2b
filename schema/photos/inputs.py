"""Inputs of the photo queries: the search filter and the order."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from core.repositories.search import PhotoOrder as Order
from core.repositories.search import PhotoQuery
from schema.ids import decode_ids


@strawberry.enum(description="ALL: photos with every one of these people; ANY: with at least one.")
class PersonMatch(enum.Enum):
    ALL = "all"
    ANY = "any"


@strawberry.enum
class PhotoOrder(enum.Enum):
    TAKEN_AT_DESC = "taken_desc"
    TAKEN_AT_ASC = "taken_asc"
    UPLOADED_DESC = "uploaded_desc"
    UPLOADED_ASC = "uploaded_asc"


@strawberry.input(description="Every field narrows the search; empty fields do not.")
class PhotoFilter:
    person_ids: list[strawberry.ID] | None = strawberry.UNSET
    person_names: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Case- and accent-insensitive exact names of people."
    )
    person_match: PersonMatch = PersonMatch.ALL
    taken_after: datetime | None = strawberry.field(default=strawberry.UNSET, description="Inclusive.")
    taken_before: datetime | None = strawberry.field(default=strawberry.UNSET, description="Exclusive.")
    place: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the place name.")
    country: str | None = strawberry.field(default=strawberry.UNSET, description="ISO country code.")
    camera: str | None = strawberry.field(default=strawberry.UNSET, description="Part of the camera name.")
    labels: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Photos with all of them.")
    has_faces: bool | None = strawberry.UNSET
    has_unknown_faces: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Photos with (or without) a face in no cluster."
    )
    text: str | None = strawberry.field(
        default=strawberry.UNSET, description="Words in the file name, the place or a label."
    )


def _given(value: object) -> bool:
    return value is not None and value is not strawberry.UNSET


def to_query(search: PhotoFilter | None, order: PhotoOrder = PhotoOrder.TAKEN_AT_DESC) -> PhotoQuery:
    """The repository's query for a filter; malformed person ids raise ``ValidationError``."""
    if search is None:
        return PhotoQuery(order=Order(order.value))

    def value(name: str) -> object:
        found = getattr(search, name)
        return found if _given(found) else None

    person_ids = decode_ids("Cluster", search.person_ids or [], field="personIds") if _given(search.person_ids) else []
    return PhotoQuery(
        person_ids=person_ids,
        person_names=list(search.person_names) if _given(search.person_names) else [],  # type: ignore[arg-type]
        person_match_all=search.person_match == PersonMatch.ALL,
        taken_after=value("taken_after"),  # type: ignore[arg-type]
        taken_before=value("taken_before"),  # type: ignore[arg-type]
        place=value("place"),  # type: ignore[arg-type]
        country=value("country"),  # type: ignore[arg-type]
        camera=value("camera"),  # type: ignore[arg-type]
        labels=list(search.labels) if _given(search.labels) else [],  # type: ignore[arg-type]
        has_faces=value("has_faces"),  # type: ignore[arg-type]
        has_unknown_faces=value("has_unknown_faces"),  # type: ignore[arg-type]
        text=value("text"),  # type: ignore[arg-type]
        order=Order(order.value),
    )
