"""photos(filter:) combines every filter; people(name:) matches loosely and ranks prefixes first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from core.db import SessionFactory
from core.tables import Photo, User
from tests.schema.conftest import Execute, opaque
from tests.schema.factories import BASE_TIME, Library, add_label, make_library

SEARCH = """
query($filter: PhotoFilter, $order: PhotoOrder! = TAKEN_AT_DESC) {
  photos(filter: $filter, orderBy: $order, first: 100) { totalCount edges { node { fileName } } }
}
"""


@pytest.fixture
def library(sessions: SessionFactory, owner: User) -> Library:
    found = make_library(
        sessions, owner.id, photos=10,
        people={"Zoë Müller": [0, 1, 2, 3], "Bob": [2, 3, 4], "Carla": [3, 9], None: [5]},
        unknown_faces_in=[6, 2],
    )
    with sessions() as session:
        for photo in session.exec(select(Photo).where(Photo.owner_id == owner.id)).all():
            index = int(photo.file_name[4:8])
            if index < 5:
                photo.location, photo.country, photo.camera = "Paris, Île-de-France, FR", "FR", "Canon EOS R5"
            else:
                photo.location, photo.country, photo.camera = "Lyon, Auvergne, FR" if index < 8 else None, (
                    "FR" if index < 8 else None), "iPhone 15"
            session.add(photo)
        session.commit()
    add_label(sessions, found.photos[1].id, "Beach")
    add_label(sessions, found.photos[1].id, "Summer 2024")
    add_label(sessions, found.photos[7].id, "beach")
    return found


def names(execute: Execute, search: dict[str, Any], order: str = "TAKEN_AT_DESC") -> list[int]:
    result = execute(SEARCH, {"filter": search, "order": order})
    assert result.errors is None, result.errors
    data = result.data["photos"]
    found = [int(edge["node"]["fileName"][4:8]) for edge in data["edges"]]
    assert data["totalCount"] == len(found)
    return found


def test_people_all_and_any(execute: Execute, library: Library) -> None:
    assert names(execute, {"personNames": ["zoe muller", "BOB"]}) == [2, 3]
    assert names(execute, {"personNames": ["zoe muller", "BOB"], "personMatch": "ANY"}) == [0, 1, 2, 3, 4]
    assert names(execute, {"personNames": ["Bob", "Carla", "Zoë Müller"]}) == [3]
    assert names(execute, {"personNames": ["Bob", "Nobody"]}) == []
    assert names(execute, {"personNames": ["Bob", "Nobody"], "personMatch": "ANY"}) == [2, 3, 4]
    carla = opaque("Cluster", library.people["Carla"])
    assert names(execute, {"personIds": [carla], "personNames": ["Bob"]}) == [3]
    assert names(execute, {"personIds": [carla], "personNames": ["Bob"], "personMatch": "ANY"}) == [2, 3, 4, 9]


def test_dates_places_cameras(execute: Execute, library: Library) -> None:
    after = (BASE_TIME - timedelta(days=3)).isoformat()
    before = (BASE_TIME - timedelta(days=1)).isoformat()
    assert names(execute, {"takenAfter": after, "takenBefore": before}) == [2, 3]
    assert names(execute, {"place": "paris"}) == [0, 1, 2, 3, 4]
    assert names(execute, {"place": "lyon", "country": "fr"}) == [5, 6, 7]
    assert names(execute, {"camera": "iphone"}) == [5, 6, 7, 8, 9]
    assert names(execute, {"camera": "100%"}) == []  # wildcards are literal


def test_labels_faces_and_text(execute: Execute, library: Library) -> None:
    assert names(execute, {"labels": ["BEACH"]}) == [1, 7]
    assert names(execute, {"labels": ["beach", "summer 2024"]}) == [1]
    assert names(execute, {"hasFaces": False}) == [7, 8]
    assert names(execute, {"hasFaces": True, "camera": "iphone"}) == [5, 6, 9]
    assert names(execute, {"hasUnknownFaces": True}) == [2, 6]
    assert names(execute, {"text": "summer"}) == [1]
    assert names(execute, {"text": "IMG_000"}) == list(range(10))
    assert names(execute, {"text": "lyon"}) == [5, 6, 7]


def test_orders_are_stable(execute: Execute, library: Library) -> None:
    assert names(execute, {}, "TAKEN_AT_ASC") == list(range(9, -1, -1))
    assert names(execute, {}) == list(range(10))


def test_people_by_name_prefix_first(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    make_library(sessions, owner.id, photos=6, people={
        "Anna": [0], "Marianne": [0, 1, 2], "Ánnabel": [1, 2], "Bob": [3], "Joanna": [4, 5], None: [5],
    })
    query = "query($name: String) { people(name: $name) { totalCount edges { node { name } } } }"
    result = execute(query, {"name": "ANN"})
    assert result.errors is None
    found = [edge["node"]["name"] for edge in result.data["people"]["edges"]]
    assert found[:2] == ["Ánnabel", "Anna"]  # prefixes first, larger first
    assert set(found[2:]) == {"Marianne", "Joanna"}
    assert result.data["people"]["totalCount"] == 4
    everyone = execute("{ people { totalCount } clusters { totalCount } unnamed: clusters(filter: {named: false}) "
                       "{ totalCount } }")
    assert everyone.data == {"people": {"totalCount": 5}, "clusters": {"totalCount": 6},
                             "unnamed": {"totalCount": 1}}
