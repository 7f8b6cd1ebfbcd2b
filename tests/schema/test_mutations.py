"""Mutations do what they say, through the services, and answer with fresh data."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.blobs.keys import face_crop_key, thumbnail_key
from core.db import SessionFactory
from core.repositories import owner_jobs
from core.tables import OwnerJob, Photo, User
from schema.context import Services
from tests.schema.conftest import Execute, opaque
from tests.schema.factories import add_user, make_library, photo_row


def _data(result: Any) -> Any:
    assert result.errors is None, result.errors
    return result.data


CLUSTER = "__typename ... on Cluster { id name faceCount photoCount hidden coverFace { id } } ... on Error { message }"


def test_identity_operations(execute: Execute, sessions: SessionFactory, owner: User,
                             enqueued: dict[str, list[Any]]) -> None:
    lib = make_library(sessions, owner.id, photos=6, people={"Mom": [0, 1], None: [2, 3, 4]}, unknown_faces_in=[5])
    mom, unnamed = opaque("Cluster", lib.people["Mom"]), opaque("Cluster", lib.people["unnamed-1"])
    faces = {f.photo_id: opaque("Face", f.id) for f in lib.faces if f.cluster_id == lib.people["unnamed-1"]}
    unknown = opaque("Face", next(f.id for f in lib.faces if f.cluster_id is None))

    split = _data(execute(f'mutation {{ splitCluster(id: "{unnamed}", faceIds: ["{faces[lib.photos[4].id]}"]) '
                          f"{{ {CLUSTER} }} }}"))["splitCluster"]
    assert split["faceCount"] == 1 and split["id"] != unnamed
    merged = _data(execute(f'mutation {{ nameCluster(id: "{unnamed}", name: "  mom ") {{ {CLUSTER} }} }}'))
    assert merged["nameCluster"]["id"] == mom and merged["nameCluster"]["faceCount"] == 4  # merged into Mom
    moved = _data(execute(f'mutation {{ moveFaces(faceIds: ["{unknown}"], clusterId: "{split["id"]}") '
                          f"{{ {CLUSTER} }} }}"))["moveFaces"]
    assert moved["faceCount"] == 2
    cover = _data(execute(f'mutation {{ setCoverFace(clusterId: "{split["id"]}", faceId: "{unknown}") '
                          f"{{ {CLUSTER} }} }}"))["setCoverFace"]
    assert cover["coverFace"]["id"] == unknown
    wrong_cover = _data(execute(f'mutation {{ setCoverFace(clusterId: "{mom}", faceId: "{unknown}") '
                                f"{{ {CLUSTER} }} }}"))["setCoverFace"]
    assert wrong_cover["__typename"] == "ValidationError"
    hidden = _data(execute(f'mutation {{ hideCluster(id: "{mom}", hidden: true) {{ {CLUSTER} }} }}'))
    assert hidden["hideCluster"]["hidden"] is True
    assert _data(execute("{ people { totalCount } }"))["people"]["totalCount"] == 0
    rejected = _data(execute(f'mutation {{ rejectFaces(faceIds: ["{unknown}"]) {{ ... on RejectedFaces '
                             "{ faces { id cluster { id } assignedBy } } } }"))["rejectFaces"]
    assert rejected["faces"] == [{"id": unknown, "cluster": None, "assignedBy": "NONE"}]
    deleted = _data(execute(f'mutation {{ deleteCluster(id: "{mom}") {{ ... on DeletedCluster '
                            "{ id facesUnassigned } } }"))["deleteCluster"]
    assert deleted == {"id": mom, "facesUnassigned": 4}
    status = _data(execute("{ libraryStatus { unknownFaces people } }"))["libraryStatus"]
    assert status == {"unknownFaces": 5, "people": 0}
    with sessions() as session:
        session.exec(sa.delete(OwnerJob))  # forget the asks so far: the mutation must record its own
        session.commit()
    assert _data(execute("mutation { recluster { queued } }"))["recluster"] == {"queued": True}
    assert enqueued["recluster"] == [owner.id] * 3  # after rejectFaces, deleteCluster and recluster
    with sessions() as session:
        job = owner_jobs.get_owner_job(session, owner_id=owner.id)
    assert job is not None and job.recluster_requested_at is not None  # else the actor skips the run


PEOPLE_WITH_TOTALS = """{ clusters(first: 50) { edges { node { name faceCount photoCount
  faces(first: 100) { totalCount edges { node { id photo { id } } } }
  photos(first: 100) { totalCount edges { node { id } } } } } } }"""


def test_a_persons_faces_and_photos_are_counted_right_after_corrections(
        execute: Execute, sessions: SessionFactory, owner: User) -> None:
    """A person's totalCounts are the counts the cluster keeps: every correction must keep them right."""
    lib = make_library(sessions, owner.id, photos=6, people={"Ann": [0, 1, 2], None: [2, 3, 4]},
                       unknown_faces_in=[4, 5])
    ann, other = opaque("Cluster", lib.people["Ann"]), opaque("Cluster", lib.people["unnamed-1"])
    of_photo = {f.photo_id: opaque("Face", f.id) for f in lib.faces if f.cluster_id == lib.people["unnamed-1"]}
    unknown = [opaque("Face", f.id) for f in lib.faces if f.cluster_id is None]
    _data(execute(f'mutation {{ splitCluster(id: "{other}", faceIds: ["{of_photo[lib.photos[3].id]}"]) '
                  f"{{ {CLUSTER} }} }}"))
    _data(execute(f'mutation {{ moveFaces(faceIds: ["{unknown[0]}", "{unknown[1]}"], clusterId: "{ann}") '
                  f"{{ {CLUSTER} }} }}"))
    _data(execute(f'mutation {{ rejectFaces(faceIds: ["{of_photo[lib.photos[2].id]}"]) {{ __typename }} }}'))
    people = [edge["node"] for edge in _data(execute(PEOPLE_WITH_TOTALS))["clusters"]["edges"]]
    assert len(people) == 3
    for person in people:
        faces, photos = person["faces"], person["photos"]
        assert faces["totalCount"] == len(faces["edges"]) == person["faceCount"], person
        in_photos = {edge["node"]["photo"]["id"] for edge in faces["edges"]}
        assert photos["totalCount"] == len(photos["edges"]) == len(in_photos) == person["photoCount"], person
    ann_now = next(person for person in people if person["name"] == "Ann")
    assert (ann_now["faceCount"], ann_now["photoCount"]) == (5, 5)  # photos 0-2, and 4 and 5 moved in


def test_merge_clusters(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    lib = make_library(sessions, owner.id, photos=3, people={"Ann": [0], None: [1, 2]})
    ann, other = opaque("Cluster", lib.people["Ann"]), opaque("Cluster", lib.people["unnamed-1"])
    merged = _data(execute(f'mutation {{ mergeClusters(targetId: "{ann}", sourceIds: ["{other}"]) '
                           f"{{ {CLUSTER} }} }}"))["mergeClusters"]
    assert merged["faceCount"] == 3 and merged["photoCount"] == 3
    assert _data(execute(f'{{ cluster(id: "{other}") {{ id }} }}')) == {"cluster": None}
    alone = _data(execute(f'mutation {{ mergeClusters(targetId: "{ann}", sourceIds: ["{ann}"]) {{ {CLUSTER} }} }}'))
    assert alone["mergeClusters"]["__typename"] == "ValidationError"


def test_labels(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    lib = make_library(sessions, owner.id, photos=2, people={})
    ids = [opaque("Photo", p.id) for p in lib.photos]
    added = _data(execute('mutation($ids: [ID!]!) { addLabels(photoIds: $ids, labels: ["Beach", "beach", "Été"]) '
                          "{ ... on LabelledPhotos { photos { labels } } } }", {"ids": ids}))
    assert added["addLabels"]["photos"] == [{"labels": ["Beach", "Été"]}] * 2
    again = _data(execute('mutation($ids: [ID!]!) { addLabels(photoIds: $ids, labels: ["BEACH"]) '
                          "{ ... on LabelledPhotos { photos { labels } } } }", {"ids": ids[:1]}))
    assert again["addLabels"]["photos"] == [{"labels": ["Beach", "Été"]}]
    assert _data(execute("{ labels { totalCount edges { node { name photoCount } } } }"))["labels"] == {
        "totalCount": 2, "edges": [{"node": {"name": "Beach", "photoCount": 2}},
                                   {"node": {"name": "Été", "photoCount": 2}}]}
    removed = _data(execute('mutation($ids: [ID!]!) { removeLabels(photoIds: $ids, labels: ["ete"]) '
                            "{ ... on LabelledPhotos { photos { labels } } } }", {"ids": ids}))
    assert removed["removeLabels"]["photos"] == [{"labels": ["Beach"]}] * 2
    empty = _data(execute('mutation($ids: [ID!]!) { addLabels(photoIds: $ids, labels: [" "]) { __typename } }',
                          {"ids": ids}))
    assert empty["addLabels"]["__typename"] == "ValidationError"


def test_albums(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    lib = make_library(sessions, owner.id, photos=3, people={})
    ids = [opaque("Photo", p.id) for p in lib.photos]
    album = "... on Album { id name photoCount coverPhoto { fileName } photos { totalCount } }"
    made = _data(execute(f'mutation($ids: [ID!]) {{ createAlbum(name: "Trip", photoIds: $ids) {{ {album} }} }}',
                         {"ids": ids[1:]}))["createAlbum"]
    assert made["photoCount"] == 2 and made["coverPhoto"] == {"fileName": "IMG_0001.jpg"}
    added = _data(execute(f'mutation($id: ID!, $ids: [ID!]!) {{ addPhotosToAlbum(id: $id, photoIds: $ids) '
                          f"{{ {album} }} }}", {"id": made["id"], "ids": ids}))["addPhotosToAlbum"]
    assert added["photoCount"] == 3 and added["photos"]["totalCount"] == 3
    removed = _data(execute(f'mutation($id: ID!, $ids: [ID!]!) {{ removePhotosFromAlbum(id: $id, photoIds: $ids) '
                            f"{{ {album} }} }}", {"id": made["id"], "ids": ids[:1]}))["removePhotosFromAlbum"]
    assert removed["photoCount"] == 2
    renamed = _data(execute(f'mutation($id: ID!) {{ renameAlbum(id: $id, name: "Trip 2") {{ {album} }} }}',
                            {"id": made["id"]}))["renameAlbum"]
    assert renamed["name"] == "Trip 2"
    assert _data(execute("{ albums { totalCount edges { node { name } } } }"))["albums"]["totalCount"] == 1
    gone = _data(execute('mutation($id: ID!) { deleteAlbum(id: $id) { ... on DeletedAlbum { id } } }',
                         {"id": made["id"]}))
    assert gone["deleteAlbum"]["id"] == made["id"]
    assert _data(execute("{ albums { totalCount } photos { totalCount } }")) == {
        "albums": {"totalCount": 0}, "photos": {"totalCount": 3}}


def test_delete_photos_removes_rows_and_blobs(execute: Execute, sessions: SessionFactory, owner: User,
                                              services: Services) -> None:
    lib = make_library(sessions, owner.id, photos=2, people={"Ann": [0, 1]})
    first, second = lib.photos
    stranger = add_user(sessions, "bob")
    with sessions() as session:  # bob has the same file as the first photo
        session.add(photo_row(stranger.id, 0, sha256=first.sha256, file_path=first.file_path))
        session.commit()
    for photo in lib.photos:
        services.blobs.put(photo.file_path, b"original", content_type="image/jpeg")
        services.blobs.put(thumbnail_key(photo.id), b"thumb", content_type="image/webp")
    crops = [face_crop_key(face.id) for face in lib.faces]
    for key in crops:
        services.blobs.put(key, b"crop", content_type="image/webp")
    result = _data(execute('mutation($ids: [ID!]!) { deletePhotos(ids: $ids) { ... on DeletedPhotos { ids } } }',
                           {"ids": [opaque("Photo", p.id) for p in lib.photos]}))
    assert sorted(result["deletePhotos"]["ids"]) == sorted(opaque("Photo", p.id) for p in lib.photos)
    assert services.blobs.exists(first.file_path)  # bob's photo still uses it
    assert not services.blobs.exists(second.file_path)
    assert not any(services.blobs.exists(key) for key in [*crops, thumbnail_key(first.id)])
    status = _data(execute("{ libraryStatus { photos faces people } }"))["libraryStatus"]
    assert status == {"photos": 0, "faces": 0, "people": 1}  # a named person stays, with no faces
    assert _data(execute("{ people { edges { node { faceCount photoCount coverFace { id } } } } }"))["people"] == {
        "edges": [{"node": {"faceCount": 0, "photoCount": 0, "coverFace": None}}]}
    with sessions() as session:
        assert session.get(Photo, first.id) is None


def test_keep_apart_stops_merge_suggestions(execute: Execute, sessions: SessionFactory, owner: User) -> None:
    lib = make_library(sessions, owner.id, photos=4, people={None: [0, 1], "Bea": [2, 3]})
    first, second = opaque("Cluster", lib.people["unnamed-0"]), opaque("Cluster", lib.people["Bea"])
    kept = _data(execute(f'mutation {{ keepApart(clusterId: "{first}", otherId: "{second}") {{ {CLUSTER} }} }}'))
    assert kept["keepApart"]["id"] == first
    with sessions() as session:
        from core.tables import ClusterSeparation

        pairs = {frozenset((row.cluster_a, row.cluster_b)) for row in session.query(ClusterSeparation).all()}
    assert frozenset((lib.people["unnamed-0"], lib.people["Bea"])) in pairs
    itself = _data(execute(f'mutation {{ keepApart(clusterId: "{first}", otherId: "{first}") {{ {CLUSTER} }} }}'))
    assert itself["keepApart"]["__typename"] == "ValidationError"
