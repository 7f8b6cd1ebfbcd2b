"""The API's rows (core.repositories.rows) are the tables' rows, read without the ORM."""

from __future__ import annotations

import math
import uuid

import sqlalchemy as sa
from sqlmodel import select

from core.db import SessionFactory
from core.repositories import batches
from core.repositories.rows import ClusterRow, FaceRow, PhotoRow
from core.tables import Face, FaceCluster, Photo, User
from tests.schema.factories import face_row, make_library

UNSHOWN = ("face_embedding", "quality_detail")


def test_each_row_type_is_its_tables_columns_in_order() -> None:
    for model, row_type, left_out in ((Photo, PhotoRow, ()), (Face, FaceRow, UNSHOWN), (FaceCluster, ClusterRow, ())):
        attributes = [prop.key for prop in sa.inspect(model).column_attrs if prop.key not in left_out]
        assert list(row_type._fields) == attributes, model.__name__


def test_rows_read_by_id_are_the_entities_values(sessions: SessionFactory, owner: User) -> None:
    """On both databases: the batch reads (``= ANY`` on PostgreSQL, ``IN`` on SQLite) find the
    owner's rows, with the values the ORM reads."""
    make_library(sessions, owner.id, photos=3, people={"Ann": [0, 1, 2]}, unknown_faces_in=[1])
    with sessions() as session:
        photos = session.exec(select(Photo)).all()
        faces = session.exec(select(Face)).all()
        clusters = session.exec(select(FaceCluster)).all()
        found_photos = batches.photos_by_id(session, owner_id=owner.id, photo_ids=[p.id for p in photos])
        found_faces = batches.faces_by_id(session, owner_id=owner.id, face_ids=[f.id for f in faces])
        found_clusters = batches.clusters_by_id(session, owner_id=owner.id, cluster_ids=[c.id for c in clusters])
        of_photos = batches.faces_of_photos(session, owner_id=owner.id, photo_ids=[p.id for p in photos])
        strangers = batches.photos_by_id(session, owner_id=uuid.uuid4(), photo_ids=[p.id for p in photos])
        for rows, entities in ((found_photos, photos), (found_faces, faces), (found_clusters, clusters)):
            assert set(rows) == {entity.id for entity in entities}
            for entity in entities:
                row = rows[entity.id]
                assert all(value == getattr(entity, name) for name, value in row._asdict().items()), row
    assert sum(len(found) for found in of_photos.values()) == len(faces)
    assert strangers == {}


def test_a_photos_faces_read_left_to_right(sessions: SessionFactory, owner: User) -> None:
    """As a person reads a group photo: by the box's x, then by id, whatever order they were stored in."""
    library = make_library(sessions, owner.id, photos=1, people={})
    photo_id = library.photos[0].id
    with sessions() as session:
        for x in (300.0, 100.0, 200.0, 100.0):
            session.add(face_row(owner.id, photo_id, None, x=x))
        session.commit()
        found = batches.faces_of_photos(session, owner_id=owner.id, photo_ids=[photo_id])[photo_id]
    assert [(face.face_location["x"], face.id) for face in found] == sorted(
        (face.face_location["x"], face.id) for face in found)
    assert [face.face_location["x"] for face in found] == [100.0, 100.0, 200.0, 300.0]


def test_json_columns_read_what_orjson_refuses_as_before(sessions: SessionFactory, owner: User) -> None:
    """JSON columns decode with orjson (core.db.json_loads) on both databases; a value it refuses
    (NaN, which the json module wrote into SQLite's text) is read by the json module."""
    from core.db import json_loads

    assert json_loads(b'{"x": 1.5, "landmarks": [[1, 2]]}') == {"x": 1.5, "landmarks": [[1, 2]]}
    assert math.isnan(json_loads('{"x": NaN}')["x"])
    library = make_library(sessions, owner.id, photos=1, people={"Ann": [0]})
    photo_id = library.photos[0].id
    with sessions() as session:
        face = session.exec(select(Face)).one()
        face.face_location = {**face.face_location, "x": 12.25, "note": "é"}
        session.add(face)
        session.commit()
        found = batches.faces_of_photos(session, owner_id=owner.id, photo_ids=[photo_id])[photo_id]
    assert found[0].face_location["x"] == 12.25 and found[0].face_location["note"] == "é"
