"""open_vector_index picks the adapter the settings name; collections are named by model."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from core.settings import Settings
from core.vectors import EdgeVectorIndex, ServerVectorIndex, collection_name, open_vector_index


def test_collection_is_named_by_model_and_dimension() -> None:
    assert collection_name("dlib", 128) == "faces_dlib_128"
    assert collection_name("FaceNet VGGFace2", 512) == "faces_facenet_vggface2_512"
    assert collection_name("dlib", 128) != collection_name("dlib", 64)


@pytest.mark.parametrize(("model", "dim"), [("", 128), ("--", 128), ("dlib", 0)])
def test_collection_name_needs_a_model_and_a_dimension(model: str, dim: int) -> None:
    with pytest.raises(ValueError, match="model name"):
        collection_name(model, dim)


def test_embedded_settings_give_an_edge_shard_per_collection(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, qdrant_url="", qdrant_path=None)
    with open_vector_index(settings, model="dlib", dim=128) as index:
        assert isinstance(index, EdgeVectorIndex)
        assert index.path == tmp_path / "vectors" / "faces_dlib_128"
        assert (index.collection, index.dim) == ("faces_dlib_128", 128)
        index.ensure()
        assert index.count() == 0


def test_qdrant_path_setting_moves_the_shard(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", qdrant_url="", qdrant_path=tmp_path / "elsewhere")
    with open_vector_index(settings, model="dlib", dim=128) as index:
        assert isinstance(index, EdgeVectorIndex)
        assert index.path == tmp_path / "elsewhere" / "faces_dlib_128"


@pytest.mark.filterwarnings("ignore:Api key is used with an insecure connection:UserWarning")
@pytest.mark.filterwarnings("ignore:Failed to obtain server version:UserWarning")
def test_qdrant_url_gives_the_server_adapter(tmp_path: Path) -> None:
    # The client asks the server's version in a thread at start and only warns when none answers,
    # so a closed port is enough; the thread is awaited here so its warning stays in this test.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = Settings(data_dir=tmp_path, qdrant_url=f"http://127.0.0.1:{closed_port}", qdrant_api_key="k")
    index = open_vector_index(settings, model="dlib", dim=128)
    for thread in threading.enumerate():
        if "check_compatibility" in thread.name:
            thread.join(timeout=30)
    assert isinstance(index, ServerVectorIndex)
    assert (index.collection, index.dim) == ("faces_dlib_128", 128)
    index.close()
    assert not (tmp_path / "vectors").exists()
