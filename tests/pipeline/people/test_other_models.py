"""After a release that changes the embedding, the faces of the earlier model are pointed out."""

from __future__ import annotations

import logging

import pytest

from core.embedding_models import DLIB
from core.tables import User
from pipeline.reindex import faces_of_other_models
from pipeline.runtime import Runtime
from tests.pipeline.people.factories import add_face, add_photo


def test_faces_of_an_earlier_model_are_counted_and_named_in_a_warning(
    runtime: Runtime, owner: User, caplog: pytest.LogCaptureFixture
) -> None:
    with runtime.sessions() as session:
        photo = add_photo(session, owner_id=owner.id)
        add_face(session, owner_id=owner.id, photo_id=photo.id)
        session.commit()
    with caplog.at_level(logging.WARNING, logger="pipeline.reindex"):
        assert faces_of_other_models(runtime) == {}
    assert not caplog.records

    with runtime.sessions() as session:
        for _ in range(2):
            face = add_face(session, owner_id=owner.id, photo_id=photo.id)
            face.embedding_model = "dlib_resnet_v1"
            session.add(face)
        session.commit()
    with caplog.at_level(logging.WARNING, logger="pipeline.reindex"):
        assert faces_of_other_models(runtime) == {("dlib_resnet_v1", DLIB.dim): 2}
    assert "2 by dlib_resnet_v1/128" in caplog.text and "facesort reindex --reembed" in caplog.text
