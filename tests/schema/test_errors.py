"""Expected failures are union members or coded errors; unexpected ones are masked; limits hold."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from pathlib import Path
from typing import Any

import pytest

from core.db import SessionFactory, make_engine, make_session_factory
from core.tables import User
from schema.context import Context, Services
from schema.schema import schema
from tests.schema.conftest import Execute, caller_for, opaque
from tests.schema.factories import add_user, make_library

QUERIES_BY_ID = {
    "photo": ("Photo", "{ photo(id: $id) { id } }"),
    "face": ("Face", "{ face(id: $id) { id } }"),
    "person": ("Cluster", "{ person(id: $id) { id } }"),
    "cluster": ("Cluster", "{ cluster(id: $id) { id } }"),
    "album": ("Album", "{ album(id: $id) { id } }"),
}


def _query(field: str) -> str:
    return "query($id: ID!) " + QUERIES_BY_ID[field][1]


@pytest.fixture
def stranger_library(sessions: SessionFactory) -> dict[str, str]:
    """Another user's photo, face, person and album ids."""
    stranger = add_user(sessions, "mallory")
    library = make_library(sessions, stranger.id, photos=2, people={"Eve": [0, 1]})
    from core.services.library import create_album

    album = create_album(sessions, owner_id=stranger.id, name="Hers", photo_ids=[library.photos[0].id])
    return {
        "Photo": opaque("Photo", library.photos[0].id),
        "Face": opaque("Face", library.faces[0].id),
        "Cluster": opaque("Cluster", library.people["Eve"]),
        "Album": opaque("Album", album.id),
    }


@pytest.mark.parametrize("field", sorted(QUERIES_BY_ID))
def test_malformed_unknown_and_foreign_ids(execute: Execute, field: str, stranger_library: dict[str, str]) -> None:
    kind = QUERIES_BY_ID[field][0]
    for malformed in ["", "zzz", "%%%", opaque("Photo" if kind != "Photo" else "Face", uuid.uuid4()), "a" * 500]:
        result = execute(_query(field), {"id": malformed})
        assert result.errors[0].extensions["code"] == "VALIDATION_ERROR", malformed
    assert execute(_query(field), {"id": opaque(kind, uuid.uuid4())}).data == {field: None}
    foreign = execute(_query(field), {"id": stranger_library[kind]})
    assert foreign.errors is None and foreign.data == {field: None}


MUTATIONS = {
    "nameCluster": 'nameCluster(id: "{Cluster}", name: "X")',
    "mergeClusters": 'mergeClusters(targetId: "{Cluster}", sourceIds: ["{Cluster2}"])',
    "splitCluster": 'splitCluster(id: "{Cluster}", faceIds: ["{Face}"])',
    "moveFaces": 'moveFaces(faceIds: ["{Face}"], clusterId: "{Cluster}")',
    "rejectFaces": 'rejectFaces(faceIds: ["{Face}"])',
    "deleteCluster": 'deleteCluster(id: "{Cluster}")',
    "hideCluster": 'hideCluster(id: "{Cluster}", hidden: true)',
    "setCoverFace": 'setCoverFace(clusterId: "{Cluster}", faceId: "{Face}")',
    "addLabels": 'addLabels(photoIds: ["{Photo}"], labels: ["x"])',
    "removeLabels": 'removeLabels(photoIds: ["{Photo}"], labels: ["x"])',
    "renameAlbum": 'renameAlbum(id: "{Album}", name: "x")',
    "addPhotosToAlbum": 'addPhotosToAlbum(id: "{Album}", photoIds: ["{Photo}"])',
    "removePhotosFromAlbum": 'removePhotosFromAlbum(id: "{Album}", photoIds: ["{Photo}"])',
    "deleteAlbum": 'deleteAlbum(id: "{Album}")',
    "revokeApiToken": 'revokeApiToken(id: "{ApiToken}")',
}


def _mutation(name: str, ids: dict[str, str]) -> str:
    return "mutation { result: " + MUTATIONS[name].format(**ids) + " { __typename ... on Error { message } } }"


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutations_answer_union_members(execute: Execute, sessions: SessionFactory, owner: User, name: str,
                                        stranger_library: dict[str, str]) -> None:
    mine = make_library(sessions, owner.id, photos=1, people={"Me": [0]})
    foreign = {**stranger_library, "Cluster2": opaque("Cluster", mine.people["Me"]),
               "ApiToken": opaque("ApiToken", uuid.uuid4())}
    malformed = dict.fromkeys(foreign, "not-an-id")
    bad = execute(_mutation(name, malformed))
    assert bad.errors is None, bad.errors
    assert bad.data["result"]["__typename"] == "ValidationError"
    other = execute(_mutation(name, foreign))
    assert other.errors is None, other.errors
    assert other.data["result"]["__typename"] == "NotFound"


def test_delete_photos_ignores_foreign_ids(execute: Execute, stranger_library: dict[str, str]) -> None:
    photo = stranger_library["Photo"]
    result = execute(f'mutation {{ deletePhotos(ids: ["{photo}"]) {{ ... on DeletedPhotos {{ ids }} }} }}')
    assert result.data == {"deletePhotos": {"ids": []}}
    bad = execute('mutation { deletePhotos(ids: ["nope"]) { __typename } }')
    assert bad.data == {"deletePhotos": {"__typename": "ValidationError"}}


@pytest.mark.parametrize("first", [-1, 501, 10**9])
def test_page_size_is_capped(execute: Execute, first: int) -> None:
    for field in ["photos", "faces", "clusters", "people", "albums", "places", "labels", "mergeSuggestions"]:
        result = execute(f"query($first: Int) {{ {field}(first: $first) {{ totalCount }} }}", {"first": first})
        assert result.errors[0].extensions["code"] == "VALIDATION_ERROR", field


def test_foreign_cursor_is_refused(execute: Execute) -> None:
    result = execute('{ photos(after: "not-a-cursor") { totalCount } }')
    assert result.errors[0].extensions["code"] == "VALIDATION_ERROR"


def test_depth_aliases_and_tokens_are_limited(execute: Execute) -> None:
    deep = "{ photos { edges { node { faces { cluster { faces { edges { node { photo { faces { cluster { " \
           "photos { edges { node { id } } } } } } } } } } } } } } }"
    assert "exceeds maximum operation depth" in execute(deep).errors[0].message
    aliases = "{ " + " ".join(f"a{i}: setupRequired" for i in range(40)) + " }"
    assert "aliases" in execute(aliases).errors[0].message
    tokens = "{ " + " ".join("setupRequired" for _ in range(6000)) + " }"
    assert "token" in execute(tokens).errors[0].message.lower()


def test_nobody_signed_in_is_unauthenticated(execute: Execute) -> None:
    for query in ["{ photos { totalCount } }", "{ libraryStatus { photos } }", "{ people { totalCount } }",
                  "{ apiTokens { id } }", 'mutation { createApiToken(name: "x") { __typename } }']:
        result = execute(query, user=None)
        assert result.errors[0].extensions["code"] == "UNAUTHENTICATED", query
    assert execute("{ me { id } }", user=None).data == {"me": None}


def test_unexpected_errors_are_masked_with_an_id(services: Services, owner: User, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    # A database without tables: every query fails in a way no resolver expects.
    broken = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    services = dataclasses.replace(services, sessions=make_session_factory(broken))

    async def run() -> Any:
        context = Context(services=services, caller=caller_for(owner))
        return await schema.execute("{ photos { totalCount } }", context_value=context)

    with caplog.at_level(logging.ERROR, logger="facesort.graphql"):
        result = asyncio.run(run())
    error = result.errors[0]
    assert error.message.startswith("Unexpected error (id ")
    assert "sqlite" not in error.message.lower() and "photos" not in error.message
    assert error.extensions["errorId"] in caplog.text
    assert "no such table" in caplog.text
    broken.dispose()
