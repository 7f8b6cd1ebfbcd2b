"""Each embedding names its vectors and carries its own measured distances."""

from core.embedding_models import ARCFACE, BY_NAME, BY_SETTING, DLIB, FACENET, measured_for
from core.settings import Settings


def test_every_setting_has_a_model_and_names_are_unique() -> None:
    assert set(BY_SETTING) == {"arcface", "dlib", "facenet"}
    assert set(BY_SETTING) >= {Settings.model_fields["embedder"].default}
    assert len(BY_NAME) == len(BY_SETTING)
    for model in BY_SETTING.values():
        assert 0 < model.pair_distance <= model.link_distance
        assert 0 < model.assign_distance <= model.attach_distance


def test_a_stored_model_gets_its_own_distances_and_an_old_name_those_of_its_size() -> None:
    assert measured_for(ARCFACE.name, 512) is ARCFACE
    assert measured_for(FACENET.name, 512) is FACENET
    assert measured_for("dlib_resnet_v1", 128) is DLIB  # dlib's before the square box
    assert measured_for("something_new", 512).dim == 512
    assert DLIB.link_distance < 1 < ARCFACE.link_distance  # unnormalised 128-d against unit 512-d
