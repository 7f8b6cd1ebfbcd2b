"""DESIGN.md's example operations, verbatim, answer as written."""

from __future__ import annotations

from typing import Any

from core.db import SessionFactory
from core.tables import User
from tests.schema.conftest import Execute, opaque
from tests.schema.factories import make_library

PHOTOS_OF = """
query PhotosOf($names: [String!], $after: String) {
  photos(first: 50, after: $after, filter: { personNames: $names, personMatch: ALL }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id fileName takenAt location thumbnailUrl
                   faces { id box { x y width height } cluster { id name } } } }
  }
}
"""

FACES = """
query Faces($after: String) {
  faces(first: 200, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id detectionConfidence cropUrl cluster { id name } photo { id fileName } } }
  }
}
"""

NAME_CLUSTER = 'mutation { nameCluster(id: "...", name: "Mom") { __typename ... on Cluster { id name faceCount } } }'


def _ok(result: Any) -> Any:
    assert result.errors is None, result.errors
    return result.data


def test_photos_of_pages_through_a_persons_photos(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    make_library(sessions, owner.id, photos=60, people={"Mom": range(0, 60, 1), "Dad": range(0, 60, 2)})
    first = _ok(execute(PHOTOS_OF, {"names": ["Mom", "dad"]}))["photos"]
    assert first["totalCount"] == 30
    assert len(first["edges"]) == 30 and first["pageInfo"]["hasNextPage"] is False
    node = first["edges"][0]["node"]
    assert node["fileName"] == "IMG_0000.jpg"  # newest first
    assert {face["cluster"]["name"] for face in node["faces"]} == {"Mom", "Dad"}
    assert node["faces"][0]["box"] == {"x": 0.0, "y": 50.0, "width": 80.0, "height": 90.0}

    mom = _ok(execute(PHOTOS_OF, {"names": ["MOM"]}))["photos"]
    assert mom["totalCount"] == 60 and mom["pageInfo"]["hasNextPage"] is True
    rest = _ok(execute(PHOTOS_OF, {"names": ["Mom"], "after": mom["pageInfo"]["endCursor"]}))["photos"]
    assert len(rest["edges"]) == 10 and rest["pageInfo"]["hasNextPage"] is False
    seen = [e["node"]["id"] for e in mom["edges"] + rest["edges"]]
    assert len(set(seen)) == 60


def test_photos_of_with_no_names_lists_everything(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    make_library(sessions, owner.id, photos=3, people={})
    data = _ok(execute(PHOTOS_OF, {"names": None}))["photos"]
    assert data["totalCount"] == 3


def test_faces_query_as_written(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    library = make_library(sessions, owner.id, photos=4, people={"Mom": [0, 1]}, unknown_faces_in=[2])
    data = _ok(execute(FACES))["faces"]
    assert data["pageInfo"]["hasNextPage"] is False
    nodes = [edge["node"] for edge in data["edges"]]
    assert len(nodes) == 3
    named = [n for n in nodes if n["cluster"]]
    assert {n["cluster"]["name"] for n in named} == {"Mom"}
    assert all(n["cropUrl"].startswith(f"/media/faces/{n['id']}") for n in nodes)
    photo_ids = {opaque("Photo", p.id) for p in library.photos}
    assert {n["photo"]["id"] for n in nodes} <= photo_ids


def test_name_cluster_as_written_and_with_a_real_id(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    library = make_library(sessions, owner.id, photos=2, people={None: [0, 1]})
    literal = _ok(execute(NAME_CLUSTER))["nameCluster"]
    assert literal == {"__typename": "ValidationError"}
    cluster_id = opaque("Cluster", library.people["unnamed-0"])
    named = _ok(execute(NAME_CLUSTER.replace('"..."', f'"{cluster_id}"')))["nameCluster"]
    assert named == {"__typename": "Cluster", "id": cluster_id, "name": "Mom", "faceCount": 2}


def test_library_status_counts(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    make_library(sessions, owner.id, photos=5, people={"Mom": [0, 1], None: [2]}, unknown_faces_in=[3, 4])
    query = "{ libraryStatus { photos pending processing done failed faces unknownFaces clusters people } }"
    status = _ok(execute(query))["libraryStatus"]
    assert status == {"photos": 5, "pending": 0, "processing": 0, "done": 5, "failed": 0, "faces": 5,
                      "unknownFaces": 2, "clusters": 2, "people": 1}
