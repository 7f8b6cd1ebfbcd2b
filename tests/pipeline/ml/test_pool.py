"""The analysis pool: the same faces as in-process, bad photos and dead children handled."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.settings import Settings
from pipeline.ml.images import ImageError
from pipeline.ml.models import FaceModels, analyse_photo
from pipeline.ml.pool import AnalysisError, AnalysisPool
from pipeline.runtime import model_options
from tests.pipeline.ml.conftest import TEST_TORCH_THREADS

GROUP = Path("_group") / "facenet-pytorch_multiface.jpg"


@pytest.fixture(scope="module")
def pool() -> Iterator[AnalysisPool]:
    options = model_options(Settings(), torch_threads=TEST_TORCH_THREADS)
    analysis = AnalysisPool(processes=1, model_options=options)
    yield analysis
    analysis.close()


def test_a_child_process_finds_the_same_faces(pool: AnalysisPool, face_models: FaceModels, dev_set: Path) -> None:
    data = (dev_set / GROUP).read_bytes()
    here = analyse_photo(face_models, data)
    there = pool.analyse(data, max_pixels=100_000_000)
    assert len(there.faces) == len(here.faces) == 6
    assert np.allclose(there.embeddings, here.embeddings, atol=1e-4)
    assert [f.detection.to_json() for f in there.faces] == [f.detection.to_json() for f in here.faces]
    assert there.timings_ms.keys() >= {"decode", "detect", "embed", "finish"}


def test_a_bad_photo_raises_its_image_error_through_the_pool(pool: AnalysisPool) -> None:
    with pytest.raises(ImageError):
        pool.analyse(b"\xff\xd8\xff\xe0 not really a jpeg", max_pixels=100_000_000)


def test_a_killed_child_fails_one_photo_and_the_next_gets_a_new_pool(pool: AnalysisPool, dev_set: Path) -> None:
    data = (dev_set / GROUP).read_bytes()
    pool.analyse(data, max_pixels=100_000_000)  # started, models loaded
    executor = pool._executor
    assert executor is not None
    for process in list(executor._processes.values()):  # the pool's own children, nothing else
        os.kill(process.pid, signal.SIGKILL)
    with pytest.raises(AnalysisError, match="died"):
        pool.analyse(data, max_pixels=100_000_000)
    assert len(pool.analyse(data, max_pixels=100_000_000).faces) == 6
    assert pool._executor is not executor


def test_a_photo_past_the_deadline_stops_its_process_and_the_next_gets_a_new_pool(
    pool: AnalysisPool, dev_set: Path
) -> None:
    data = (dev_set / GROUP).read_bytes()
    pool.analyse(data, max_pixels=100_000_000)  # started, models loaded
    executor = pool._executor
    assert executor is not None
    children = list(executor._processes.values())
    pool.deadline_seconds = 0.001  # no photo is analysed that fast
    try:
        with pytest.raises(AnalysisError, match="took over"):
            pool.analyse(data, max_pixels=100_000_000)
    finally:
        pool.deadline_seconds = 120.0
    for process in children:
        assert _ended(process, timeout=10.0), process
    assert len(pool.analyse(data, max_pixels=100_000_000).faces) == 6
    assert pool._executor is not executor


def _ended(process: Any, *, timeout: float) -> bool:
    """Whether ``process`` ends within ``timeout``. The pool's own manager thread reaps its
    children too: when it has reaped this one but not yet noted its exit code on the shared
    process object, ``is_alive()`` answers True (its waitpid finds no child), so a pid that no
    longer exists counts as ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        process.join(timeout=0.1)
        if not process.is_alive():
            return True
        try:
            os.kill(process.pid, 0)
        except ProcessLookupError:
            return True
    return False
